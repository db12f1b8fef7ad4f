/**
 * The cluster's links over NATS core pub/sub (no JetStream): one connection per node, which
 * reconnects for ever. What the bus loses meanwhile, the links send again (reliable.ts); an
 * outage longer than the lease ends the sessions it cut off (link-protocol.ts).
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../core/log.js';
import type { Transport } from './transport.js';

export class NatsTransport implements Transport {
  private up = true;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly log: Logger,
  ) {
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect') {
          this.up = false;
          log.warn('cluster: the bus (NATS) is unreachable; reconnecting');
        } else if (status.type === 'reconnect') {
          this.up = true;
          log.info('cluster: the bus (NATS) is back');
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

  /** Never throws: a text the client refuses (it is closing) is lost, as the bus may lose any; the links send it again. */
  publish(subject: string, data: string): void {
    try {
      this.nc.publish(subject, data);
    } catch (err) {
      this.log.warn('cluster: the bus refused a message', { subject, err: String(err) });
    }
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
