/**
 * The cluster's links over NATS core pub/sub (no JetStream): one connection per node, which
 * reconnects for ever. While it is down, what is published waits in the client's buffer and goes
 * out once it is back; a longer outage is covered by the link's lease (link-protocol.ts).
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../core/log.js';
import type { Transport } from './transport.js';

export class NatsTransport implements Transport {
  private up = true;
  private readonly reconnected: (() => void)[] = [];

  private constructor(
    private readonly nc: NatsConnection,
    log: Logger,
  ) {
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect') {
          this.up = false;
          log.warn('cluster: the bus (NATS) is unreachable; reconnecting');
        } else if (status.type === 'reconnect') {
          this.up = true;
          log.info('cluster: the bus (NATS) is back');
          for (const then of this.reconnected) then();
        }
      }
    })();
  }

  /** Connects to `url` (`nats://host:port`), waiting for the server if it is not up yet. */
  static async open(url: string, nodeId: string, log: Logger): Promise<NatsTransport> {
    const nc = await connect({ servers: url, name: `ics-chat ${nodeId}`, maxReconnectAttempts: -1, reconnectTimeWait: 250, waitOnFirstConnect: true, pingInterval: 5000 });
    return new NatsTransport(nc, log);
  }

  /** Whether the bus is reachable now (health says degraded while not). */
  get connected(): boolean {
    return this.up;
  }

  onReconnect(then: () => void): void {
    this.reconnected.push(then);
  }

  publish(subject: string, data: string): void {
    this.nc.publish(subject, data);
  }

  subscribe(subject: string, hear: (data: string) => void): () => void {
    const sub = this.nc.subscribe(subject, {
      callback: (err, msg) => {
        if (!err) hear(msg.string());
      },
    });
    return () => sub.unsubscribe();
  }

  async close(): Promise<void> {
    await this.nc.drain();
  }
}
