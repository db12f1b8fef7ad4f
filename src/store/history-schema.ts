/**
 * The history database's schema, the upgrade of older files in place, and the index file beside
 * it. Format 4 counts memberships in each group's own sequence (`seen.from_seq < lines.seq <=
 * seen.to_seq`), labels groups, keeps one group per direct conversation, and keeps the places of
 * deleted lines (`gone`) and a log of revisions (`revised`, the words a line held before) for the
 * index. The derived data, the search index and each line's place in its group (`line_pos`), live
 * in a file of their own, written by a worker thread (index-worker.ts): SQLite has one writer per
 * file, and the chat lines' commits must never wait for it. Format 3 kept them in the history
 * file; format 2 kept an index on `lines` that cost a page write per group per commit; format 1
 * counted memberships in global line ids.
 */
import type Database from 'better-sqlite3';

/** The format this code writes. */
export const SCHEMA_VERSION = 4;

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
CREATE TABLE IF NOT EXISTS gone (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS revised (
  rev INTEGER PRIMARY KEY AUTOINCREMENT,
  id INTEGER NOT NULL,
  grp INTEGER NOT NULL,
  sender TEXT NOT NULL,
  old_text TEXT NOT NULL,
  new_text TEXT
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS groups (id INTEGER PRIMARY KEY, created INTEGER NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS seen (
  id INTEGER PRIMARY KEY,
  user TEXT NOT NULL,
  grp INTEGER NOT NULL,
  from_seq INTEGER NOT NULL,
  to_seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS seen_by_user ON seen (user, grp);
CREATE TABLE IF NOT EXISTS directs (
  key_a TEXT NOT NULL,
  key_b TEXT NOT NULL,
  grp INTEGER NOT NULL,
  PRIMARY KEY (key_a, key_b)
) WITHOUT ROWID;
`;

/**
 * Format 1 to 2. A membership's line ids become the seqs of the last lines of its group at or
 * before them (seqs grow with ids inside a group); open ones become the group's last seq, which
 * is where the next start would have closed them. Format 1 did not know rooms, so every group
 * becomes ad hoc, labelled by its id.
 */
const FROM_1 = `
ALTER TABLE groups ADD COLUMN kind TEXT NOT NULL DEFAULT 'adhoc';
ALTER TABLE groups ADD COLUMN label TEXT NOT NULL DEFAULT '';
UPDATE groups SET label = '#group-' || id;
CREATE INDEX lines_by_seq ON lines (grp, seq);
CREATE TABLE seen_2 (
  id INTEGER PRIMARY KEY,
  user TEXT NOT NULL,
  grp INTEGER NOT NULL,
  from_seq INTEGER NOT NULL,
  to_seq INTEGER NOT NULL
);
INSERT INTO seen_2 (id, user, grp, from_seq, to_seq)
  SELECT s.rowid, s.user, s.grp,
    COALESCE((SELECT seq FROM lines WHERE grp = s.grp AND id <= s.from_id ORDER BY seq DESC LIMIT 1), 0),
    COALESCE((SELECT seq FROM lines WHERE grp = s.grp AND id <= s.to_id ORDER BY seq DESC LIMIT 1), 0)
  FROM seen AS s ORDER BY s.rowid;
DROP TABLE seen;
ALTER TABLE seen_2 RENAME TO seen;
`;

/**
 * Format 2 to 3: the index on `lines` gives way to `line_pos`, filled for the lines the search
 * index holds (format 4 takes from it the places of deleted lines).
 */
const FROM_2 = `
DROP INDEX lines_by_seq;
CREATE TABLE line_pos (grp INTEGER NOT NULL, seq INTEGER NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (grp, seq, id)) WITHOUT ROWID;
INSERT INTO line_pos (grp, seq, id)
  SELECT grp, seq, id FROM lines WHERE id <= COALESCE((SELECT value FROM meta WHERE key = 'indexed_upto'), 0) ORDER BY grp, seq, id;
`;

/**
 * Format 3 to 4: the places of deleted lines move to `gone`; the search index and `line_pos` leave
 * the file, and the index file is filled from `lines` at start (derived data is rebuilt, not moved).
 */
const FROM_3 = `
CREATE TABLE gone (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, seq INTEGER NOT NULL);
INSERT INTO gone (id, grp, seq) SELECT id, grp, seq FROM line_pos AS p WHERE NOT EXISTS (SELECT 1 FROM lines AS l WHERE l.id = p.id);
DROP TABLE line_pos;
DROP TABLE lines_idx;
DELETE FROM meta WHERE key = 'indexed_upto';
`;

/**
 * Brings the database to format 4 in one transaction: creates it, upgrades a format-1, 2 or 3
 * file in place, or refuses any other format (a newer server's file is not guessed at).
 */
export function prepareSchema(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  const existing = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM sqlite_schema WHERE name = 'lines'").get()!.n > 0;
  if (existing && version !== SCHEMA_VERSION && !(version >= 1 && version <= 3)) {
    throw new Error(`${file} holds history in format ${version}; this version of ics-chat reads format ${SCHEMA_VERSION} and upgrades formats 1 to 3`);
  }
  db.transaction(() => {
    if (existing && version === 1) db.exec(FROM_1);
    if (existing && version <= 2) db.exec(FROM_2);
    if (existing && version <= 3) db.exec(FROM_3);
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

/** The index file's format: a file of another format is emptied and filled again. */
const INDEX_VERSION = 1;

/** The index file (attached as `idx`): contentless FTS5 of group-scoped tokens keyed by line id, places, and how far both go. */
const INDEX_SCHEMA = `
CREATE TABLE IF NOT EXISTS idx.line_pos (
  grp INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  id INTEGER NOT NULL,
  PRIMARY KEY (grp, seq, id)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS idx.lines_idx USING fts5(
  body, sender, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS idx.marks (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

/**
 * Readies the index file attached as `idx`. One of another format, or one that holds lines past
 * `lastId` (the history file lost its last transactions to a power cut, or was restored from a
 * copy), is emptied: the start-up catch-up fills it again from `lines`.
 */
export function prepareIndex(db: Database.Database, lastId: number): void {
  const version = db.pragma('idx.user_version', { simple: true }) as number;
  const tables = db.prepare<[], string>("SELECT name FROM idx.sqlite_schema WHERE type = 'table' AND name IN ('line_pos', 'lines_idx', 'marks')").pluck().all();
  const ahead = tables.includes('marks') && (db.prepare<[], number>("SELECT COALESCE(MAX(value), 0) FROM idx.marks WHERE key = 'lines'").pluck().get() ?? 0) > lastId;
  // A usable file is only read: a start that has nothing to index writes nothing to it.
  if (version === INDEX_VERSION && !ahead) return;
  db.transaction(() => {
    for (const t of tables) db.exec(`DROP TABLE idx.${t}`);
    db.exec(INDEX_SCHEMA);
    db.pragma(`idx.user_version = ${INDEX_VERSION}`);
  })();
}
