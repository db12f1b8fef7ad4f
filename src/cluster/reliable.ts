/**
 * Exactly once and in order over a bus that may drop, repeat or reorder: each stream numbers its
 * batches, and the receiver hands them on in number order. It drops a number it has had, holds
 * one that came early, and asks for the missing ones (`nack`: the first missing, and the later
 * ones it holds, which need not come again). The sender keeps every batch
 * until the receiver's `ack` covers it. It sends again what the receiver asked for, and what
 * stays unacknowledged past a heartbeat in which the receiver acknowledged nothing new, which
 * covers the last batch of a burst being lost. A receiver whose acknowledgements move on is alive
 * and merely behind: it asks for any gap itself, and sending it the rest again would only add to
 * what it is behind on. A sender that would have to keep more than its cap says so. Then the
 * stream starts over.
 */

/** The most numbers a nack lists as held: the lowest, the ones a lost batch was sent before. */
export const HOLDS_LISTED = 1000;

/**
 * What a receiver that asks for a gap has past it: the numbers it holds, and the last number it
 * lacks. Past the highest it holds, a batch is more likely still on its way than lost: a later
 * one's coming shows the gap, and a last one lost is sent again on a heartbeat.
 */
export interface Holds {
  held: ReadonlySet<number>;
  upTo: number;
}

/** A nack that says nothing of what is held (or lists too much to tell): everything from the gap on. */
const EVERYTHING_AFTER: Holds = { held: new Set(), upTo: Infinity };

/** What a nack's `holds` says the receiver lacks. */
export function holdsOf(listed: unknown): Holds {
  if (!Array.isArray(listed) || listed.length === 0) return EVERYTHING_AFTER;
  const held = new Set(listed.filter((n): n is number => typeof n === 'number'));
  if (held.size === 0) return EVERYTHING_AFTER;
  return { held, upTo: listed.length >= HOLDS_LISTED ? Infinity : Math.max(...held) };
}

/** The sender's half: numbers batches and keeps them until acknowledged. */
export class Outgoing<T> {
  private next = 1;
  /** Everything up to here was acknowledged (and is no longer kept). */
  private ackedUpTo = 0;
  private readonly kept = new Map<number, { batch: T; at: number }>();

  constructor(
    /** Most batches kept unacknowledged; past it the stream must start over. */
    private readonly cap: number,
  ) {}

  /** Numbers a batch and keeps it; null when the cap is reached (start the stream over). */
  number(batch: T, now: number): number | null {
    if (this.kept.size >= this.cap) return null;
    const seq = this.next++;
    this.kept.set(seq, { batch, at: now });
    return seq;
  }

  /** Everything up to here was acknowledged. */
  get acknowledged(): number {
    return this.ackedUpTo;
  }

  /** The receiver has everything up to `seq`; returns when each batch it newly covers was (last) sent. */
  acked(seq: number): number[] {
    if (seq > this.ackedUpTo) this.ackedUpTo = seq;
    const sentAt: number[] = [];
    for (const [n, kept] of this.kept) {
      if (n > seq) break;
      sentAt.push(kept.at);
      this.kept.delete(n);
    }
    return sentAt;
  }

  /**
   * What to send again: what the receiver lacks from `from` on (a nack), or what waited
   * unacknowledged since before `staleBefore`; null when the receiver asks for what it had
   * acknowledged (it lost its place: start the stream over).
   */
  again(from: number | null, staleBefore: number, now: number, holds: Holds = EVERYTHING_AFTER): { seq: number; batch: T }[] | null {
    if (from !== null && from <= this.ackedUpTo) return null;
    const out: { seq: number; batch: T }[] = [];
    for (const [seq, kept] of this.kept) {
      if ((from !== null && seq >= from && seq <= holds.upTo && !holds.held.has(seq)) || kept.at < staleBefore) {
        kept.at = now;
        out.push({ seq, batch: kept.batch });
      }
    }
    return out;
  }

  get waiting(): number {
    return this.kept.size;
  }
}

/** The receiver's half: hands batches on in number order, each once. */
export class Incoming<T> {
  private delivered = 0;
  private readonly early = new Map<number, T>();

  /**
   * Takes batch `seq`; returns the batches now ready, in order, and the first number still
   * missing when a gap is known (to ask for), else null.
   */
  take(seq: number, batch: T): { ready: T[]; missing: number | null } {
    if (seq <= this.delivered || this.early.has(seq)) return { ready: [], missing: this.gap() };
    this.early.set(seq, batch);
    const ready: T[] = [];
    for (let n = this.delivered + 1; this.early.has(n); n++) {
      ready.push(this.early.get(n)!);
      this.early.delete(n);
      this.delivered = n;
    }
    return { ready, missing: this.gap() };
  }

  /** The last number handed on: what to acknowledge. */
  get ack(): number {
    return this.delivered;
  }

  /** The first missing number while later ones wait, else null. */
  gap(): number | null {
    return this.early.size > 0 ? this.delivered + 1 : null;
  }

  /** The numbers held past the gap, lowest first, at most HOLDS_LISTED of them. */
  holding(): number[] {
    return [...this.early.keys()].sort((a, b) => a - b).slice(0, HOLDS_LISTED);
  }

  /** Batches held because an earlier one is missing. */
  get held(): number {
    return this.early.size;
  }
}

/** A batch as it crosses the bus: its number (0: only acknowledges or asks), what the sender has had, what it misses. */
export interface Wire<M> extends WireHead {
  messages: M[];
}

/** Told how the links do (metrics): what was sent again, gaps asked for, and the round trip from a batch to its acknowledgement. */
export interface LinkObserver {
  resent(batches: number): void;
  askedForGap(): void;
  acknowledged(seconds: number): void;
}

const UNOBSERVED: LinkObserver = { resent: () => undefined, askedForGap: () => undefined, acknowledged: () => undefined };

/** Kept unacknowledged at the most, per stream, before it starts over. */
export const STREAM_CAP = 50_000;

/**
 * The most characters of messages one batch carries: at most three bytes each in UTF-8, so a
 * batch stays under NATS's default 1 MB message limit. A longer turn is sent as several batches.
 */
export const BATCH_CHARS = 256 * 1024;

/** What goes before a batch's messages: its number, what the sender has had, what it misses. */
export interface WireHead {
  seq: number;
  ack: number;
  /** The first number it misses. */
  nack?: number;
  /** With a nack: numbers past it that it has already (not to be sent again). */
  holds?: number[];
}

/**
 * Both halves of one side of a link: what it sends (numbered, kept, sent again) and what it
 * hears (in order, once). `send` puts a batch on the bus: the head and the messages, already
 * serialised as a JSON array (each message is serialised once, as it is batched).
 */
export class LinkStream<Out, In> {
  private readonly out: Outgoing<string>;
  private readonly heard = new Incoming<In[]>();
  private nackedAt = -Infinity;
  /** What the receiver had acknowledged at the last heartbeat. */
  private ackedAtBeat = 0;

  constructor(
    private readonly send: (head: WireHead, messages: string) => void,
    private readonly now: () => number,
    /** The shortest time between two asks for the same gap. */
    private readonly nackGapMs: number,
    private readonly observer: LinkObserver = UNOBSERVED,
    /** What a message too long for any batch becomes instead (an error saying so); it must fit. */
    private readonly shrink: (message: Out) => Out = (message) => message,
    cap = STREAM_CAP,
  ) {
    this.out = new Outgoing(cap);
  }

  /** Sends the messages as the next batches, in order, none longer than BATCH_CHARS; false when the cap is reached (start over). */
  push(messages: readonly Out[]): boolean {
    let body = '';
    let count = 0;
    const batch = (): boolean => {
      if (count === 0) return true;
      const text = `[${body}]`;
      const seq = this.out.number(text, this.now());
      if (seq === null) return false;
      this.send({ seq, ack: this.heard.ack }, text);
      body = '';
      count = 0;
      return true;
    };
    for (const message of messages) {
      let json = JSON.stringify(message);
      if (json.length > BATCH_CHARS) json = JSON.stringify(this.shrink(message));
      if (count > 0 && body.length + json.length + 1 > BATCH_CHARS && !batch()) return false;
      body = count === 0 ? json : `${body},${json}`;
      count++;
    }
    return batch();
  }

  /** The messages a batch makes ready, in order; null when the other side lost its place (start over). */
  take(wire: Wire<In>): In[] | null {
    const now = this.now();
    for (const at of this.out.acked(wire.ack)) this.observer.acknowledged((now - at) / 1000);
    if (wire.nack !== undefined && !this.resend(wire.nack, -Infinity, holdsOf(wire.holds))) return null;
    if (wire.seq === 0) return [];
    const { ready, missing } = this.heard.take(wire.seq, wire.messages);
    if (missing !== null && now - this.nackedAt >= this.nackGapMs) {
      this.nackedAt = now;
      this.observer.askedForGap();
      this.send(this.head(), '[]');
    }
    return ready.flat();
  }

  /**
   * A heartbeat: says what it has had (and misses), and sends again what waited past `staleMs`
   * unless the receiver acknowledged more since the last one (it is behind, and asks for gaps).
   */
  beat(staleMs: number): void {
    if (this.out.acknowledged === this.ackedAtBeat) this.resend(null, this.now() - staleMs);
    this.ackedAtBeat = this.out.acknowledged;
    this.send(this.head(), '[]');
  }

  /** A head that only acknowledges, and asks for the gap if there is one. */
  private head(): WireHead {
    const gap = this.heard.gap();
    return gap === null ? { seq: 0, ack: this.heard.ack } : { seq: 0, ack: this.heard.ack, nack: gap, holds: this.heard.holding() };
  }

  private resend(from: number | null, staleBefore: number, holds?: Holds): boolean {
    const again = this.out.again(from, staleBefore, this.now(), holds);
    if (again === null) return false;
    if (again.length > 0) this.observer.resent(again.length);
    for (const { seq, batch } of again) this.send({ seq, ack: this.heard.ack }, batch);
    return true;
  }
}

/** A batch's text on the bus: the envelope's fields, the head, then the messages as they were serialised. */
export function batchText(envelope: Record<string, string | number | boolean>, head: WireHead, messages: string): string {
  const fields = JSON.stringify({ ...envelope, ...head });
  return `${fields.slice(0, -1)},"messages":${messages}}`;
}
