/**
 * Differential IRC sessions: one scripted conversation of raw-socket clients, run against our
 * gateway and against a real IRC server (ngircd), each side's replies normalised (server names,
 * hosts, timestamps, prose) so that what remains is what clients read: the numerics, their
 * parameters, the commands relayed. Deliberate differences are named allowances: a rewrite of
 * one side's lines, which must fire (or the allowance is stale), or a step where each side is
 * held to its own stated lines. A scenario is a function of a `DiffSession`; other scenarios
 * (channel modes, CAP) add themselves the same way.
 */
import { isUtf8 } from 'node:buffer';
import { connect, type Socket } from 'node:net';
import { parseMessage } from '../../src/bridges/irc/message.js';
import { waitFor } from './wait.js';

/** One server under test, as the normaliser needs to know it. */
export interface Target {
  side: 'ours' | 'ngircd';
  port: number;
  serverName: string;
  /** The host the server shows its clients under (`irc` here, the address there). */
  clientHost: string;
}

/** Numerics whose last parameter is prose (wording differs between servers, meaning does not). */
const PROSE = new Set([
  '001', '002', '003', '250', '251', '252', '253', '254', '255', '256', '257', '258', '259', '265', '266',
  '305', '306', '312', '315', '317', '318', '321', '323', '331', '351', '366', '369', '371', '372', '374',
  '375', '376', '391', '401', '406', '417', '421', '422', '431', '432', '433', '451', '461', '462',
]);

/** A line as a client reads it, with the server's own words and names taken out. */
export function normalise(line: string, target: Target): string {
  const m = parseMessage(line);
  if (!m) return `<unparsed ${line}>`;
  const host = (text: string): string => (text === target.clientHost ? '<host>' : text.split(`@${target.clientHost}`).join('@<host>'));
  const word = (p: string): string => (p === target.serverName ? '<server>' : /^\d{9,}$/.test(p) ? '<time>' : host(p));
  const params = m.params.map(word);
  if (/^\d{3}$/.test(m.verb) && PROSE.has(m.verb) && params.length > 1) params[params.length - 1] = '<text>';
  if (m.verb === '317') params[2] = '<n>';
  if (m.verb === 'ERROR') params[0] = '<text>';
  const source = m.source === undefined ? '' : `:${m.source === target.serverName ? '<server>' : host(m.source)} `;
  const last = params.length > 0 ? ` :${params.pop()}` : '';
  return `${source}${m.verb}${params.map((p) => ` ${p}`).join('')}${last}`;
}

/** One raw-socket client; keeps every line as bytes, so a test can check their encoding too. */
export class DiffClient {
  private readonly received: Buffer[] = [];
  private partial = Buffer.alloc(0);
  closed = false;
  /** Every line this client got, raw (without CR LF). */
  readonly raw: Buffer[] = [];

  private constructor(
    readonly label: string,
    private readonly socket: Socket,
  ) {
    socket.on('data', (chunk: Buffer) => {
      let data = Buffer.concat([this.partial, chunk]);
      for (let at = data.indexOf('\r\n'); at >= 0; at = data.indexOf('\r\n')) {
        const line = data.subarray(0, at);
        this.received.push(line);
        this.raw.push(line);
        data = data.subarray(at + 2);
      }
      this.partial = Buffer.from(data);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => (this.closed = true));
  }

  static async open(label: string, port: number): Promise<DiffClient> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new DiffClient(label, socket);
  }

  send(line: string | Buffer): void {
    this.socket.write(Buffer.concat([typeof line === 'string' ? Buffer.from(line) : line, Buffer.from('\r\n')]));
  }

  /** Takes every line up to and including the first that `done` accepts. */
  async until(done: (line: string) => boolean, what: string): Promise<string[]> {
    const at = await waitFor(what, () => {
      const i = this.received.findIndex((l) => done(l.toString('utf8')));
      return i < 0 ? undefined : i + 1;
    });
    return this.received.splice(0, at).map((l) => l.toString('utf8'));
  }

  /** Everything received so far: a PING's PONG comes after what earlier commands caused. */
  async sync(): Promise<string[]> {
    const token = `sync${Math.random().toString(36).slice(2, 10)}`;
    this.send(`PING ${token}`);
    return (await this.until((l) => / PONG /.test(l) && l.endsWith(token), `the PONG ${token} on ${this.label}`)).slice(0, -1);
  }

  async waitClosed(): Promise<string[]> {
    await waitFor(`${this.label}'s connection to close`, () => this.closed);
    return this.received.splice(0).map((l) => l.toString('utf8'));
  }

  close(): void {
    this.socket.destroy();
  }
}

/** One step of a conversation: what every client read because of it, normalised and labelled. */
export interface Step {
  name: string;
  lines: string[];
}

/** A conversation with one server: clients come, act, and every step's effects are recorded. */
export class DiffSession {
  readonly steps: Step[] = [];
  private readonly clients: DiffClient[] = [];
  /** Every client the session opened, gone ones included. */
  private readonly all: DiffClient[] = [];

  constructor(readonly target: Target) {}

  private record(name: string, got: [DiffClient, string[]][]): void {
    this.steps.push({ name, lines: got.flatMap(([c, lines]) => lines.map((l) => `${c.label}< ${normalise(l, this.target)}`)) });
  }

  /** Connects and registers; the step is the whole registration burst (up to the MOTD's end). */
  async client(label: string, nick: string, user: string, realname: string | Buffer): Promise<DiffClient> {
    const c = await DiffClient.open(label, this.target.port);
    c.send(`NICK ${nick}`);
    c.send(Buffer.concat([Buffer.from(`USER ${user} 0 * :`), typeof realname === 'string' ? Buffer.from(realname) : realname]));
    const burst = await c.until((l) => / (376|422) /.test(l), `${label}'s welcome`);
    this.clients.push(c);
    this.all.push(c);
    this.record(`${label} registers`, [[c, [...burst, ...(await c.sync())]], ...(await this.others(c))]);
    return c;
  }

  /** Connects without registering (a CAP negotiation first, say): the steps it takes are recorded like any other. */
  async unregistered(label: string): Promise<DiffClient> {
    const c = await DiffClient.open(label, this.target.port);
    this.clients.push(c);
    this.all.push(c);
    return c;
  }

  private async others(except: DiffClient): Promise<[DiffClient, string[]][]> {
    const got: [DiffClient, string[]][] = [];
    for (const c of this.clients) if (c !== except && !c.closed) got.push([c, await c.sync()]);
    return got;
  }

  /** `by` sends the lines; the step is what it and every other client read because of them. */
  async step(name: string, by: DiffClient, ...lines: (string | Buffer)[]): Promise<void> {
    for (const line of lines) by.send(line);
    this.record(name, [[by, await by.sync()], ...(await this.others(by))]);
  }

  /**
   * A step of a client that cannot PING yet (ngircd answers nothing before registration): what
   * `by` reads up to the first line `last` matches.
   */
  async stepUntil(name: string, by: DiffClient, last: RegExp, ...lines: string[]): Promise<void> {
    for (const line of lines) by.send(line);
    this.record(name, [[by, await by.until((l) => last.test(l), `${name} on ${by.label}`)], ...(await this.others(by))]);
  }

  /** `by` sends a line that ends its connection; the step holds what it read before the close. */
  async leave(name: string, by: DiffClient, line: string): Promise<void> {
    by.send(line);
    const own = await by.waitClosed();
    this.clients.splice(this.clients.indexOf(by), 1);
    this.record(name, [[by, own], ...(await this.others(by))]);
  }

  closeAll(): void {
    for (const c of this.clients) c.close();
  }

  /** Lines a client got that are not valid UTF-8 or are longer than 512 bytes with CR LF. */
  badLines(): string[] {
    return this.all.flatMap((c) => c.raw.filter((l) => !isUtf8(l) || l.length + 2 > 512).map((l) => `${c.label}: ${l.toString('latin1').slice(0, 60)}...`));
  }
}

/** A deliberate difference from ngircd, by name, with the reason it is ours. */
export type Allowance =
  | {
      name: string;
      why: string;
      /** Rewrites one side's lines of every step (null drops a line); it must change something. */
      side: 'ours' | 'ngircd';
      rewrite(lines: string[]): string[];
    }
  | {
      name: string;
      why: string;
      /** The step where the servers differ on purpose: each side is held to its own lines. */
      step: string;
      ours: string[];
      ngircd: string[];
    };

/** Drops the lines `test` accepts. */
export const dropping = (test: (line: string) => boolean) => (lines: string[]) => lines.filter((l) => !test(l));

/** Replaces each line by `map`'s result. */
export const mapping = (map: (line: string) => string) => (lines: string[]) => lines.map(map);

export interface Comparison {
  ours: Step[];
  ngircd: Step[];
  /** Allowances that changed nothing: stale, to be removed. */
  unused: string[];
}

/** Applies the allowances to both transcripts, so that equal transcripts mean equal behaviour. */
export function compare(ours: Step[], ngircd: Step[], allowances: readonly Allowance[]): Comparison {
  const used = new Set<string>();
  const apply = (steps: Step[], side: 'ours' | 'ngircd'): Step[] =>
    steps.map((step) => {
      let lines = step.lines;
      for (const a of allowances) {
        if ('step' in a) {
          if (a.step !== step.name) continue;
          used.add(a.name);
          const expected = side === 'ours' ? a.ours : a.ngircd;
          // Held to its own lines: a mismatch shows as the lines themselves, not as a pass.
          lines = JSON.stringify(lines) === JSON.stringify(expected) ? [`(${a.name}: as allowed)`] : lines;
          continue;
        }
        if (a.side !== side) continue;
        const next = a.rewrite(lines);
        if (JSON.stringify(next) !== JSON.stringify(lines)) used.add(a.name);
        lines = next;
      }
      return { name: step.name, lines };
    });
  const result = { ours: apply(ours, 'ours'), ngircd: apply(ngircd, 'ngircd') };
  return { ...result, unused: allowances.filter((a) => !used.has(a.name)).map((a) => a.name) };
}
