/**
 * The history seam. Lines are stored once; who may read a line follows from group membership
 * over time, counted in the group's own sequence: a member sees the lines sent while they were
 * in the group. No process-local counter decides it, so several servers can share one store.
 * Memberships belong to a history key: a guest's name key, or the key of the account that owns
 * the name. Writes are queued and committed together, once per event-loop turn, before any of
 * them is delivered.
 */
import type { GroupKind } from './protocol.js';
import type { SearchQuery } from './search-query.js';

export interface NewLine {
  group: number;
  sender: string;
  /** The sender's history key (their name key, or their account's key). */
  senderKey: string;
  text: string;
  /** Milliseconds since the epoch. */
  ts: number;
  /** The group's own sequence, from 1, allocated by the caller: it decides who may read the line. */
  seq: number;
}

export interface StoredLine extends NewLine {
  /** Unique across groups, growing in the order lines are recorded. */
  id: number;
}

/** A stored line as search returns it, with the label of its group (`#room`, `#group-7`, or the two names of a direct conversation as `alice+bob`). */
export interface FoundLine extends StoredLine {
  label: string;
}

/**
 * How many matches past the page a search counts. A common word matches thousands of lines, and
 * counting each costs reading it (in PostgreSQL a page of the table; docs/SCALING.md), so past
 * this many the count stops and says there are more.
 */
export const SEARCH_COUNT_BEYOND = 50;

export interface SearchPage {
  /** The newest matches, oldest first. */
  lines: FoundLine[];
  /** The matches the user may see, including those not returned, counted up to the page's limit plus SEARCH_COUNT_BEYOND. */
  total: number;
  /** Present when there are more matches than `total`: the count stopped there. */
  more?: true;
}

/** The page of a search that found `total` matches in all, reading `limit` of them: its count bounded (SEARCH_COUNT_BEYOND). */
export function boundedPage(lines: FoundLine[], total: number, limit: number): SearchPage {
  const bound = limit + SEARCH_COUNT_BEYOND;
  return total > bound ? { lines, total: bound, more: true } : { lines, total };
}

/** What kind of group (core/protocol.ts). */
export type { GroupKind } from './protocol.js';

/**
 * Where a page of history is read: every group that went by a channel's label (a room lives
 * again under a new id after it emptied or the server restarted; its lives never overlap), or
 * one group (a direct conversation).
 */
export type HistoryPlace = { label: string } | { group: number };

/** One end of a page, itself left out: a stored line (its group and seq), or a moment (ms since the epoch). */
export type HistoryBound = { group: number; seq: number } | { ts: number };

export interface PageRequest {
  after?: HistoryBound;
  before?: HistoryBound;
  /** Take the newest lines between the bounds (else the oldest). */
  newest: boolean;
  limit: number;
}

/** A group in which the user may read lines in a time range, with the newest such line's time. */
export interface Conversation {
  group: number;
  label: string;
  /** Milliseconds since the epoch. */
  ts: number;
}

/** A store that cannot serve a read right now (its database is failing): an expected fault, answered as such. */
export class HistoryUnavailable extends Error {
  override readonly name = 'HistoryUnavailable';
}

/**
 * A commit that found one of its lines' places taken: another server stored a line under the same
 * group and seq (two hubs for a moment, the stale one not having heard the new one yet). Nothing of
 * the commit's lines is stored; its membership changes wait for the next commit, as for any fault.
 */
export class SeqTaken extends Error {
  override readonly name = 'SeqTaken';
}

export interface HistoryStore {
  /** The highest group id ever handed out (0 for a new store): ids are never reused. */
  lastGroupId(): number;
  /** Queues a line and gives it its id (ids grow in the order lines are recorded). */
  record(line: NewLine): StoredLine;
  /** A committed line by its id (as it reads now; a deleted one is not found). */
  line(id: number): StoredLine | undefined;
  /** Queues: line `id` now reads `text` (an edit), or is deleted (`null`): search finds only what a line reads now, and never a deleted one. */
  revise(id: number, text: string | null): void;
  /** Queues: a group was created, with its kind and label (shown next to its lines in search results). */
  opened(group: number, kind: GroupKind, label: string): void;
  /** The highest seq recorded for the group, committed or queued; 0 when none (a direct conversation's numbering resumes across restarts). */
  lastSeq(group: number): number;
  /** The group id of the direct conversation between two history keys (order does not matter): the one stored, or else `fresh`, recorded (queued) as theirs with `label`. Stable across restarts. */
  directGroup(keyA: string, keyB: string, fresh: number, label: string): number;
  /** Queues: the user joined the group after its line `afterSeq`: they see its lines with seq > afterSeq. */
  joined(userKey: string, group: number, afterSeq: number): void;
  /** Queues: the user left the group; they keep its lines with seq <= upToSeq. */
  left(userKey: string, group: number, upToSeq: number): void;
  /** A mark of the memberships recorded so far: `adopt` moves those recorded after it. */
  mark(): number;
  /** Queues: the memberships of `fromKey` recorded after `sinceMark` (one session's, taken at login) now belong to `toKey`, open ones included. */
  adopt(fromKey: string, toKey: string, sinceMark: number): void;
  /**
   * Writes everything queued in one transaction. Throws when the store cannot write (SeqTaken when
   * a line's group and seq are stored already, in a store several servers share); the membership
   * changes then wait for the next commit.
   */
  commit(): void;
  /** Whether any history belongs to this name (it was ever in a group), committed or queued. */
  hasUser(userKey: string): boolean;
  /** Lines the user may see that match every term. Call after commit(). Throws HistoryUnavailable when the database fails. */
  search(userKey: string, query: SearchQuery, limit: number): SearchPage;
  /**
   * A page of the lines the user may see in a place, between the bounds, oldest first: lines are
   * ordered by group, then seq. Call after commit(). Throws HistoryUnavailable when the database fails.
   */
  page(userKey: string, place: HistoryPlace, request: PageRequest): FoundLine[];
  /** How many lines were said in a place between the bounds (left out) while the user could see them, deleted ones included (history-page.ts countSaid). Call after commit(). Throws HistoryUnavailable. */
  said(userKey: string, place: HistoryPlace, after?: HistoryBound, before?: HistoryBound): number;
  /** The groups with lines the user may see said after `after` and before `before` (ms, both left out), in no particular order. Throws HistoryUnavailable. */
  conversations(userKey: string, after: number, before: number): Conversation[];
  /** The direct conversation of two history keys (in either order), committed or queued; undefined when they never had one. */
  findDirect(keyA: string, keyB: string): number | undefined;
  /** Lines committed so far (cheap: kept as a running count). */
  lineCount(): number;
  /** Committed lines its search index does not hold yet (0 for a store whose search reads the committed lines' own index). */
  indexLag(): number;
  /** True while its search index has work to do in quiet times that makes searches cheaper (false for a store with none). */
  indexMerging(): boolean;
  /** Why the store cannot serve right now, or null when it can (for health checks). */
  problem(): string | null;
  /** Commits what is queued and releases the store. */
  close(): Promise<void>;
}
