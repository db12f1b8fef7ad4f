/**
 * The real `irc-framework` client, recording every event it emits so tests can wait (with a
 * deadline) for the next one of a kind that matches.
 */
import IRC, { type Client } from 'irc-framework';
import { waitFor } from './wait.js';

/** One recorded event: its name under `event`, its fields as irc-framework gave them. */
export type IrcEvent = Record<string, unknown> & { event: string };

const EVENTS = ['registered', 'join', 'part', 'quit', 'kick', 'userlist', 'topic', 'privmsg', 'notice', 'action', 'whois', 'nick in use', 'invite', 'invited', 'mode', 'irc error', 'close', 'loggedin', 'sasl failed', 'banlist', 'channel info', 'batch end', 'raw', 'nick', 'away', 'back'];

/** What a client asks for beyond what irc-framework asks by itself: more capabilities, echo-message. */
export interface FrameworkOptions {
  caps?: string[];
  echo?: boolean;
}

export class FrameworkClient {
  readonly events: IrcEvent[] = [];
  readonly client: Client;

  private constructor() {
    this.client = new IRC.Client();
    for (const event of EVENTS) this.client.on(event, (e: Record<string, unknown> | undefined) => this.events.push({ ...(e ?? {}), event }));
  }

  /** Connects and waits for 001; `account` logs in to a registered name through SASL PLAIN. */
  static async connect(port: number, nick: string, account?: { account: string; password: string }, options: FrameworkOptions = {}): Promise<FrameworkClient> {
    const c = FrameworkClient.start(port, nick, account, options);
    await c.next('registered');
    return c;
  }

  /** Connects without waiting for anything. */
  static start(port: number, nick: string, account?: { account: string; password: string }, options: FrameworkOptions = {}): FrameworkClient {
    const c = new FrameworkClient();
    if (options.caps) c.client.requestCap(options.caps);
    const echo = options.echo ? { enable_echomessage: true } : {};
    c.client.connect({ host: '127.0.0.1', port, nick, username: nick, gecos: `${nick} via irc-framework`, auto_reconnect: false, ...(account ? { account } : {}), ...echo });
    return c;
  }

  /** Removes and returns the first recorded event named `event` that satisfies `match`. */
  async next(event: string, match: (e: IrcEvent) => boolean = () => true, timeoutMs = 5000): Promise<IrcEvent> {
    return waitFor(`an irc-framework ${event} event`, () => {
      const at = this.events.findIndex((e) => e.event === event && match(e));
      return at < 0 ? undefined : this.events.splice(at, 1)[0];
    }, timeoutMs);
  }

  /** The next notice from the service whose text matches; its text. */
  async fromService(pattern: RegExp): Promise<string> {
    const e = await this.next('notice', (n) => n['nick'] === 'ics' && pattern.test(String(n['message'])));
    return String(e['message']);
  }

  /** The texts of the service's notices received so far (consumed). */
  serviceLines(): string[] {
    const mine = this.events.filter((e) => e.event === 'notice' && e['nick'] === 'ics');
    for (const e of mine) this.events.splice(this.events.indexOf(e), 1);
    return mine.map((e) => String(e['message']));
  }

  close(): void {
    this.client.quit('bye');
  }
}
