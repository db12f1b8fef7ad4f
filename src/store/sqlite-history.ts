/**
 * History in SQLite (better-sqlite3, WAL): one row per line, an FTS5 index over text and
 * sender, and membership intervals that decide who may read which line. Writes queue in
 * memory and are committed in one transaction per call to commit() (group commit).
 */
import Database from 'better-sqlite3';
import type { HistoryStore, NewLine, SearchPage, StoredLine } from '../core/history.js';
import type { SearchQuery } from '../core/search-query.js';

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
CREATE VIRTUAL TABLE IF NOT EXISTS lines_fts USING fts5(
  text, sender, content = 'lines', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
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
  | { kind: 'leave'; user: string; group: number; upTo: number };

interface LineRow {
  id: number;
  grp: number;
  seq: number;
  sender: string;
  sender_key: string;
  text: string;
  ts: number;
}

/** An FTS5 query in which every term is a quoted phrase: user text cannot add operators. */
export function ftsQuery(query: SearchQuery): string {
  return query.map((term) => `"${term.join(' ').replaceAll('"', '""')}"`).join(' AND ');
}

export class SqliteHistory implements HistoryStore {
  private readonly db: Database.Database;
  private queue: Write[] = [];
  private lastId: number;
  private readonly writeAll: (writes: Write[]) => void;
  private readonly searchPage: Database.Statement<[string, string, number], LineRow>;
  private readonly searchCount: Database.Statement<[string, string], { n: number }>;
  private readonly anySeen: Database.Statement<[string], { one: number }>;

  /** Opens (creating if needed) the database at `file`, or in memory for ':memory:'. */
  constructor(file: string, private readonly clock: () => number = Date.now) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 2000');
    this.db.exec(SCHEMA);
    this.lastId = this.db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM lines').get()?.id ?? 0;
    // Memberships still open belong to sessions of a previous run: they ended when it did.
    this.db.prepare('UPDATE seen SET to_id = ? WHERE to_id = ?').run(this.lastId, OPEN);

    const insertLine = this.db.prepare(
      'INSERT INTO lines (id, grp, seq, sender, sender_key, text, ts) VALUES (@id, @group, @seq, @sender, @senderKey, @text, @ts)',
    );
    const indexLine = this.db.prepare('INSERT INTO lines_fts (rowid, text, sender) VALUES (?, ?, ?)');
    const insertGroup = this.db.prepare('INSERT OR IGNORE INTO groups (id, created) VALUES (?, ?)');
    const insertSeen = this.db.prepare('INSERT INTO seen (user, grp, from_id, to_id) VALUES (?, ?, ?, ?)');
    const endSeen = this.db.prepare('UPDATE seen SET to_id = ? WHERE user = ? AND grp = ? AND to_id = ?');
    this.writeAll = this.db.transaction((writes: Write[]) => {
      for (const w of writes) {
        switch (w.kind) {
          case 'line':
            insertLine.run(w.line);
            indexLine.run(w.line.id, w.line.text, w.line.sender);
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
        }
      }
    });

    const visible = `FROM lines_fts JOIN lines l ON l.id = lines_fts.rowid
      WHERE lines_fts MATCH ?
        AND EXISTS (SELECT 1 FROM seen s WHERE s.user = ? AND s.grp = l.grp AND l.id > s.from_id AND l.id <= s.to_id)`;
    this.searchPage = this.db.prepare(`SELECT l.* ${visible} ORDER BY l.id DESC LIMIT ?`);
    this.searchCount = this.db.prepare(`SELECT COUNT(*) AS n ${visible}`);
    this.anySeen = this.db.prepare('SELECT 1 AS one FROM seen WHERE user = ? LIMIT 1');
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

  hasUser(userKey: string): boolean {
    return this.queue.some((w) => w.kind === 'join' && w.user === userKey) || this.anySeen.get(userKey) !== undefined;
  }

  commit(): void {
    if (this.queue.length === 0) return;
    const writes = this.queue;
    this.queue = [];
    this.writeAll(writes);
  }

  search(userKey: string, query: SearchQuery, limit: number): SearchPage {
    if (query.length === 0) return { lines: [], total: 0 };
    const match = ftsQuery(query);
    const rows = this.searchPage.all(match, userKey, limit);
    const total = rows.length < limit ? rows.length : (this.searchCount.get(match, userKey)?.n ?? rows.length);
    const lines = rows.reverse().map(
      (r): StoredLine => ({ id: r.id, group: r.grp, seq: r.seq, sender: r.sender, senderKey: r.sender_key, text: r.text, ts: r.ts }),
    );
    return { lines, total };
  }

  close(): void {
    this.commit();
    this.db.close();
  }
}
