/** The native front: the classic ICS protocol over TCP (default port 1112). */
import type { Socket } from 'node:net';
import type { Front, FrontState, SessionOpener } from '../../core/front.js';
import type { Logger } from '../../core/log.js';
import type { Admission, Ticket } from '../../net/admission.js';
import { SocketListener } from '../../net/socket-listener.js';
import type { TcpConfig } from '../config.js';
import { frameOf, TcpConnection } from './connection.js';

export class TcpFront implements Front {
  readonly name = 'tcp';
  private readonly connections = new Set<TcpConnection>();
  /** Every connection's goodbye: one function for all of them. */
  private readonly forget = (conn: TcpConnection): void => void this.connections.delete(conn);
  private readonly listener: SocketListener;

  constructor(
    private readonly hub: SessionOpener,
    private readonly config: TcpConfig,
    private readonly log: Logger,
    admission: Admission,
  ) {
    this.listener = new SocketListener(
      { front: 'tcp', host: config.host, port: config.port, log, admission, refusal: (msg) => frameOf({ action: 'error', code: 'server-full', msg }) },
      (socket, ticket) => this.accept(socket, ticket),
    );
  }

  state(): FrontState {
    return this.listener.state();
  }

  /** The bound port (the real one when configured as 0). */
  port(): number {
    return this.listener.port();
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  private accept(socket: Socket, ticket: Ticket): void {
    const conn = new TcpConnection(socket, (o) => this.hub.open(o), this.config, this.log, ticket, this.forget);
    this.connections.add(conn);
  }

  stopAccepting(): void {
    this.listener.stopAccepting();
  }

  stop(): Promise<void> {
    return this.listener.stop(() => {
      for (const conn of [...this.connections]) conn.end();
    });
  }
}
