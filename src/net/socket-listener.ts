/**
 * A listening TCP server for a socket front: start, the real port, errors at start, stop, and
 * admission: every new connection is admitted or refused here (one set of caps for the whole
 * server), a refused peer is told why in its front's protocol, and an admitted one is handed
 * to its front with its ticket, which the front's connection releases when the socket closes
 * (in the close listener it has anyway: a listener of the ticket's own would be one more
 * closure for every idle connection).
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { FrontState } from '../core/front.js';
import type { Logger } from '../core/log.js';
import type { Admission, Ticket } from './admission.js';
import { END_GRACE_MS } from './socket-out.js';

export interface ListenerOptions {
  /** The front's name, for log lines and errors (`tcp`, `irc`). */
  front: string;
  host: string;
  port: number;
  log: Logger;
  /** Extra words for the "listening" log line. */
  describe?: string;
  admission: Admission;
  /** What a refused peer is sent, in the front's protocol, before the connection is closed. */
  refusal(why: string): string | Buffer;
}

export class SocketListener {
  private server: Server | null = null;
  private current: FrontState = 'stopped';
  /** Resolves once the port is closed and every connection is gone; set when accepting stops. */
  private closed: Promise<void> | null = null;

  constructor(
    private readonly options: ListenerOptions,
    private readonly accept: (socket: Socket, ticket: Ticket) => void,
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
    const { front, host, port, log } = this.options;
    this.current = 'starting';
    this.closed = null;
    const server = createServer({ noDelay: true }, (socket) => this.admit(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', (err) => {
        this.current = 'failed';
        reject(new Error(`${front} front cannot listen on ${host}:${port}: ${err.message}`));
      });
      server.listen({ host, port, backlog: 4096 }, () => {
        this.current = 'listening';
        server.on('error', (err) => log.error(`${front} front error`, { err: err.message }));
        log.info(`${front} front listening on ${host}:${this.port()}${this.options.describe ? ` ${this.options.describe}` : ''}`);
        resolve();
      });
    });
  }

  private admit(socket: Socket): void {
    const verdict = this.options.admission.admit(socket.remoteAddress);
    if (!verdict.ok) return this.refuse(socket, verdict.why);
    this.accept(socket, verdict.ticket);
  }

  /** Says why, reads and drops whatever the peer sends meanwhile, and closes (forcibly after the grace period). */
  private refuse(socket: Socket, why: string): void {
    this.options.log.debug(`${this.options.front} front refused a connection`, { peer: socket.remoteAddress ?? '?', why });
    socket.on('error', () => undefined);
    socket.resume();
    socket.end(this.options.refusal(why));
    const force = setTimeout(() => socket.destroy(), END_GRACE_MS).unref();
    socket.once('close', () => clearTimeout(force));
  }

  /** Closes the port: new connections are refused; those open stay open. */
  stopAccepting(): void {
    const server = this.server;
    if (!server || this.closed) return;
    this.closed = new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Stops accepting; resolves once every connection (closed by the front meanwhile) is gone. */
  async stop(closeAll: () => void): Promise<void> {
    if (!this.server) return;
    this.stopAccepting();
    const closed = this.closed!;
    this.server = null;
    closeAll();
    await closed;
    this.current = 'stopped';
  }
}
