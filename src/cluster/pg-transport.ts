/**
 * The links' second way through, over PostgreSQL's LISTEN/NOTIFY, for while NATS is away: the
 * cluster's database is there anyway (it stores every line), so a bus outage costs neither
 * answers nor deliveries. Like the bus it may lose, repeat or reorder texts (a notification
 * sent while the connection is down is gone), and the links make up for that as for the bus.
 *
 * A notification carries at most 8,000 bytes, so a text goes as numbered fragments that the
 * hearers put back together; fragments of a text that never completes are dropped after a while.
 * Every node listens on one channel and keeps the subjects it subscribed to.
 */
import pg from 'pg';
import type { Logger } from '../core/log.js';
import type { Transport } from './transport.js';

/** The channel every node of the database's cluster listens on. */
export const PG_CHANNEL = 'ics_chat_links';

/** Characters of a text per fragment: at most 3 UTF-8 bytes each, well inside 8,000 bytes with the header. */
export const FRAGMENT_CHARS = 2_400;

/** A text not complete after this long lost a fragment: it is dropped (the links send it again). */
const ASSEMBLY_MS = 10_000;
/** Texts being put together at once, at most; the oldest go first. */
const MAX_ASSEMBLING = 1_000;
const RETRY_MS = [250, 500, 1_000, 2_000];

/** The notification payloads carrying `data` on `subject`: `subject\nid\nindex\ncount\nchunk`. */
export function fragments(subject: string, id: string, data: string): string[] {
  const count = Math.max(1, Math.ceil(data.length / FRAGMENT_CHARS));
  const pieces: string[] = [];
  for (let i = 0; i < count; i++) {
    // Never between the halves of a surrogate pair: such a chunk would not be valid text.
    let start = i * FRAGMENT_CHARS;
    if (i > 0 && isLowSurrogate(data.charCodeAt(start))) start--;
    let end = Math.min(data.length, (i + 1) * FRAGMENT_CHARS);
    if (end < data.length && isLowSurrogate(data.charCodeAt(end))) end--;
    pieces.push(`${subject}\n${id}\n${i}\n${count}\n${data.slice(start, end)}`);
  }
  return pieces;
}

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

interface Assembly {
  subject: string;
  parts: (string | undefined)[];
  left: number;
  since: number;
}

/** Puts fragmented texts back together, whatever order their fragments come in. */
export class Assembler {
  private readonly open = new Map<string, Assembly>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The whole text and its subject once `payload` completes it; null until then, and for what is not a fragment. */
  take(payload: string): { subject: string; data: string } | null {
    const head = /^([^\n]*)\n([^\n]+)\n(\d+)\n(\d+)\n/.exec(payload);
    if (!head) return null;
    const [, subject, id, index, total] = head as unknown as [string, string, string, string, string];
    const count = Number(total);
    const at = Number(index);
    if (count < 1 || at >= count) return null;
    const chunk = payload.slice(head[0].length);
    if (count === 1) return { subject, data: chunk };
    this.sweep();
    let assembly = this.open.get(id);
    if (!assembly) this.open.set(id, (assembly = { subject, parts: new Array<string | undefined>(count), left: count, since: this.now() }));
    if (assembly.parts.length !== count || assembly.parts[at] !== undefined) return null;
    assembly.parts[at] = chunk;
    if (--assembly.left > 0) return null;
    this.open.delete(id);
    return { subject: assembly.subject, data: assembly.parts.join('') };
  }

  /** How many texts wait for fragments. */
  get waiting(): number {
    return this.open.size;
  }

  private sweep(): void {
    const stale = this.now() - ASSEMBLY_MS;
    for (const [id, a] of this.open) {
      if (a.since >= stale && this.open.size < MAX_ASSEMBLING) break;
      this.open.delete(id);
    }
  }
}

export class PgTransport implements Transport {
  private client: pg.Client | null = null;
  private closed = false;
  private failures = 0;
  private sent = 0;
  /** Payloads waiting for the query under way: each query notifies all that gathered, in order. */
  private outgoing: string[] = [];
  private sending = false;
  private readonly subjects = new Map<string, Set<(data: string) => void>>();
  private readonly assembler = new Assembler();
  private readonly prefix = `${process.pid.toString(36)}.${Date.now().toString(36)}`;

  /** `name` is the connection's `application_name` in PostgreSQL. */
  constructor(
    private readonly url: string,
    private readonly log: Logger,
    private readonly name?: string,
  ) {
    this.connect();
  }

  /** Whether notifications go out and come in now. */
  get connected(): boolean {
    return this.client !== null;
  }

  /** Never throws: a text that cannot go now is lost, as on the bus; the links send it again. */
  publish(subject: string, data: string): void {
    if (!this.client) return;
    this.outgoing.push(...fragments(subject, `${this.prefix}.${(++this.sent).toString(36)}`, data));
    if (!this.sending) void this.send();
  }

  /** One query at a time (a `pg` client runs them in turn), each with every payload gathered meanwhile. */
  private async send(): Promise<void> {
    this.sending = true;
    while (this.outgoing.length > 0 && this.client) {
      const payloads = this.outgoing;
      this.outgoing = [];
      await this.client.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS t (p, n) ORDER BY n', [PG_CHANNEL, payloads]).catch(() => undefined);
    }
    this.outgoing = [];
    this.sending = false;
  }

  /** Runs a statement on the node's connection (the node's lease shares it); false, having run nothing, while the connection is down. */
  async query(sql: string, params: readonly unknown[]): Promise<boolean> {
    if (!this.client) return false;
    await this.client.query(sql, [...params]);
    return true;
  }

  subscribe(subject: string, hear: (data: string) => void): () => void {
    let hearers = this.subjects.get(subject);
    if (!hearers) this.subjects.set(subject, (hearers = new Set()));
    hearers.add(hear);
    return () => void hearers.delete(hear);
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private connect(): void {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url, ...(this.name === undefined ? {} : { application_name: this.name }) });
    let gone = false;
    const lost = (why: string): void => {
      if (gone) return;
      gone = true;
      if (this.client === client) this.client = null;
      void client.end().catch(() => undefined);
      if (this.closed) return;
      const delay = RETRY_MS[Math.min(this.failures++, RETRY_MS.length - 1)]!;
      this.log.debug('cluster: the PostgreSQL way for the links is down; trying again', { err: why, inMs: delay });
      setTimeout(() => this.connect(), delay).unref();
    };
    client.on('error', (err) => lost(err.message));
    client.on('end', () => lost('the connection ended'));
    client.on('notification', (n) => {
      if (n.channel === PG_CHANNEL && n.payload !== undefined) this.heard(n.payload);
    });
    client
      .connect()
      .then(() => client.query(`LISTEN ${PG_CHANNEL}`))
      .then(
        () => {
          if (gone || this.closed) return void client.end().catch(() => undefined);
          this.failures = 0;
          this.client = client;
        },
        (err: Error) => lost(err.message),
      );
  }

  private heard(payload: string): void {
    const text = this.assembler.take(payload);
    if (!text) return;
    const hearers = this.subjects.get(text.subject);
    if (!hearers) return;
    for (const hear of [...hearers]) hear(text.data);
  }
}

/**
 * NATS while it is up, PostgreSQL while it is not: texts go out one way (the bus, unless it is
 * away), and are heard from both, so nothing said during an outage waits for the bus to return.
 * A text that goes both ways (the bus dropped just as it went) is heard twice, which the links drop.
 */
export class FallbackTransport implements Transport {
  constructor(
    private readonly bus: Transport & { readonly connected: boolean },
    private readonly fallback: Transport,
  ) {}

  publish(subject: string, data: string): void {
    if (this.bus.connected) this.bus.publish(subject, data);
    else this.fallback.publish(subject, data);
  }

  subscribe(subject: string, hear: (data: string) => void): () => void {
    const off = [this.bus.subscribe(subject, hear), this.fallback.subscribe(subject, hear)];
    return () => off.forEach((stop) => stop());
  }
}
