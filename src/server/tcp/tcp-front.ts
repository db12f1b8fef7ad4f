/** The native front: the classic ICS protocol over TCP (default port 1112). */
import { createServer, type Server, type Socket } from 'node:net';
import type { Front, FrontState, SessionOpener } from '../../core/front.js';
import type { Logger } from '../../core/log.js';
import type { TcpConfig } from '../config.js';
import { TcpConnection } from './connection.js';

export class TcpFront implements Front {
  readonly name = 'tcp';
  private server: Server | null = null;
  private readonly connections = new Set<TcpConnection>();
  private current: FrontState = 'stopped';

  constructor(
    private readonly hub: SessionOpener,
    private readonly config: TcpConfig,
    private readonly log: Logger,
  ) {}

  state(): FrontState {
    return this.current;
  }

  /** The bound port (the real one when configured as 0). */
  port(): number {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address.port : 0;
  }

  start(): Promise<void> {
    this.current = 'starting';
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', (err) => {
        this.current = 'failed';
        reject(new Error(`tcp front cannot listen on ${this.config.host}:${this.config.port}: ${err.message}`));
      });
      server.listen({ host: this.config.host, port: this.config.port, backlog: 4096 }, () => {
        this.current = 'listening';
        server.on('error', (err) => this.log.error('tcp front error', { err: err.message }));
        this.log.info(`tcp front listening on ${this.config.host}:${this.port()}`);
        resolve();
      });
    });
  }

  private accept(socket: Socket): void {
    const conn = new TcpConnection(socket, (o) => this.hub.open(o), this.config, this.log, (c) => this.connections.delete(c));
    this.connections.add(conn);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const conn of [...this.connections]) conn.end();
    await closed;
    this.current = 'stopped';
  }
}
