/**
 * The soak's IRC user: chat in the group's channel, commands to the service `ics`. Each command
 * is followed by a PING whose PONG closes it: the gateway answers in the order it was asked, so
 * the service's notices in between are that command's reply. The channel's members come from
 * JOIN, NAMES, PART and QUIT; a notice, numeric error or ERROR nobody asked for is a problem.
 */
import type { Socket } from 'node:net';
import { parseMessage, type IrcMessage } from '../bridges/irc/message.js';
import { toRoman } from '../core/roman.js';
import { LineSplitter, openSocket, waitFor, type Endpoint } from '../bench/wire.js';
import { REPLY_MS, type SoakClient, type SoakHooks } from './clients.js';

const SERVICE = 'ics';

/** What the service says on its own, as the churn causes it. */
const EXPECTED_NOTICE = [/ connected with you: chat in #/, /^everyone left, you are alone$/, /^You are in #/];

/** A line the gateway sent, with its source split into nick and host (`name!name@front`). */
type Parsed = IrcMessage & { nick: string; host: string };

function parse(line: string): Parsed {
  const message = parseMessage(line) ?? { verb: '', params: [] };
  const source = message.source ?? '';
  const bang = source.indexOf('!');
  const at = source.indexOf('@');
  return { ...message, nick: bang >= 0 ? source.slice(0, bang) : source, host: at >= 0 ? source.slice(at + 1) : '' };
}

export class IrcClient implements SoakClient {
  readonly front = 'irc';
  members = new Set<string>();
  private channel: string | null = null;
  private socket: Socket | null = null;
  private readonly lines = new LineSplitter((line) => this.line(line));
  private registered: (() => void) | null = null;
  /** The notices of the command in flight, until its PONG. */
  private collecting: { tag: string; notices: string[]; done(notices: string[]): void } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private tags = 0;
  private closing = false;
  private welcomed = false;

  constructor(
    readonly name: string,
    private readonly target: Endpoint,
    private readonly hooks: SoakHooks,
  ) {}

  async login(): Promise<void> {
    const socket = await openSocket(this.target);
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.lines.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (!this.closing) this.hooks.problem('disconnect', this.name, 'the server closed the connection');
      this.closing = true;
    });
    await waitFor<void>(`registration of ${this.name}`, REPLY_MS, (resolve) => {
      this.registered = resolve;
      this.send(`NICK ${this.name}`, `USER ${this.name} 0 * :soak`);
    });
    // The welcome (MOTD, the service's greeting) is over once this PONG arrives.
    await this.command();
    this.welcomed = true;
  }

  private send(...lines: string[]): void {
    this.socket?.write(lines.map((l) => `${l}\r\n`).join(''));
  }

  /** Sends `lines` and a PING; resolves with the service's notices up to its PONG. */
  private command(...lines: string[]): Promise<string[]> {
    const run = (): Promise<string[]> =>
      waitFor<string[]>(`${lines[0] ?? 'the welcome'} for ${this.name}`, REPLY_MS, (resolve, reject) => {
        if (this.closing) return reject(new Error(`${this.name} is closed`));
        const tag = `soak${++this.tags}`;
        this.collecting = { tag, notices: [], done: resolve };
        this.send(...lines, `PING :${tag}`);
      }).finally(() => (this.collecting = null));
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private line(line: string): void {
    const m = parse(line);
    switch (m.verb) {
      case 'PING':
        return this.send(`PONG :${m.params[0] ?? ''}`);
      case 'PONG':
        if (this.collecting && m.params.at(-1) === this.collecting.tag) this.collecting.done(this.collecting.notices);
        return;
      case '001':
        this.registered?.();
        this.registered = null;
        return;
      case 'PRIVMSG':
        if (m.params[0] === this.channel) this.hooks.line(this.name, m.nick, m.host, m.params[1] ?? '');
        else this.hooks.problem('protocol', this.name, `a message outside the channel: ${line.slice(0, 120)}`);
        return;
      case 'NOTICE':
        return this.notice(m, line);
      case 'JOIN':
        if (m.nick === this.name) {
          this.channel = m.params[0] ?? null;
          this.members = new Set();
        } else {
          this.members.add(m.nick);
        }
        return;
      case '353':
        for (const n of (m.params[3] ?? '').split(' ')) if (n !== '') this.members.add(n.replace(/^@/, ''));
        return;
      case 'PART':
        if (m.nick === this.name) {
          this.channel = null;
          this.members = new Set();
        } else {
          this.members.delete(m.nick);
        }
        return;
      case 'QUIT':
        this.members.delete(m.nick);
        return;
      case 'ERROR':
        // The server's answer to our QUIT is the one ERROR expected.
        if (!this.closing) this.hooks.problem('error', this.name, line.slice(0, 200));
        return;
      default:
        // 422 is only "no message of the day".
        if (/^[45]\d\d$/.test(m.verb) && m.verb !== '422') this.hooks.problem('error', this.name, line.slice(0, 200));
    }
  }

  private notice(m: Parsed, line: string): void {
    const text = m.params[1] ?? '';
    if (m.nick !== SERVICE) return this.hooks.problem('protocol', this.name, `a notice from ${m.nick}: ${line.slice(0, 120)}`);
    if (this.collecting) {
      this.collecting.notices.push(text);
      return;
    }
    if (this.welcomed && !EXPECTED_NOTICE.some((re) => re.test(text))) this.hooks.problem('error', this.name, `notice: ${text.slice(0, 160)}`);
  }

  async joinRoom(room: string): Promise<void> {
    await this.command(`JOIN ${room}`);
    if (this.channel?.toLowerCase() !== room.toLowerCase()) throw new Error(`${this.name} did not join ${room}`);
  }

  async connectTo(peer: string): Promise<void> {
    const notices = await this.command(`PRIVMSG ${SERVICE} :c ${peer}`);
    if (this.channel === null) throw new Error(`${this.name} could not connect to ${peer}: ${notices.join(' / ').slice(0, 160)}`);
  }

  say(message: string): void {
    if (this.channel) this.send(`PRIVMSG ${this.channel} :${message}`);
    else this.hooks.problem('protocol', this.name, 'asked to chat while in no channel');
  }

  leave(): void {
    if (this.channel) this.send(`PART ${this.channel}`);
  }

  async search(word: string): Promise<string[]> {
    return this.command(`PRIVMSG ${SERVICE} :? ${word}`);
  }

  async poem(n: number): Promise<string> {
    const notices = await this.command(`PRIVMSG ${SERVICE} :p ${n}`);
    const title = `${toRoman(n)}.`;
    return notices.find((t) => t.trim() === title) ?? notices[0] ?? '';
  }

  logout(): void {
    this.closing = true;
    this.send('QUIT :soak done');
    this.socket?.end();
  }
}
