/** The IRC front: ordinary IRC clients (irssi, WeeChat, ii, libraries) join the same users and groups. */
import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import type { Clock } from '../../core/clock.js';
import type { Front, FrontState, NameReserver, SessionOpener } from '../../core/front.js';
import type { Logger } from '../../core/log.js';
import type { Admission, Ticket } from '../../net/admission.js';
import { SocketListener } from '../../net/socket-listener.js';
import type { IrcConfig } from '../../server/config.js';
import { IrcConnection } from './connection.js';
import { SERVICE_NICK, sharedState, type IrcShared } from './client.js';
import { DEFAULT_MOTD } from './welcome.js';

/** Liveness checks per ping interval. */
const LIVENESS_CHECKS = 8;

export class IrcFront implements Front {
  readonly name = 'irc';
  private readonly connections = new Set<IrcConnection>();
  /** Connections that have not completed registration (LUSERS counts them at every registration: kept, not counted). */
  private readonly registering = new Set<IrcConnection>();
  private readonly listener: SocketListener;
  /** Every connection's goodbye and registration: one function each for all of them. */
  private readonly forget = (conn: IrcConnection): void => {
    this.connections.delete(conn);
    this.registering.delete(conn);
  };
  private readonly registered = (conn: IrcConnection): void => void this.registering.delete(conn);
  private shared: IrcShared | null = null;
  /** One timer checks every connection's liveness, so a PING comes up to an eighth of the interval late. */
  private liveness: NodeJS.Timeout | null = null;

  constructor(
    private readonly hub: SessionOpener & NameReserver,
    private readonly config: IrcConfig,
    private readonly log: Logger,
    private readonly clock: Clock,
    admission: Admission,
  ) {
    this.listener = new SocketListener(
      { front: 'irc', host: config.host, port: config.port, log, describe: `as ${config.serverName}`, admission, refusal: (why) => `ERROR :Closing Link: * (${why})\r\n` },
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

  /** The MOTD file's lines (none: 422), or the shipped default when IRC_MOTD_FILE names no file. */
  private async readMotd(): Promise<readonly string[]> {
    if (this.config.motdFile === null) return DEFAULT_MOTD;
    try {
      const text = await readFile(this.config.motdFile, 'utf8');
      return text.trim() === '' ? [] : text.replace(/\n$/, '').split(/\r?\n/);
    } catch (err) {
      throw new Error(`irc front cannot read the MOTD file ${this.config.motdFile} (IRC_MOTD_FILE): ${(err as Error).message}`);
    }
  }

  async start(): Promise<void> {
    this.shared = sharedState({
      config: this.config,
      motd: await this.readMotd(),
      startedAt: this.clock.now(),
      clock: this.clock,
      log: this.log,
      unregistered: () => this.registering.size,
      open: (options) => this.hub.open(options),
    });
    this.hub.reserveName(SERVICE_NICK);
    await this.listener.start();
    this.liveness = setInterval(() => this.checkLiveness(), this.config.pingIntervalMs / LIVENESS_CHECKS).unref();
  }

  private checkLiveness(): void {
    const now = performance.now();
    for (const conn of this.connections) conn.checkLiveness(now);
  }

  private accept(socket: Socket, ticket: Ticket): void {
    const conn = new IrcConnection(socket, this.shared!, ticket, this.forget, this.registered);
    this.connections.add(conn);
    this.registering.add(conn);
  }

  stopAccepting(): void {
    this.listener.stopAccepting();
  }

  stop(): Promise<void> {
    if (this.liveness) clearInterval(this.liveness);
    this.liveness = null;
    return this.listener.stop(() => {
      for (const conn of [...this.connections]) conn.close(`Closing Link: ${conn.nick} (Server restarting)`);
    });
  }
}
