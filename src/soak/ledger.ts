/**
 * Accounts for every chat line of a soak. Each line carries its id (`s<id> ...`); the ledger
 * knows who was in the group when it was sent, and counts, per receiving front, what was
 * expected, delivered, duplicated, out of order (a sender's lines overtaking each other) and
 * stray (delivered to someone who was not in the group, or with the wrong sender or front).
 */
import type { SoakFront } from './clients.js';

export interface Tally {
  expected: number;
  delivered: number;
  duplicated: number;
  outOfOrder: number;
  stray: number;
}

interface Line {
  sender: string;
  waiting: Set<string>;
  got: Set<string>;
}

const LINE_ID = /^s(\d+) /;

const tally = (): Tally => ({ expected: 0, delivered: 0, duplicated: 0, outOfOrder: 0, stray: 0 });

export class Ledger {
  private readonly lines = new Map<number, Line>();
  /** The last line id each receiver got from each sender. */
  private readonly last = new Map<string, number>();
  private readonly fronts = new Map<string, SoakFront>();
  readonly byFront: Record<SoakFront, Tally> = { tcp: tally(), irc: tally(), web: tally() };
  private nextId = 1;
  sent = 0;

  /** Tells the ledger which front a user is on (before they can receive). */
  user(name: string, front: SoakFront): void {
    this.fronts.set(name, front);
  }

  /** A new line from `sender` to `receivers` (the other members): its text, to send as is. */
  line(sender: string, receivers: readonly string[], words: string): { id: number; text: string } {
    const id = this.nextId++;
    this.sent++;
    this.lines.set(id, { sender, waiting: new Set(receivers), got: new Set() });
    for (const r of receivers) this.tally(r).expected++;
    return { id, text: `s${id} ${words}` };
  }

  /** The receiver got a chat line. */
  readonly received = (receiver: string, from: string, front: string, message: string): void => {
    const t = this.tally(receiver);
    const id = Number(LINE_ID.exec(message)?.[1] ?? Number.NaN);
    const line = this.lines.get(id);
    if (!line || line.sender !== from || this.fronts.get(from) !== front || (!line.waiting.has(receiver) && !line.got.has(receiver))) {
      t.stray++;
      return;
    }
    if (line.got.has(receiver)) {
      t.duplicated++;
      return;
    }
    line.waiting.delete(receiver);
    line.got.add(receiver);
    t.delivered++;
    const key = `${receiver}\n${from}`;
    if ((this.last.get(key) ?? 0) > id) t.outOfOrder++;
    else this.last.set(key, id);
  };

  /** Whether every receiver of these lines has it. */
  delivered(ids: readonly number[]): boolean {
    return ids.every((id) => (this.lines.get(id)?.waiting.size ?? 0) === 0);
  }

  /** Whether `receiver` got line `id` (so it is in their history). */
  has(receiver: string, id: number): boolean {
    return this.lines.get(id)?.got.has(receiver) ?? false;
  }

  /** Expected deliveries still missing: lost, once the soak has waited for them. */
  missing(): number {
    let n = 0;
    for (const line of this.lines.values()) n += line.waiting.size;
    return n;
  }

  totals(): Tally & { lost: number } {
    const all = tally();
    for (const t of Object.values(this.byFront)) for (const k of Object.keys(all) as (keyof Tally)[]) all[k] += t[k];
    return { ...all, lost: this.missing() };
  }

  /** Missing deliveries per receiving front. */
  lostByFront(): Record<SoakFront, number> {
    const lost: Record<SoakFront, number> = { tcp: 0, irc: 0, web: 0 };
    for (const line of this.lines.values()) for (const r of line.waiting) lost[this.fronts.get(r) ?? 'tcp']++;
    return lost;
  }

  private tally(receiver: string): Tally {
    return this.byFront[this.fronts.get(receiver) ?? 'tcp'];
  }
}
