/** The IRC front: ordinary IRC clients (irssi, WeeChat, ii, libraries) join the same users and groups. */
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { Clock } from '../../core/clock.js';
import type { Front, FrontState, NameReserver, SessionOpener } from '../../core/front.js';
import type { Logger } from '../../core/log.js';
import type { IrcConfig } from '../../server/config.js';
import { IrcConnection } from './connection.js';
import { SERVICE_NICK, type IrcShared } from './session.js';

export class IrcFront implements Front {
  readonly name = 'irc';
  private server: Server | null = null;
  private readonly connections = new Set<IrcConnection>();
  private current: FrontState = 'stopped';

  constructor(
    private readonly hub: SessionOpener & NameReserver,
    private readonly config: IrcConfig,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  state(): FrontState {
    return this.current;
  }

  /** The bound port (the real one when configured as 0). */
  port(): number {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address.port : 0;
  }

  private async readMotd(): Promise<string[] | null> {
    if (this.config.motdFile === null) return null;
    try {
      const text = await readFile(this.config.motdFile, 'utf8');
      return text.replace(/\n$/, '').split(/\r?\n/);
    } catch (err) {
      throw new Error(`irc front cannot read the MOTD file ${this.config.motdFile} (IRC_MOTD_FILE): ${(err as Error).message}`);
    }
  }

  async start(): Promise<void> {
    this.current = 'starting';
    const shared: IrcShared = {
      config: this.config,
      motd: await this.readMotd(),
      startedAt: this.clock.now(),
      clock: this.clock,
      log: this.log,
      away: new Map(),
      open: (options) => this.hub.open(options),
    };
    this.hub.reserveName(SERVICE_NICK);
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket, shared));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => {
        this.current = 'failed';
        reject(new Error(`irc front cannot listen on ${this.config.host}:${this.config.port}: ${err.message}`));
      });
      server.listen({ host: this.config.host, port: this.config.port, backlog: 4096 }, () => {
        this.current = 'listening';
        server.on('error', (err) => this.log.error('irc front error', { err: err.message }));
        this.log.info(`irc front listening on ${this.config.host}:${this.port()} as ${this.config.serverName}`);
        resolve();
      });
    });
  }

  private accept(socket: Socket, shared: IrcShared): void {
    const conn = new IrcConnection(socket, shared, (c) => this.connections.delete(c));
    this.connections.add(conn);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const conn of [...this.connections]) conn.close('Closing Link: the server is shutting down');
    await closed;
    this.current = 'stopped';
  }
}
