/**
 * History in memory, for tests and a single process that keeps no history across restarts. It
 * answers exactly as the SQLite store does (the contract in history-contract.ts holds both to it),
 * including that queued writes become visible to search only at commit(), and that a failed
 * commit refuses its lines but keeps its membership changes.
 */
import { boundedPage, HistoryUnavailable, type FoundLine, type HistoryStore, type SearchPage, type StoredLine } from './history.js';
import type { PageSource, Span } from './history-page.js';
import { OPEN, QueuedHistory, type HistoryWrite, type Pair } from './history-queue.js';
import type { SearchQuery } from './search-query.js';
import { words } from './sonnets.js';

export interface MemoryHistoryOptions {
  /**
   * Asked at each commit: an error it returns fails that commit, as a full disk fails the SQLite
   * store's (for tests and fault drills). Nothing is written then.
   */
  commitFault?: () => Error | null;
  /** Told when the last commit, at close, fails (its writes are lost). */
  onError?: (msg: string) => void;
}

interface Membership {
  id: number;
  user: string;
  group: number;
  from: number;
  to: number;
}

/** A committed line with its words, as search compares them. */
interface Entry {
  line: StoredLine;
  text: string[];
  sender: string[];
  /** Deleted: it keeps its place (its seq), but nothing reads or finds it. */
  deleted?: true;
}

export class MemoryHistory extends QueuedHistory implements HistoryStore {
  private readonly commitFault: () => Error | null;
  private readonly onError: (msg: string) => void;
  /** Committed lines of each group, in seq order. */
  private readonly lines = new Map<number, Entry[]>();
  /** The same entries by line id. */
  private readonly byId = new Map<number, Entry>();
  private readonly labels = new Map<number, string>();
  /** Direct conversations by their pair of keys (JSON of the ordered pair). */
  private readonly directs = new Map<string, number>();
  private memberships: Membership[] = [];
  private committedLines = 0;
  private commitError: string | null = null;
  private closed = false;

  constructor(options: MemoryHistoryOptions = {}) {
    super();
    this.commitFault = options.commitFault ?? (() => null);
    this.onError = options.onError ?? (() => undefined);
  }

  protected committedSeq(group: number): number {
    return this.lines.get(group)?.at(-1)?.line.seq ?? 0;
  }

  protected committedDirect(pair: Pair): number | undefined {
    return this.directs.get(JSON.stringify(pair));
  }

  protected committedUser(userKey: string): boolean {
    return this.memberships.some((m) => m.user === userKey);
  }

  line(id: number): StoredLine | undefined {
    return this.byId.get(id)?.line;
  }

  lastGroupId(): number {
    let last = 0;
    for (const id of this.labels.keys()) last = Math.max(last, id);
    return last;
  }

  commit(): void {
    if (this.queue.length === 0) return;
    const writes = this.queue.take();
    const fault = this.closed ? new Error('the store is closed') : this.commitFault();
    if (fault) {
      this.commitError = fault.message;
      this.queue.restore(writes);
      throw fault;
    }
    this.commitError = null;
    for (const w of writes) this.apply(w);
  }

  private apply(w: HistoryWrite): void {
    switch (w.kind) {
      case 'line': {
        const entry = { line: w.line, text: searchWords(w.line.text), sender: searchWords(w.line.sender) };
        const group = this.lines.get(w.line.group);
        if (group) group.push(entry);
        else this.lines.set(w.line.group, [entry]);
        this.byId.set(w.line.id, entry);
        this.committedLines++;
        break;
      }
      case 'revise': {
        const entry = this.byId.get(w.id);
        if (!entry) break;
        if (w.text === null) {
          // Kept in its group (its seq still counts), but found by nothing.
          this.byId.delete(w.id);
          this.committedLines--;
          entry.deleted = true;
          entry.text = [];
          entry.sender = [];
          break;
        }
        entry.line = { ...entry.line, text: w.text };
        entry.text = searchWords(w.text);
        break;
      }
      case 'group':
        if (!this.labels.has(w.group)) this.labels.set(w.group, w.label);
        break;
      case 'direct':
        if (!this.directs.has(JSON.stringify(w.pair))) this.directs.set(JSON.stringify(w.pair), w.group);
        if (!this.labels.has(w.group)) this.labels.set(w.group, w.label);
        break;
      case 'join':
        this.memberships.push({ id: w.id, user: w.user, group: w.group, from: w.after, to: OPEN });
        break;
      case 'leave':
        for (const m of this.memberships) if (m.user === w.user && m.group === w.group && m.to === OPEN) m.to = w.upTo;
        break;
      case 'adopt':
        for (const m of this.memberships) if (m.user === w.from && m.id > w.since) m.user = w.to;
        break;
    }
  }

  search(userKey: string, query: SearchQuery, limit: number): SearchPage {
    if (query.length === 0) return { lines: [], total: 0 };
    if (this.commitError !== null) throw new HistoryUnavailable(`the last write failed: ${this.commitError}`);
    const terms = query.map((term) => term.flatMap(searchWords));
    const found: FoundLine[] = [];
    let total = 0;
    for (const m of this.memberships) {
      if (m.user !== userKey || m.to <= m.from) continue;
      const label = this.labelOf(m.group);
      const matches = (this.lines.get(m.group) ?? []).filter((e) => e.line.seq > m.from && e.line.seq <= m.to && terms.every((t) => holds(e.text, t) || holds(e.sender, t)));
      total += matches.length;
      for (const e of newestOf(matches, limit)) found.push({ ...e.line, label });
    }
    found.sort((a, b) => a.id - b.id);
    return boundedPage(newestOf(found, limit), total, limit);
  }

  protected read<T>(query: () => T): T {
    this.readable();
    return query();
  }

  private readable(): void {
    if (this.commitError !== null) throw new HistoryUnavailable(`the last write failed: ${this.commitError}`);
  }

  /** The reads the page algorithm needs, over what is committed. */
  protected readonly pages: PageSource = {
    spans: (userKey, place) => {
      const spans: Span[] = [];
      const label = place && 'label' in place ? place.label.toLowerCase() : undefined;
      for (const m of this.memberships) {
        if (m.user !== userKey || m.to <= m.from) continue;
        if (place && 'group' in place && m.group !== place.group) continue;
        if (label !== undefined && this.labelOf(m.group).toLowerCase() !== label) continue;
        spans.push({ group: m.group, from: m.from, to: m.to });
      }
      return spans;
    },
    firstFrom: (group, from, upTo) => {
      const entries = this.lines.get(group) ?? [];
      let at = firstAtLeast(entries, from);
      while (entries[at]?.deleted) at++;
      const line = entries[at]?.line;
      return line !== undefined && line.seq <= upTo ? { seq: line.seq, ts: line.ts } : undefined;
    },
    lastOf: (group) => this.committedSeq(group),
    linesIn: (group, after, upTo, newest, limit) => {
      const entries = this.lines.get(group) ?? [];
      const inside = entries
        .slice(firstAtLeast(entries, after + 1), firstAtLeast(entries, upTo + 1))
        .filter((e) => !e.deleted)
        .map((e) => e.line);
      return newest ? newestOf(inside, limit) : inside.slice(0, limit);
    },
    labelOf: (group) => this.labelOf(group),
  };

  private labelOf(group: number): string {
    return this.labels.get(group) ?? `#group-${group}`;
  }

  indexLag(): number {
    return 0;
  }

  indexMerging(): boolean {
    return false;
  }

  lineCount(): number {
    return this.committedLines;
  }

  problem(): string | null {
    if (this.closed) return 'the store is closed';
    return this.commitError === null ? null : `the last write failed: ${this.commitError}`;
  }

  /** A last commit that fails is reported, and the store closes all the same (as the SQLite store does). */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      this.commit();
    } catch (err) {
      this.onError(`last commit: ${(err as Error).message}`);
    }
    this.closed = true;
  }
}

/**
 * Words as the search index holds them: lower case (words() does that), and without accents,
 * as SQLite's unicode61 tokenizer folds them, so that `cafe` finds `Café`.
 */
function searchWords(text: string): string[] {
  return words(text).map((w) => w.normalize('NFD').replace(/\p{M}/gu, ''));
}

/** The last `n` items. */
function newestOf<T>(items: T[], n: number): T[] {
  return items.slice(Math.max(0, items.length - n));
}

/** The index of the first entry (in seq order) with seq >= `seq`. */
function firstAtLeast(entries: readonly Entry[], seq: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid]!.line.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether `phrase` occurs as consecutive words of `hay`. */
function holds(hay: string[], phrase: string[]): boolean {
  if (phrase.length === 0) return false;
  for (let i = 0; i + phrase.length <= hay.length; i++) if (phrase.every((w, j) => hay[i + j] === w)) return true;
  return false;
}
