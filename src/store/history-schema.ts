/**
 * The history database's schema, and the upgrade of older files in place. Format 3 counts
 * memberships in each group's own sequence (`seen.from_seq < lines.seq <= seen.to_seq`), labels
 * groups, keeps one group per direct conversation, and finds a group's lines through `line_pos`,
 * which is written with the search index, in batches, off the path of a line (format 2 kept an
 * index on `lines` that cost a page write per group per commit). Format 1 counted memberships in
 * global line ids. The search index is keyed by line id in all three, so upgrades leave it be.
 */
import type Database from 'better-sqlite3';

/** The format this code writes. */
export const SCHEMA_VERSION = 3;

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
CREATE TABLE IF NOT EXISTS line_pos (
  grp INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  id INTEGER NOT NULL,
  PRIMARY KEY (grp, seq, id)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS lines_idx USING fts5(
  body, sender, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2'
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
 * index holds; the start-up catch-up adds the rest, as it does for the search index.
 */
const FROM_2 = `
DROP INDEX lines_by_seq;
CREATE TABLE line_pos (grp INTEGER NOT NULL, seq INTEGER NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (grp, seq, id)) WITHOUT ROWID;
INSERT INTO line_pos (grp, seq, id)
  SELECT grp, seq, id FROM lines WHERE id <= COALESCE((SELECT value FROM meta WHERE key = 'indexed_upto'), 0) ORDER BY grp, seq, id;
`;

/**
 * Brings the database to format 3 in one transaction: creates it, upgrades a format-1 or
 * format-2 file in place, or refuses any other format (a newer server's file is not guessed at).
 */
export function prepareSchema(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  const existing = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM sqlite_schema WHERE name = 'lines'").get()!.n > 0;
  if (existing && version !== SCHEMA_VERSION && version !== 1 && version !== 2) {
    throw new Error(`${file} holds history in format ${version}; this version of ics-chat reads format ${SCHEMA_VERSION} and upgrades formats 1 and 2`);
  }
  db.transaction(() => {
    if (existing && version === 1) db.exec(FROM_1);
    if (existing && version <= 2) db.exec(FROM_2);
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}
