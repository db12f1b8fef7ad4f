/**
 * History in SQLite (better-sqlite3, WAL): one row per line, membership intervals in each
 * group's sequence that decide who may read which line, and a contentless FTS5 index of
 * group-scoped tokens keyed by line id, beside each line's place in its group (`line_pos`).
 * Writes queue in memory and are committed in one transaction per call to commit() (group
 * commit). The search index and `line_pos`, derived data, live in a file of their own beside
 * the history (`<file>-index`), written from the committed lines by a worker thread in larger
 * batches (index-host.ts); a read waits, bounded, until they cover every committed line, and the
 * start completes them for any lines a crash left unindexed.
 */
import Database from 'better-sqlite3';
import { boundedPage, HistoryUnavailable, SEARCH_COUNT_BEYOND, type FoundLine, type GroupKind, type HistoryStore, type SearchPage, type StoredLine } from '../core/history.js';
import type { PageSource } from '../core/history-page.js';
import { OPEN, QueuedHistory, type HistoryWrite, type Pair } from '../core/history-queue.js';
import type { SearchQuery } from '../core/search-query.js';
import { Checkpointer } from './checkpointer.js';
import { prepareIndex, prepareSchema } from './history-schema.js';
import { InlineIndex, WorkerIndex, type IndexHost } from './index-host.js';
import { attachIndex, LineIndexer } from './line-indexer.js';
import { pageReads, toStored, type LineRow } from './sqlite-reads.js';
import { scopedQuery } from './scoped-index.js';

export interface HistoryOptions {
  /** Milliseconds since the epoch, for group creation times. */
  clock?: () => number;
  /** Told about failures of background writes: checkpoints, the search index, the last commit at close. */
  onError?: (msg: string) => void;
  /** The most committed lines the search index may lag behind before a commit waits for it (index-host.ts). */
  maxIndexLag?: number;
}


/** A membership interval as the line ids it covers: from_id < id <= to_id (ids grow with seq inside a group). */
interface IdSpan {
  grp: number;
  from_id: number;
  to_id: number;
}

/** The id of the group's last indexed line with seq <= the given one; 0 when none. */
const idAtSeq = (seq: string): string => `COALESCE((SELECT id FROM idx.line_pos WHERE grp = s.grp AND seq <= ${seq} ORDER BY seq DESC, id DESC LIMIT 1), 0)`;

/** The meta key of the number of lines stored, kept in each commit's transaction. */
const LINE_COUNT = 'line_count';

/**
 * The number of lines stored, as the last commit left it. Counting the table instead reads all of
 * it (1.3 s at 10,000,000 lines, at every start), so a history written before the count was kept
 * is counted once, here, and the count kept from then on.
 */
function storedLineCount(db: Database.Database): number {
  const kept = db.prepare<[], number>(`SELECT value FROM meta WHERE key = '${LINE_COUNT}'`).pluck().get();
  if (kept !== undefined) return kept;
  const counted = db.prepare<[], number>('SELECT COUNT(*) FROM lines').pluck().get() ?? 0;
  db.prepare<[number]>(`INSERT INTO meta (key, value) VALUES ('${LINE_COUNT}', ?)`).run(counted);
  return counted;
}

export class SqliteHistory extends QueuedHistory implements HistoryStore {
  private readonly db: Database.Database;
  private readonly lineById: Database.Statement<[number], LineRow>;
  private committedLines: number;
  /** The highest line id committed, and revision logged. */
  private committedUpTo: number;
  private lastRevision: number;
  /** Each group's last seq among the lines committed by this run (the index may not place them yet). */
  private readonly seqs = new Map<number, number>();
  /** The last commit's failure, until a commit succeeds again. */
  private commitError: string | null = null;
  private closing: Promise<void> | null = null;
  private readonly clock: () => number;
  private readonly onError: (msg: string) => void;
  private readonly index: IndexHost;
  private readonly checkpointer: Checkpointer | null;
  /** Commits the writes in one transaction; the last revision it logged, or 0. */
  /** Writes a commit in one transaction: the last revision logged (0 when none), and how many lines it added less those it deleted. */
  private readonly writeAll: (writes: HistoryWrite[]) => { rev: number; added: number };
  private readonly spansOf: Database.Statement<[string], IdSpan>;
  private readonly newestIn: Database.Statement<[string, number, number, number], number>;
  private readonly countIn: Database.Statement<[string, number, number, number], number>;
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
      this.committedLines = storedLineCount(this.db);
      const indexFile = onDisk(file) ? `${file}-index` : ':memory:';
      attachIndex(this.db, indexFile);
      prepareIndex(this.db, this.lastId);
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
      const keepPlace = this.db.prepare<[number, number, number]>('INSERT INTO gone (id, grp, seq) VALUES (?, ?, ?)');
      const logRevision = this.db.prepare<[number, number, string, string, string | null]>('INSERT INTO revised (id, grp, sender, old_text, new_text) VALUES (?, ?, ?, ?, ?)');
      const pruneRevisions = this.db.prepare<[number]>('DELETE FROM revised WHERE rev <= ?');
      const countLines = this.db.prepare<[number]>(`UPDATE meta SET value = value + ? WHERE key = '${LINE_COUNT}'`);
      // Logged with the words the line held, for the index (line-indexer.ts); a deleted line keeps its place.
      const revise = (id: number, text: string | null): number => {
        const old = lineById.get(id);
        if (!old) return 0;
        const rev = Number(logRevision.run(id, old.grp, old.sender, old.text, text).lastInsertRowid);
        if (text === null) {
          dropLine.run(id);
          keepPlace.run(id, old.grp, old.seq);
          noteDeleted.run(id);
        } else setText.run(text, id);
        return rev;
      };
      this.writeAll = this.db.transaction((writes: HistoryWrite[]) => {
        const now = this.clock();
        let rev = 0;
        let added = 0;
        for (const w of writes) {
          switch (w.kind) {
            case 'line':
              insertLine.run(w.line);
              added++;
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
            case 'revise': {
              const revised = revise(w.id, w.text);
              if (revised > 0 && w.text === null) added--;
              rev = revised || rev;
              break;
            }
          }
        }
        if (added !== 0) countLines.run(added);
        if (rev > 0) pruneRevisions.run(this.index.revisedUpTo());
        return { rev, added };
      });
      // An interval from a group's start (seq 0) starts before its first line: no lookup to find that.
      this.spansOf = this.db.prepare(
        `SELECT s.grp, CASE WHEN s.from_seq = 0 THEN 0 ELSE ${idAtSeq('s.from_seq')} END AS from_id, ${idAtSeq('s.to_seq')} AS to_id FROM seen AS s WHERE s.user = ? AND s.to_seq > s.from_seq`,
      );
      const within = 'FROM idx.lines_idx WHERE lines_idx MATCH ? AND rowid > ? AND rowid <= ?';
      this.newestIn = this.db.prepare<[string, number, number, number], number>(`SELECT rowid ${within} ORDER BY rowid DESC LIMIT ?`).pluck();
      this.countIn = this.db.prepare<[string, number, number, number], number>(`SELECT COUNT(*) FROM (SELECT 1 ${within} LIMIT ?)`).pluck();
      // A group never opened still shows its lines, under the label it would have had.
      this.linesByIds = this.db.prepare(
        "SELECT l.*, COALESCE(g.label, '#group-' || l.grp) AS label FROM lines AS l LEFT JOIN groups AS g ON g.id = l.grp WHERE l.id IN (SELECT value FROM json_each(?)) ORDER BY l.id",
      );
      this.anySeen = this.db.prepare('SELECT 1 AS one FROM seen WHERE user = ? LIMIT 1');
      this.directOf = this.db.prepare<[string, string], number>('SELECT grp FROM directs WHERE key_a = ? AND key_b = ?').pluck();
      this.lastSeqOf = this.db.prepare<[number], number>('SELECT COALESCE(MAX(seq), 0) FROM idx.line_pos WHERE grp = ?').pluck();
      this.pages = pageReads(this.db, (group) => this.committedSeq(group));
      // The lines a previous run committed but did not index, indexed before anything is read.
      const indexer = new LineIndexer(this.db);
      const done = indexer.catchUp(this.lastId);
      this.committedUpTo = this.lastId;
      this.lastRevision = done.revs;
      // Memberships still open belong to sessions of a previous run: they ended when it did.
      this.db
        .prepare('UPDATE seen SET to_seq = MAX(from_seq, COALESCE((SELECT MAX(seq) FROM idx.line_pos WHERE grp = seen.grp), 0)) WHERE to_seq = ?')
        .run(OPEN);
      // Started last: a store that failed to open leaves no worker behind.
      this.index = onDisk(file) ? new WorkerIndex(file, indexFile, done, this.onError, options.maxIndexLag) : new InlineIndex(indexer, done, this.onError);
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.checkpointer = onDisk(file) ? new Checkpointer(file, this.onError) : null;
  }

  /** A read of committed lines: refused while writes fail (the history is not what was said), a database fault as HistoryUnavailable. */
  protected read<T>(query: () => T): T {
    if (this.commitError !== null) throw new HistoryUnavailable(`the last write failed: ${this.commitError}`);
    const behind = this.index.behind();
    if (behind !== null) throw new HistoryUnavailable(`the line index cannot be brought up to date: ${behind}`);
    try {
      return query();
    } catch (err) {
      if (err instanceof Database.SqliteError) throw new HistoryUnavailable(err.message);
      throw err;
    }
  }

  protected committedSeq(group: number): number {
    return this.seqs.get(group) ?? this.lastSeqOf.get(group) ?? 0;
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
    let written: { rev: number; added: number };
    try {
      written = this.writeAll(writes);
    } catch (err) {
      this.commitError = (err as Error).message;
      this.queue.restore(writes);
      throw err;
    }
    this.commitError = null;
    // The same count the transaction kept in meta, so a restart finds what was counted here.
    this.committedLines += written.added;
    const { rev } = written;
    for (const w of writes) {
      if (w.kind === 'line') {
        this.committedUpTo = w.line.id;
        this.seqs.set(w.line.group, w.line.seq);
      }
    }
    if (rev > 0) this.lastRevision = rev;
    this.index.committed(this.committedUpTo, this.lastRevision);
  }

  /** Committed lines the search index does not hold yet. */
  indexLag(): number {
    return this.index.lag();
  }

  /** True while the index worker may have segments to merge (index-merge.ts). */
  indexMerging(): boolean {
    return this.index.merging();
  }

  line(id: number): StoredLine | undefined {
    const row = this.lineById.get(id);
    return row ? toStored(row) : undefined;
  }

  lineCount(): number {
    return this.committedLines;
  }

  problem(): string | null {
    if (!this.db.open) return 'the database is closed';
    if (this.commitError !== null) return `the last write failed: ${this.commitError}`;
    const indexError = this.index.problem();
    if (indexError !== null) return `the last search index write failed: ${indexError}`;
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
    const behind = this.index.behind();
    if (behind !== null) throw new HistoryUnavailable(`the search index cannot be brought up to date: ${behind}`);
    try {
      return this.searchIndexed(userKey, query, limit);
    } catch (err) {
      if (err instanceof Database.SqliteError) throw new HistoryUnavailable(err.message);
      throw err;
    }
  }

  private searchIndexed(userKey: string, query: SearchQuery, limit: number): SearchPage {
    // Per membership interval, as a range of line ids: its newest matches, and a count only when
    // there are more of them, stopping one past the bound (SEARCH_COUNT_BEYOND).
    const bound = limit + SEARCH_COUNT_BEYOND;
    const ids: number[] = [];
    let total = 0;
    for (const span of this.spansOf.all(userKey)) {
      if (span.to_id <= span.from_id) continue;
      const match = scopedQuery(query, span.grp);
      const newest = this.newestIn.all(match, span.from_id, span.to_id, limit + 1);
      if (newest.length <= limit) total += newest.length;
      else if (total <= bound) total += this.countIn.get(match, span.from_id, span.to_id, bound + 1 - total)!;
      for (const id of newest.slice(0, limit)) ids.push(id);
    }
    ids.sort((a, b) => b - a);
    const newest = ids.slice(0, limit);
    const lines = newest.length === 0 ? [] : this.linesByIds.all(JSON.stringify(newest)).map((r): FoundLine => ({ ...toStored(r), label: r.label }));
    return boundedPage(lines, total, limit);
  }

  /** Safe to call twice: the second call waits for the first. A last write that fails is reported, and the store closes all the same. */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      try {
        this.commit();
      } catch (err) {
        this.onError(`last commit: ${(err as Error).message}`);
      }
      await this.index.close();
      await this.checkpointer?.stop();
      this.db.close();
    })());
  }
}

function onDisk(file: string): boolean {
  return file !== ':memory:' && file !== '';
}
