/**
 * History in SQLite (better-sqlite3, WAL): one row per line, membership intervals that decide
 * who may read which line, and a contentless FTS5 index of group-scoped tokens. Writes queue in
 * memory and are committed in one transaction per call to commit() (group commit); the search
 * index, derived data, is written in larger batches shortly after (and always before a search),
 * and rebuilt at start for any lines a crash left unindexed.
 */
import Database from 'better-sqlite3';
import { HistoryUnavailable, type HistoryStore, type NewLine, type SearchPage, type StoredLine } from '../core/history.js';
import type { SearchQuery } from '../core/search-query.js';
import { Checkpointer } from './checkpointer.js';
import { scopedQuery, scopedText } from './scoped-index.js';

export interface HistoryOptions {
  /** Milliseconds since the epoch, for group creation times. */
  clock?: () => number;
  /** Told about failures of background writes: checkpoints, the search index, the last commit at close. */
  onError?: (msg: string) => void;
}

/** `to_id` of a membership that has not ended. */
const OPEN = Number.MAX_SAFE_INTEGER;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS lines (
  id INTEGER PRIMARY KEY,
  grp INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  sender TEXT NOT NULL,
  sender_key TEXT NOT NULL,
  text TEXT NOT NULL,
  ts INTEGER NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS lines_idx USING fts5(
  body, sender, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS groups (id INTEGER PRIMARY KEY, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS seen (
  user TEXT NOT NULL,
  grp INTEGER NOT NULL,
  from_id INTEGER NOT NULL,
  to_id INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS seen_by_user ON seen (user, grp);
`;

type Write =
  | { kind: 'line'; line: StoredLine }
  | { kind: 'group'; group: number; ts: number }
  | { kind: 'join'; user: string; group: number; after: number }
  | { kind: 'leave'; user: string; group: number; upTo: number }
  | { kind: 'adopt'; from: string; to: string; since: number };

interface LineRow {
  id: number;
  grp: number;
  seq: number;
  sender: string;
  sender_key: string;
  text: string;
  ts: number;
}

/** The schema this code writes; a database from another version is refused, not guessed at. */
const SCHEMA_VERSION = 1;

/** Lines waiting for the index are written once this many have gathered, or after INDEX_DELAY_MS. */
const INDEX_BATCH = 1024;
const INDEX_DELAY_MS = 250;

interface Interval {
  grp: number;
  from_id: number;
  to_id: number;
}

export class SqliteHistory implements HistoryStore {
  private readonly db: Database.Database;
  private queue: Write[] = [];
  /** Lines committed but not yet in the search index. */
  private unindexed: StoredLine[] = [];
  private indexTimer: NodeJS.Timeout | null = null;
  private lastId: number;
  private committedLines: number;
  /** The last commit's failure, until a commit succeeds again. */
  private commitError: string | null = null;
  /** The last index write's failure, until one succeeds again (its lines wait in `unindexed`). */
  private indexError: string | null = null;
  private closing: Promise<void> | null = null;
  private readonly clock: () => number;
  private readonly onError: (msg: string) => void;
  private readonly checkpointer: Checkpointer | null;
  private readonly writeAll: (writes: Write[]) => void;
  private readonly indexAll: (lines: StoredLine[]) => void;
  private readonly intervalsOf: Database.Statement<[string], Interval>;
  private readonly newestIn: Database.Statement<[string, number, number, number], number>;
  private readonly countIn: Database.Statement<[string, number, number], number>;
  private readonly linesByIds: Database.Statement<[string], LineRow>;
  private readonly anySeen: Database.Statement<[string], { one: number }>;

  /** Opens (creating if needed) the database at `file`, or in memory for ':memory:'. */
  constructor(file: string, options: HistoryOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.onError = options.onError ?? (() => undefined);
    this.db = new Database(file);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 2000');
      const version = this.db.pragma('user_version', { simple: true }) as number;
      const existing = this.db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM sqlite_schema WHERE name = 'lines'").get()!;
      if (existing.n > 0 && version !== SCHEMA_VERSION) {
        throw new Error(`${file} holds history in format ${version}; this version of ics-chat reads format ${SCHEMA_VERSION}`);
      }
      this.db.exec(SCHEMA);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      if (onDisk(file)) {
        this.db.pragma('wal_autocheckpoint = 0');
        this.db.pragma(`journal_size_limit = ${64 << 20}`);
      }
      this.lastId = this.db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM lines').get()?.id ?? 0;
      this.committedLines = this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM lines').get()?.n ?? 0;
      // Memberships still open belong to sessions of a previous run: they ended when it did.
      this.db.prepare('UPDATE seen SET to_id = ? WHERE to_id = ?').run(this.lastId, OPEN);

      const insertLine = this.db.prepare(
        'INSERT INTO lines (id, grp, seq, sender, sender_key, text, ts) VALUES (@id, @group, @seq, @sender, @senderKey, @text, @ts)',
      );
      const insertGroup = this.db.prepare('INSERT OR IGNORE INTO groups (id, created) VALUES (?, ?)');
      const insertSeen = this.db.prepare('INSERT INTO seen (user, grp, from_id, to_id) VALUES (?, ?, ?, ?)');
      const endSeen = this.db.prepare('UPDATE seen SET to_id = ? WHERE user = ? AND grp = ? AND to_id = ?');
      const adoptSeen = this.db.prepare('UPDATE seen SET user = ? WHERE user = ? AND from_id >= ?');
      this.writeAll = this.db.transaction((writes: Write[]) => {
        for (const w of writes) {
          switch (w.kind) {
            case 'line':
              insertLine.run(w.line);
              break;
            case 'group':
              insertGroup.run(w.group, w.ts);
              break;
            case 'join':
              insertSeen.run(w.user, w.group, w.after, OPEN);
              break;
            case 'leave':
              endSeen.run(w.upTo, w.user, w.group, OPEN);
              break;
            case 'adopt':
              adoptSeen.run(w.to, w.from, w.since);
              break;
          }
        }
      });
      const indexLine = this.db.prepare('INSERT INTO lines_idx (rowid, body, sender) VALUES (?, ?, ?)');
      const setIndexed = this.db.prepare("INSERT INTO meta (key, value) VALUES ('indexed_upto', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
      this.indexAll = this.db.transaction((lines: StoredLine[]) => {
        for (const l of lines) indexLine.run(l.id, scopedText(l.group, l.text), scopedText(l.group, l.sender));
        setIndexed.run(lines[lines.length - 1]!.id);
      });
      this.intervalsOf = this.db.prepare('SELECT grp, from_id, to_id FROM seen WHERE user = ? AND to_id > from_id');
      const within = 'FROM lines_idx WHERE lines_idx MATCH ? AND rowid > ? AND rowid <= ?';
      this.newestIn = this.db.prepare<[string, number, number, number], number>(`SELECT rowid ${within} ORDER BY rowid DESC LIMIT ?`).pluck();
      this.countIn = this.db.prepare<[string, number, number], number>(`SELECT COUNT(*) ${within}`).pluck();
      this.linesByIds = this.db.prepare('SELECT * FROM lines WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id');
      this.anySeen = this.db.prepare('SELECT 1 AS one FROM seen WHERE user = ? LIMIT 1');
      this.catchUpIndex();
    } catch (err) {
      this.db.close();
      throw err;
    }
    // Started last: a store that failed to open leaves no worker behind.
    this.checkpointer = onDisk(file) ? new Checkpointer(file, this.onError) : null;
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

  lastGroupId(): number {
    return this.db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM groups').get()?.id ?? 0;
  }

  record(line: NewLine): StoredLine {
    const stored = { ...line, id: ++this.lastId };
    this.queue.push({ kind: 'line', line: stored });
    return stored;
  }

  opened(group: number): void {
    this.queue.push({ kind: 'group', group, ts: this.clock() });
  }

  joined(userKey: string, group: number): number {
    this.queue.push({ kind: 'join', user: userKey, group, after: this.lastId });
    return this.lastId;
  }

  left(userKey: string, group: number): void {
    this.queue.push({ kind: 'leave', user: userKey, group, upTo: this.lastId });
  }

  newestId(): number {
    return this.lastId;
  }

  adopt(fromKey: string, toKey: string, sinceId: number): void {
    this.queue.push({ kind: 'adopt', from: fromKey, to: toKey, since: sinceId });
  }

  hasUser(userKey: string): boolean {
    return this.queue.some((w) => w.kind === 'join' && w.user === userKey) || this.anySeen.get(userKey) !== undefined;
  }

  commit(): void {
    if (this.queue.length === 0) return;
    const writes = this.queue;
    this.queue = [];
    try {
      this.writeAll(writes);
    } catch (err) {
      this.commitError = (err as Error).message;
      // The transaction rolled back. Its lines are refused (their senders are told), but the
      // membership changes still happened: they wait for the next commit, so that who may read
      // the lines stored after the fault stays right.
      this.queue = [...writes.filter((w) => w.kind !== 'line'), ...this.queue];
      throw err;
    }
    this.commitError = null;
    for (const w of writes) {
      if (w.kind !== 'line') continue;
      this.committedLines++;
      this.unindexed.push(w.line);
    }
    if (this.unindexed.length >= INDEX_BATCH) this.flushIndex();
    else if (this.unindexed.length > 0 && !this.indexTimer) this.indexTimer = setTimeout(() => this.flushIndex(), INDEX_DELAY_MS).unref();
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
    this.unindexed = [];
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
    // Per membership interval: its newest matches, and a count only when there are more of them.
    const ids: number[] = [];
    let total = 0;
    for (const span of this.intervalsOf.all(userKey)) {
      const match = scopedQuery(query, span.grp);
      const newest = this.newestIn.all(match, span.from_id, span.to_id, limit + 1);
      total += newest.length <= limit ? newest.length : this.countIn.get(match, span.from_id, span.to_id)!;
      for (const id of newest.slice(0, limit)) ids.push(id);
    }
    ids.sort((a, b) => b - a);
    const newest = ids.slice(0, limit);
    const lines = newest.length === 0 ? [] : this.linesByIds.all(JSON.stringify(newest)).map(toStored);
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

function toStored(r: LineRow): StoredLine {
  return { id: r.id, group: r.grp, seq: r.seq, sender: r.sender, senderKey: r.sender_key, text: r.text, ts: r.ts };
}
