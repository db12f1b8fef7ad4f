/**
 * The writes a history store has queued since its last commit, shared by the implementations so
 * that they agree on what a queued write already answers (a direct conversation's group, a
 * group's last seq, whether a user has history) and on what a failed commit keeps.
 */
import type { GroupKind, StoredLine } from './history.js';

/** `to` of a membership that has not ended. */
export const OPEN = Number.MAX_SAFE_INTEGER;

export type HistoryWrite =
  | { kind: 'line'; line: StoredLine }
  | { kind: 'group'; group: number; groupKind: GroupKind; label: string }
  | { kind: 'direct'; pair: Pair; group: number; label: string }
  | { kind: 'join'; id: number; user: string; group: number; after: number }
  | { kind: 'leave'; user: string; group: number; upTo: number }
  | { kind: 'adopt'; from: string; to: string; since: number };

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
