/**
 * History in SQLite (better-sqlite3, WAL): one row per line, membership intervals in each
 * group's sequence that decide who may read which line, and a contentless FTS5 index of
 * group-scoped tokens keyed by line id, beside each line's place in its group (`line_pos`).
 * Writes queue in memory and are committed in one transaction per call to commit() (group
 * commit); the search index and `line_pos`, derived data, are written in larger batches shortly
 * after (and always before a read), and rebuilt at start for any lines a crash left unindexed.
 */
import Database from 'better-sqlite3';
import { HistoryUnavailable, type FoundLine, type GroupKind, type HistoryStore, type SearchPage, type StoredLine } from '../core/history.js';
import type { PageSource } from '../core/history-page.js';
import { OPEN, QueuedHistory, type HistoryWrite, type Pair } from '../core/history-queue.js';
import type { SearchQuery } from '../core/search-query.js';
import { Checkpointer } from './checkpointer.js';
import { prepareSchema } from './history-schema.js';
import { pageReads, toStored, type LineRow } from './sqlite-reads.js';
import { scopedQuery, scopedText } from './scoped-index.js';

export interface HistoryOptions {
  /** Milliseconds since the epoch, for group creation times. */
  clock?: () => number;
  /** Told about failures of background writes: checkpoints, the search index, the last commit at close. */
  onError?: (msg: string) => void;
}


/** Lines waiting for the index are written once this many have gathered, or after INDEX_DELAY_MS. */
const INDEX_BATCH = 512;
const INDEX_DELAY_MS = 50;

/** A membership interval as the line ids it covers: from_id < id <= to_id (ids grow with seq inside a group). */
interface IdSpan {
  grp: number;
  from_id: number;
  to_id: number;
}

/** The id of the group's last indexed line with seq <= the given one; 0 when none. */
const idAtSeq = (seq: string): string => `COALESCE((SELECT id FROM line_pos WHERE grp = s.grp AND seq <= ${seq} ORDER BY seq DESC, id DESC LIMIT 1), 0)`;

export class SqliteHistory extends QueuedHistory implements HistoryStore {
  private readonly db: Database.Database;
  /** Lines committed but not yet in the search index. */
  private unindexed: StoredLine[] = [];
  /** Pending lines deleted before they were indexed: they get their place (`line_pos`), not an index entry. */
  private readonly deletedPending = new Set<number>();
  /** The highest line id in the search index: the index holds every line up to it. */
  private indexedUpTo = 0;
  private readonly lineById: Database.Statement<[number], LineRow>;
  private indexTimer: NodeJS.Timeout | null = null;
  private committedLines: number;
  /** The last commit's failure, until a commit succeeds again. */
  private commitError: string | null = null;
  /** The last index write's failure, until one succeeds again (its lines wait in `unindexed`). */
  private indexError: string | null = null;
  private closing: Promise<void> | null = null;
  private readonly clock: () => number;
  private readonly onError: (msg: string) => void;
  private readonly checkpointer: Checkpointer | null;
  private readonly writeAll: (writes: HistoryWrite[]) => void;
  private readonly indexAll: (lines: StoredLine[]) => void;
  private readonly spansOf: Database.Statement<[string], IdSpan>;
  private readonly newestIn: Database.Statement<[string, number, number, number], number>;
  private readonly countIn: Database.Statement<[string, number, number], number>;
  private readonly linesByIds: Database.Statement<[string], LineRow & { label: string }>;
  private readonly anySeen: Database.Statement<[string], { one: number }>;
  private readonly directOf: Database.Statement<[string, string], number>;
  private readonly lastSeqOf: Database.Statement<[number], number>;
  protected readonly pages: PageSource;

  /** Opens (creating or upgrading if needed) the database at `file`, or in memory for ':memory:'. */
  constructor(file: string, options: HistoryOptions = {}) {
    super();
    this.clock = options.clock ?? Date.now;
    this.onError = options.onError ?? (() => undefined);
    this.db = new Database(file);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 2000');
      prepareSchema(this.db, file);
      if (onDisk(file)) {
        this.db.pragma('wal_autocheckpoint = 0');
        this.db.pragma(`journal_size_limit = ${64 << 20}`);
      }
      // A deleted line's id is never handed out again, even when it was the last.
      const lastDeleted = this.db.prepare<[], number>("SELECT value FROM meta WHERE key = 'deleted_upto'").pluck().get() ?? 0;
      this.lastId = Math.max(this.db.prepare<[], number | null>('SELECT MAX(id) FROM lines').pluck().get() ?? 0, lastDeleted);
      this.lastMembership = this.db.prepare<[], number | null>('SELECT MAX(id) FROM seen').pluck().get() ?? 0;
      this.committedLines = this.db.prepare<[], number>('SELECT COUNT(*) FROM lines').pluck().get() ?? 0;
      const insertLine = this.db.prepare(
        'INSERT INTO lines (id, grp, seq, sender, sender_key, text, ts) VALUES (@id, @group, @seq, @sender, @senderKey, @text, @ts)',
      );
      const insertGroup = this.db.prepare<[number, number, GroupKind, string]>('INSERT OR IGNORE INTO groups (id, created, kind, label) VALUES (?, ?, ?, ?)');
      const insertDirect = this.db.prepare<[string, string, number]>('INSERT OR IGNORE INTO directs (key_a, key_b, grp) VALUES (?, ?, ?)');
      const insertSeen = this.db.prepare<[number, string, number, number, number]>('INSERT INTO seen (id, user, grp, from_seq, to_seq) VALUES (?, ?, ?, ?, ?)');
      const endSeen = this.db.prepare<[number, string, number, number]>('UPDATE seen SET to_seq = ? WHERE user = ? AND grp = ? AND to_seq = ?');
      const adoptSeen = this.db.prepare<[string, string, number]>('UPDATE seen SET user = ? WHERE user = ? AND id > ?');
      const lineById = this.db.prepare<[number], LineRow>('SELECT * FROM lines WHERE id = ?');
      this.lineById = lineById;
      const setText = this.db.prepare<[string, number]>('UPDATE lines SET text = ? WHERE id = ?');
      const dropLine = this.db.prepare<[number]>('DELETE FROM lines WHERE id = ?');
      const noteDeleted = this.db.prepare<[number]>(
        "INSERT INTO meta (key, value) VALUES ('deleted_upto', ?) ON CONFLICT (key) DO UPDATE SET value = MAX(value, excluded.value)",
      );
      const unindex = this.db.prepare("INSERT INTO lines_idx (lines_idx, rowid, body, sender) VALUES ('delete', ?, ?, ?)");
      const reindex = this.db.prepare('INSERT INTO lines_idx (rowid, body, sender) VALUES (?, ?, ?)');
      // A line already in the index (the contentless index must be told the words it held); a pending one is fixed when it is indexed.
      const revise = (id: number, text: string | null): void => {
        const old = lineById.get(id);
        if (!old) return;
        if (id <= this.indexedUpTo) {
          unindex.run(id, scopedText(old.grp, old.text), scopedText(old.grp, old.sender));
          if (text !== null) reindex.run(id, scopedText(old.grp, text), scopedText(old.grp, old.sender));
        }
        if (text === null) {
          dropLine.run(id);
          noteDeleted.run(id);
        } else setText.run(text, id);
      };
      this.writeAll = this.db.transaction((writes: HistoryWrite[]) => {
        const now = this.clock();
        for (const w of writes) {
          switch (w.kind) {
            case 'line':
              insertLine.run(w.line);
              break;
            case 'group':
              insertGroup.run(w.group, now, w.groupKind, w.label);
              break;
            case 'direct':
              insertDirect.run(w.pair[0], w.pair[1], w.group);
              insertGroup.run(w.group, now, 'direct', w.label);
              break;
            case 'join':
              insertSeen.run(w.id, w.user, w.group, w.after, OPEN);
              break;
            case 'leave':
              endSeen.run(w.upTo, w.user, w.group, OPEN);
              break;
            case 'adopt':
              adoptSeen.run(w.to, w.from, w.since);
              break;
            case 'revise':
              revise(w.id, w.text);
              break;
          }
        }
      });
      const indexLine = this.db.prepare('INSERT INTO lines_idx (rowid, body, sender) VALUES (?, ?, ?)');
      const setIndexed = this.db.prepare("INSERT INTO meta (key, value) VALUES ('indexed_upto', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
      const placeLine = this.db.prepare<[number, number, number]>('INSERT INTO line_pos (grp, seq, id) VALUES (?, ?, ?)');
      this.indexAll = this.db.transaction((lines: StoredLine[]) => {
        for (const l of lines) if (!this.deletedPending.has(l.id)) indexLine.run(l.id, scopedText(l.group, l.text), scopedText(l.group, l.sender));
        // In key order, so that each group's entries land together (one page per group, not per line).
        for (const l of [...lines].sort(byPosition)) placeLine.run(l.group, l.seq, l.id);
        setIndexed.run(lines[lines.length - 1]!.id);
      });
      this.spansOf = this.db.prepare(`SELECT s.grp, ${idAtSeq('s.from_seq')} AS from_id, ${idAtSeq('s.to_seq')} AS to_id FROM seen AS s WHERE s.user = ? AND s.to_seq > s.from_seq`);
      const within = 'FROM lines_idx WHERE lines_idx MATCH ? AND rowid > ? AND rowid <= ?';
      this.newestIn = this.db.prepare<[string, number, number, number], number>(`SELECT rowid ${within} ORDER BY rowid DESC LIMIT ?`).pluck();
      this.countIn = this.db.prepare<[string, number, number], number>(`SELECT COUNT(*) ${within}`).pluck();
      // A group never opened still shows its lines, under the label it would have had.
      this.linesByIds = this.db.prepare(
        "SELECT l.*, COALESCE(g.label, '#group-' || l.grp) AS label FROM lines AS l LEFT JOIN groups AS g ON g.id = l.grp WHERE l.id IN (SELECT value FROM json_each(?)) ORDER BY l.id",
      );
      this.anySeen = this.db.prepare('SELECT 1 AS one FROM seen WHERE user = ? LIMIT 1');
      this.directOf = this.db.prepare<[string, string], number>('SELECT grp FROM directs WHERE key_a = ? AND key_b = ?').pluck();
      this.lastSeqOf = this.db.prepare<[number], number>('SELECT COALESCE(MAX(seq), 0) FROM line_pos WHERE grp = ?').pluck();
      this.pages = pageReads(this.db, (group) => this.lastSeqOf.get(group) ?? 0);
      this.catchUpIndex();
      this.indexedUpTo = this.lastId;
      // Memberships still open belong to sessions of a previous run: they ended when it did.
      this.db
        .prepare('UPDATE seen SET to_seq = MAX(from_seq, COALESCE((SELECT MAX(seq) FROM line_pos WHERE grp = seen.grp), 0)) WHERE to_seq = ?')
        .run(OPEN);
    } catch (err) {
      this.db.close();
      throw err;
    }
    // Started last: a store that failed to open leaves no worker behind.
    this.checkpointer = onDisk(file) ? new Checkpointer(file, this.onError) : null;
  }

  /** A read of committed lines: refused while writes fail (the history is not what was said), a database fault as HistoryUnavailable. */
  protected read<T>(query: () => T): T {
    if (this.commitError !== null) throw new HistoryUnavailable(`the last write failed: ${this.commitError}`);
    if (!this.flushIndex()) throw new HistoryUnavailable(`the line index cannot be brought up to date: ${this.indexError}`);
    try {
      return query();
    } catch (err) {
      if (err instanceof Database.SqliteError) throw new HistoryUnavailable(err.message);
      throw err;
    }
  }

  /** Indexes lines a previous run committed but did not index before it stopped. */
  private catchUpIndex(): void {
    const upTo = this.db.prepare<[], { value: number }>("SELECT value FROM meta WHERE key = 'indexed_upto'").get()?.value ?? 0;
    const missing = this.db.prepare<[number], LineRow>('SELECT * FROM lines WHERE id > ? ORDER BY id');
    let batch: StoredLine[] = [];
    for (const row of missing.iterate(upTo)) {
      batch.push(toStored(row));
      if (batch.length === 10_000) {
        this.indexAll(batch);
        batch = [];
      }
    }
    if (batch.length > 0) this.indexAll(batch);
  }

  protected committedSeq(group: number): number {
    let seq = this.lastSeqOf.get(group) ?? 0;
    for (const l of this.unindexed) if (l.group === group && l.seq > seq) seq = l.seq;
    return seq;
  }

  protected committedDirect(pair: Pair): number | undefined {
    return this.directOf.get(pair[0], pair[1]);
  }

  protected committedUser(userKey: string): boolean {
    return this.anySeen.get(userKey) !== undefined;
  }

  lastGroupId(): number {
    return this.db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM groups').get()?.id ?? 0;
  }

  commit(): void {
    if (this.queue.length === 0) return;
    const writes = this.queue.take();
    try {
      this.writeAll(writes);
    } catch (err) {
      this.commitError = (err as Error).message;
      this.queue.restore(writes);
      throw err;
    }
    this.commitError = null;
    for (const w of writes) {
      if (w.kind === 'line') {
        this.committedLines++;
        this.unindexed.push(w.line);
      } else if (w.kind === 'revise') {
        this.revisePending(w.id, w.text);
      }
    }
    if (this.unindexed.length >= INDEX_BATCH) this.flushIndex();
    else if (this.unindexed.length > 0 && !this.indexTimer) this.indexTimer = setTimeout(() => this.flushIndex(), INDEX_DELAY_MS).unref();
  }

  /** A revision of a line still waiting for the index: it is indexed as it reads now. */
  private revisePending(id: number, text: string | null): void {
    const at = this.unindexed.findIndex((l) => l.id === id);
    if (at < 0) return;
    if (text === null) this.deletedPending.add(id);
    else this.unindexed[at] = { ...this.unindexed[at]!, text };
  }

  line(id: number): StoredLine | undefined {
    const row = this.lineById.get(id);
    return row ? toStored(row) : undefined;
  }

  /**
   * Writes the pending index entries in one transaction. When that fails (a full disk) they stay
   * pending for the next try; false then, and a search must not pretend to cover them.
   */
  private flushIndex(): boolean {
    if (this.indexTimer) clearTimeout(this.indexTimer);
    this.indexTimer = null;
    if (this.unindexed.length === 0) return true;
    try {
      this.indexAll(this.unindexed);
    } catch (err) {
      if (this.indexError === null) this.onError(`search index: ${(err as Error).message}`);
      this.indexError = (err as Error).message;
      return false;
    }
    this.indexedUpTo = this.unindexed[this.unindexed.length - 1]!.id;
    this.unindexed = [];
    this.deletedPending.clear();
    this.indexError = null;
    return true;
  }

  lineCount(): number {
    return this.committedLines;
  }

  problem(): string | null {
    if (!this.db.open) return 'the database is closed';
    if (this.commitError !== null) return `the last write failed: ${this.commitError}`;
    if (this.indexError !== null) return `the last search index write failed: ${this.indexError}`;
    try {
      this.db.prepare('SELECT 1 FROM groups LIMIT 1').get();
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  }

  search(userKey: string, query: SearchQuery, limit: number): SearchPage {
    if (query.length === 0) return { lines: [], total: 0 };
    // While lines cannot be stored the history is not what its users said: say so rather than
    // answer from what happens to be there (README: a search answers `unavailable`).
    if (this.commitError !== null) throw new HistoryUnavailable(`the last write failed: ${this.commitError}`);
    if (!this.flushIndex()) throw new HistoryUnavailable(`the search index cannot be brought up to date: ${this.indexError}`);
    try {
      return this.searchIndexed(userKey, query, limit);
    } catch (err) {
      if (err instanceof Database.SqliteError) throw new HistoryUnavailable(err.message);
      throw err;
    }
  }

  private searchIndexed(userKey: string, query: SearchQuery, limit: number): SearchPage {
    // Per membership interval, as a range of line ids: its newest matches, and a count only when there are more of them.
    const ids: number[] = [];
    let total = 0;
    for (const span of this.spansOf.all(userKey)) {
      if (span.to_id <= span.from_id) continue;
      const match = scopedQuery(query, span.grp);
      const newest = this.newestIn.all(match, span.from_id, span.to_id, limit + 1);
      total += newest.length <= limit ? newest.length : this.countIn.get(match, span.from_id, span.to_id)!;
      for (const id of newest.slice(0, limit)) ids.push(id);
    }
    ids.sort((a, b) => b - a);
    const newest = ids.slice(0, limit);
    const lines = newest.length === 0 ? [] : this.linesByIds.all(JSON.stringify(newest)).map((r): FoundLine => ({ ...toStored(r), label: r.label }));
    return { lines, total };
  }

  /** Safe to call twice: the second call waits for the first. A last write that fails is reported, and the store closes all the same. */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      try {
        this.commit();
      } catch (err) {
        this.onError(`last commit: ${(err as Error).message}`);
      }
      this.flushIndex();
      await this.checkpointer?.stop();
      this.db.close();
    })());
  }
}

function onDisk(file: string): boolean {
  return file !== ':memory:' && file !== '';
}

function byPosition(a: StoredLine, b: StoredLine): number {
  return a.group - b.group || a.seq - b.seq || a.id - b.id;
}
