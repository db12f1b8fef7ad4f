/**
 * The writes a history store has queued since its last commit, shared by the implementations so
 * that they agree on what a queued write already answers (a direct conversation's group, a
 * group's last seq, whether a user has history) and on what a failed commit keeps.
 */
import { countSaid, readConversations, readPage, type PageSource } from './history-page.js';
import type { Conversation, FoundLine, GroupKind, HistoryBound, HistoryPlace, NewLine, PageRequest, StoredLine } from './history.js';

/** `to` of a membership that has not ended. */
export const OPEN = Number.MAX_SAFE_INTEGER;

export type HistoryWrite =
  | { kind: 'line'; line: StoredLine }
  | { kind: 'group'; group: number; groupKind: GroupKind; label: string }
  | { kind: 'direct'; pair: Pair; group: number; label: string }
  | { kind: 'join'; id: number; user: string; group: number; after: number }
  | { kind: 'leave'; user: string; group: number; upTo: number }
  | { kind: 'adopt'; from: string; to: string; since: number }
  /** Line `id` now reads `text` (an edit), or is deleted (`null`): search finds only what it reads now. */
  | { kind: 'revise'; id: number; text: string | null };

/** Two history keys in a fixed order, so that either order names the same conversation. */
export type Pair = readonly [string, string];

export function pairOf(keyA: string, keyB: string): Pair {
  return keyA <= keyB ? [keyA, keyB] : [keyB, keyA];
}

export class WriteQueue {
  private writes: HistoryWrite[] = [];

  push(write: HistoryWrite): void {
    this.writes.push(write);
  }

  /** Everything queued, in order; the queue is empty after. */
  take(): HistoryWrite[] {
    const taken = this.writes;
    this.writes = [];
    return taken;
  }

  /**
   * Puts back what a failed commit took. Its lines are refused (their senders are told), but the
   * membership changes still happened: they go first in the next commit, so that who may read
   * the lines stored after the fault stays right.
   */
  restore(failed: HistoryWrite[]): void {
    this.writes = [...failed.filter((w) => w.kind !== 'line'), ...this.writes];
  }

  get length(): number {
    return this.writes.length;
  }

  /** The group of a direct conversation queued for this pair, if any. */
  direct(pair: Pair): number | undefined {
    for (const w of this.writes) if (w.kind === 'direct' && w.pair[0] === pair[0] && w.pair[1] === pair[1]) return w.group;
    return undefined;
  }

  /** The highest seq among the group's queued lines; 0 when none. */
  lastSeq(group: number): number {
    let seq = 0;
    for (const w of this.writes) if (w.kind === 'line' && w.line.group === group && w.line.seq > seq) seq = w.line.seq;
    return seq;
  }

  hasJoin(user: string): boolean {
    return this.writes.some((w) => w.kind === 'join' && w.user === user);
  }
}

/**
 * What every history store does alike before a commit: it queues the writes, numbers lines and
 * memberships, and answers from the queue what that already tells. A store adds how it commits,
 * searches, and reads what is committed.
 */
export abstract class QueuedHistory {
  protected readonly queue = new WriteQueue();
  /** What pages, counts and conversations are read from (history-page.ts: one algorithm for every store). */
  protected abstract readonly pages: PageSource;
  /** Runs a read of what is committed, or refuses it (HistoryUnavailable) while the store cannot serve one. */
  protected abstract read<T>(query: () => T): T;

  page(userKey: string, place: HistoryPlace, request: PageRequest): FoundLine[] {
    return this.read(() => readPage(this.pages, userKey, place, request));
  }

  conversations(userKey: string, after: number, before: number): Conversation[] {
    return this.read(() => readConversations(this.pages, userKey, after, before));
  }

  said(userKey: string, place: HistoryPlace, after?: HistoryBound, before?: HistoryBound): number {
    return this.read(() => countSaid(this.pages, userKey, place, after, before));
  }
  /** The last line id handed out (a store that opens earlier data starts after its last). */
  protected lastId = 0;
  /** The last membership id handed out: `mark` and `adopt` count in them. */
  protected lastMembership = 0;

  /** Queues: line `id` now reads `text`, or is deleted (`null`); nothing happens for a line never stored. */
  revise(id: number, text: string | null): void {
    this.queue.push({ kind: 'revise', id, text });
  }

  record(line: NewLine): StoredLine {
    // Key by key, not a spread: one shape for every line, on the chat path.
    const stored: StoredLine = { group: line.group, sender: line.sender, senderKey: line.senderKey, text: line.text, ts: line.ts, seq: line.seq, id: ++this.lastId };
    this.queue.push({ kind: 'line', line: stored });
    return stored;
  }

  opened(group: number, kind: GroupKind, label: string): void {
    this.queue.push({ kind: 'group', group, groupKind: kind, label });
  }

  lastSeq(group: number): number {
    return Math.max(this.queue.lastSeq(group), this.committedSeq(group));
  }

  findDirect(keyA: string, keyB: string): number | undefined {
    const pair = pairOf(keyA, keyB);
    return this.queue.direct(pair) ?? this.committedDirect(pair);
  }

  directGroup(keyA: string, keyB: string, fresh: number, label: string): number {
    const known = this.findDirect(keyA, keyB);
    if (known !== undefined) return known;
    const pair = pairOf(keyA, keyB);
    this.queue.push({ kind: 'direct', pair, group: fresh, label });
    return fresh;
  }

  joined(userKey: string, group: number, afterSeq: number): void {
    this.queue.push({ kind: 'join', id: ++this.lastMembership, user: userKey, group, after: afterSeq });
  }

  left(userKey: string, group: number, upToSeq: number): void {
    this.queue.push({ kind: 'leave', user: userKey, group, upTo: upToSeq });
  }

  mark(): number {
    return this.lastMembership;
  }

  adopt(fromKey: string, toKey: string, sinceMark: number): void {
    this.queue.push({ kind: 'adopt', from: fromKey, to: toKey, since: sinceMark });
  }

  hasUser(userKey: string): boolean {
    return this.queue.hasJoin(userKey) || this.committedUser(userKey);
  }

  /** The group's highest committed seq; 0 when none. */
  protected abstract committedSeq(group: number): number;
  /** The committed direct conversation of the pair, if any. */
  protected abstract committedDirect(pair: Pair): number | undefined;
  /** Whether any committed membership belongs to the key. */
  protected abstract committedUser(userKey: string): boolean;
}
