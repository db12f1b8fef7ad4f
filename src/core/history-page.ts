/**
 * Reading a conversation's history page by page, with the visibility rule of search: a user
 * reads a line when one of their membership intervals in its group covers its seq. Both stores
 * answer through this one algorithm and differ only in the few reads it needs (`PageSource`).
 *
 * Positions are (group, seq): a place's groups are a room's successive lives, which never
 * overlap in time, so that order is the order lines were said. A moment becomes a seq in each
 * group by binary search (times grow with seq inside a group), so no query scans a group.
 */
import type { Conversation, FoundLine, HistoryBound, HistoryPlace, PageRequest, StoredLine } from './history.js';

/** One membership interval: the user may read the group's lines with from < seq <= to. */
export interface Span {
  group: number;
  from: number;
  to: number;
}

/** What a store reads for the algorithm, from what it has committed. */
export interface PageSource {
  /** The user's intervals in the place's groups (in every group without a place), in no particular order. */
  spans(userKey: string, place?: HistoryPlace): Span[];
  /** The first line of the group with seq >= from (and <= upTo), or undefined. */
  firstFrom(group: number, from: number, upTo: number): { seq: number; ts: number } | undefined;
  /** The group's last committed seq (0 when none). */
  lastOf(group: number): number;
  /** Up to `limit` lines of the group with after < seq <= upTo: the newest or the oldest, oldest first. */
  linesIn(group: number, after: number, upTo: number, newest: boolean, limit: number): StoredLine[];
  /** The group's label, as search shows it. */
  labelOf(group: number): string;
}

/** The highest seq of the group whose line was said before `ts` (at or before it when `inclusive`); 0 when none. */
export function seqAt(source: PageSource, group: number, ts: number, inclusive: boolean): number {
  let found = 0;
  let lo = 1;
  let hi = source.lastOf(group);
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const line = source.firstFrom(group, mid, hi);
    if (line === undefined) {
      hi = mid - 1;
    } else if (line.ts < ts || (inclusive && line.ts === ts)) {
      found = line.seq;
      lo = line.seq + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The seqs of a span left after the bounds, as (lo, hi]; null when none is left. */
function narrow(source: PageSource, span: Span, after?: HistoryBound, before?: HistoryBound): [number, number] | null {
  let lo = span.from;
  let hi = span.to;
  if (after !== undefined) {
    if ('ts' in after) lo = Math.max(lo, seqAt(source, span.group, after.ts, true));
    else if (span.group < after.group) return null;
    else if (span.group === after.group) lo = Math.max(lo, after.seq);
  }
  if (before !== undefined) {
    if ('ts' in before) hi = Math.min(hi, seqAt(source, span.group, before.ts, false));
    else if (span.group > before.group) return null;
    else if (span.group === before.group) hi = Math.min(hi, before.seq - 1);
  }
  return hi > lo ? [lo, hi] : null;
}

/** A page of the place's lines the user may see (HistoryStore.page). */
export function readPage(source: PageSource, userKey: string, place: HistoryPlace, request: PageRequest): FoundLine[] {
  const spans = source.spans(userKey, place).sort((a, b) => a.group - b.group || a.from - b.from);
  if (request.newest) spans.reverse();
  const pages: StoredLine[][] = [];
  let count = 0;
  for (const span of spans) {
    if (count >= request.limit) break;
    const range = narrow(source, span, request.after, request.before);
    if (range === null) continue;
    const lines = source.linesIn(span.group, range[0], range[1], request.newest, request.limit - count);
    count += lines.length;
    pages.push(lines);
  }
  if (request.newest) pages.reverse();
  const labels = new Map<number, string>();
  const label = (group: number): string => labels.get(group) ?? labels.set(group, source.labelOf(group)).get(group)!;
  return pages.flat().map((line) => ({ ...line, label: label(line.group) }));
}

/**
 * How many lines were said in the place between the bounds while the user could see them
 * (HistoryStore.said): seqs are counted, so a line deleted since counts too. No line is read.
 */
export function countSaid(source: PageSource, userKey: string, place: HistoryPlace, after?: HistoryBound, before?: HistoryBound): number {
  let count = 0;
  for (const span of source.spans(userKey, place)) {
    const range = narrow(source, { ...span, to: Math.min(span.to, source.lastOf(span.group)) }, after, before);
    if (range !== null) count += range[1] - range[0];
  }
  return count;
}

/** Each group in which the user may read lines said between the moments, with the newest one's time (HistoryStore.conversations). */
export function readConversations(source: PageSource, userKey: string, after: number, before: number): Conversation[] {
  const newest = new Map<number, number>();
  for (const span of source.spans(userKey)) {
    const range = narrow(source, span, { ts: after }, { ts: before });
    if (range === null) continue;
    const last = source.linesIn(span.group, range[0], range[1], true, 1)[0];
    if (last !== undefined && last.ts > (newest.get(span.group) ?? -Infinity)) newest.set(span.group, last.ts);
  }
  return [...newest].map(([group, ts]) => ({ group, label: source.labelOf(group), ts }));
}
