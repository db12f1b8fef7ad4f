import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { texts } from '../core/history-contract.js';
import { scopedText } from './scoped-index.js';
import { SqliteHistory } from './sqlite-history.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dbFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ics-schema-'));
  dirs.push(dir);
  return join(dir, 'history.db');
}

/** The schema of format 1, as the server wrote it until memberships were counted in seqs. */
const FORMAT_1 = `
CREATE TABLE lines (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, seq INTEGER NOT NULL, sender TEXT NOT NULL, sender_key TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER NOT NULL);
CREATE VIRTUAL TABLE lines_idx USING fts5(body, sender, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE groups (id INTEGER PRIMARY KEY, created INTEGER NOT NULL);
CREATE TABLE seen (user TEXT NOT NULL, grp INTEGER NOT NULL, from_id INTEGER NOT NULL, to_id INTEGER NOT NULL);
CREATE INDEX seen_by_user ON seen (user, grp);
PRAGMA user_version = 1;
`;
const OPEN_1 = Number.MAX_SAFE_INTEGER;

/**
 * Two groups whose lines interleave, as format 1 stored them: ann in group 1 from the start and
 * in group 2 from its line 1; bob in group 1 for its first line, then back after its last;
 * cid and dee in group 2 from the start, cid until its line 2. The run ended with ann, dee and
 * bob still in: their memberships are open. The last line never reached the search index.
 */
function formatOne(file: string): void {
  const db = new Database(file);
  db.exec(FORMAT_1);
  db.exec('INSERT INTO groups VALUES (1, 100), (2, 200)');
  const lines: [number, number, number, string, string][] = [
    [1, 1, 1, 'ann', 'one in 1'],
    [2, 2, 1, 'cid', 'one in 2'],
    [3, 1, 2, 'ann', 'two in 1'],
    [4, 2, 2, 'dee', 'two in 2'],
    [5, 1, 3, 'ann', 'three in 1'],
  ];
  for (const [id, grp, seq, sender, text] of lines) {
    db.prepare('INSERT INTO lines VALUES (?, ?, ?, ?, ?, ?, ?)').run(id, grp, seq, sender, sender, text, 1000 + id);
    if (id < 5) db.prepare('INSERT INTO lines_idx (rowid, body, sender) VALUES (?, ?, ?)').run(id, scopedText(grp, text), scopedText(grp, sender));
  }
  db.exec("INSERT INTO meta VALUES ('indexed_upto', 4)");
  const seen: [string, number, number, number][] = [
    ['ann', 1, 0, OPEN_1],
    ['bob', 1, 0, 2],
    ['cid', 2, 1, 4],
    ['dee', 2, 1, OPEN_1],
    ['ann', 2, 3, OPEN_1],
    ['bob', 1, 5, OPEN_1],
  ];
  for (const row of seen) db.prepare('INSERT INTO seen VALUES (?, ?, ?, ?)').run(...row);
  db.close();
}

it('upgrades a format-1 database in place: the same people see the same lines, counted in seqs', async () => {
  const file = dbFile();
  formatOne(file);
  const h = new SqliteHistory(file);
  const raw = new Database(file, { readonly: true });
  expect(raw.pragma('user_version', { simple: true })).toBe(4);
  expect(raw.prepare('SELECT id, user, grp, from_seq, to_seq FROM seen ORDER BY id').all()).toEqual([
    { id: 1, user: 'ann', grp: 1, from_seq: 0, to_seq: 3 },
    { id: 2, user: 'bob', grp: 1, from_seq: 0, to_seq: 1 },
    { id: 3, user: 'cid', grp: 2, from_seq: 0, to_seq: 2 },
    { id: 4, user: 'dee', grp: 2, from_seq: 0, to_seq: 2 },
    { id: 5, user: 'ann', grp: 2, from_seq: 1, to_seq: 2 },
    { id: 6, user: 'bob', grp: 1, from_seq: 3, to_seq: 3 },
  ]);
  expect(raw.prepare('SELECT id, created, kind, label FROM groups ORDER BY id').all()).toEqual([
    { id: 1, created: 100, kind: 'adhoc', label: '#group-1' },
    { id: 2, created: 200, kind: 'adhoc', label: '#group-2' },
  ]);
  raw.close();
  expect(h.search('ann', [['in']], 10).lines.map((l) => [l.text, l.label])).toEqual([
    ['one in 1', '#group-1'],
    ['two in 1', '#group-1'],
    ['two in 2', '#group-2'],
    ['three in 1', '#group-1'],
  ]);
  expect(texts(h, 'bob', [['in']])).toEqual(['one in 1']);
  expect(texts(h, 'cid', [['in']])).toEqual(['one in 2', 'two in 2']);
  expect(texts(h, 'dee', [['in']])).toEqual(['one in 2', 'two in 2']);
  expect([h.lastGroupId(), h.lastSeq(1), h.lastSeq(2), h.mark(), h.lineCount()]).toEqual([2, 3, 2, 6, 5]);
  // And it carries on in format 4.
  expect(h.directGroup('ann', 'cid', 3, 'ann+cid')).toBe(3);
  h.joined('ann', 3, 0);
  expect(h.record({ group: 3, sender: 'cid', senderKey: 'cid', text: 'one in 3', ts: 0, seq: 1 }).id).toBe(6);
  h.commit();
  expect(texts(h, 'ann', [['one']])).toEqual(['one in 1', 'one in 3']);
  await h.close();
});

it('refuses a database of a format it does not know', async () => {
  const file = dbFile();
  await new SqliteHistory(file).close();
  const raw = new Database(file);
  raw.pragma('user_version = 99');
  raw.close();
  expect(() => new SqliteHistory(file)).toThrow('holds history in format 99; this version of ics-chat reads format 4 and upgrades formats 1 to 3');
});

/** Format 2's schema: memberships in seqs, and an index on `lines` to find a group's lines. */
const FORMAT_2 = `
CREATE TABLE lines (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, seq INTEGER NOT NULL, sender TEXT NOT NULL, sender_key TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER NOT NULL);
CREATE INDEX lines_by_seq ON lines (grp, seq);
CREATE VIRTUAL TABLE lines_idx USING fts5(body, sender, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE groups (id INTEGER PRIMARY KEY, created INTEGER NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL);
CREATE TABLE seen (id INTEGER PRIMARY KEY, user TEXT NOT NULL, grp INTEGER NOT NULL, from_seq INTEGER NOT NULL, to_seq INTEGER NOT NULL);
CREATE INDEX seen_by_user ON seen (user, grp);
CREATE TABLE directs (key_a TEXT NOT NULL, key_b TEXT NOT NULL, grp INTEGER NOT NULL, PRIMARY KEY (key_a, key_b)) WITHOUT ROWID;
PRAGMA user_version = 2;
`;

it('upgrades a format-2 database in place: its lines are found by place, the unindexed ones too', async () => {
  const file = dbFile();
  const db = new Database(file);
  db.exec(FORMAT_2);
  db.exec("INSERT INTO groups VALUES (1, 100, 'room', '#a'), (2, 200, 'room', '#b')");
  const lines: [number, number, number, string][] = [
    [1, 1, 1, 'one in a'],
    [2, 2, 1, 'one in b'],
    [3, 1, 2, 'two in a'],
    [4, 2, 2, 'two in b'],
  ];
  for (const [id, grp, seq, text] of lines) {
    db.prepare('INSERT INTO lines VALUES (?, ?, ?, ?, ?, ?, ?)').run(id, grp, seq, 'ann', 'ann', text, 1000 + id);
    if (id < 4) db.prepare('INSERT INTO lines_idx (rowid, body, sender) VALUES (?, ?, ?)').run(id, scopedText(grp, text), scopedText(grp, 'ann'));
  }
  db.exec("INSERT INTO meta VALUES ('indexed_upto', 3)");
  // ann in #a from the start and still in; bob in #b after its first line and still in.
  db.prepare('INSERT INTO seen VALUES (?, ?, ?, ?, ?)').run(1, 'ann', 1, 0, OPEN_1);
  db.prepare('INSERT INTO seen VALUES (?, ?, ?, ?, ?)').run(2, 'bob', 2, 1, OPEN_1);
  db.close();

  const h = new SqliteHistory(file);
  const raw = new Database(file, { readonly: true });
  expect(raw.pragma('user_version', { simple: true })).toBe(4);
  expect(raw.prepare("SELECT name FROM sqlite_schema WHERE name IN ('lines_by_seq', 'line_pos', 'lines_idx')").all()).toEqual([]);
  const index = new Database(`${file}-index`, { readonly: true });
  expect(index.prepare('SELECT grp, seq, id FROM line_pos').all()).toEqual([
    { grp: 1, seq: 1, id: 1 },
    { grp: 1, seq: 2, id: 3 },
    { grp: 2, seq: 1, id: 2 },
    { grp: 2, seq: 2, id: 4 },
  ]);
  index.close();
  expect(raw.prepare('SELECT user, from_seq, to_seq FROM seen ORDER BY id').all()).toEqual([
    { user: 'ann', from_seq: 0, to_seq: 2 },
    { user: 'bob', from_seq: 1, to_seq: 2 },
  ]);
  raw.close();
  expect(texts(h, 'ann', [['in']])).toEqual(['one in a', 'two in a']);
  expect(texts(h, 'bob', [['in']])).toEqual(['two in b']);
  expect([h.lastSeq(1), h.lastSeq(2)]).toEqual([2, 2]);
  await h.close();
});

/** Format 3's schema: the search index and `line_pos` in the history file itself. */
const FORMAT_3 = `
CREATE TABLE lines (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, seq INTEGER NOT NULL, sender TEXT NOT NULL, sender_key TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER NOT NULL);
CREATE TABLE line_pos (grp INTEGER NOT NULL, seq INTEGER NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (grp, seq, id)) WITHOUT ROWID;
CREATE VIRTUAL TABLE lines_idx USING fts5(body, sender, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE groups (id INTEGER PRIMARY KEY, created INTEGER NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL);
CREATE TABLE seen (id INTEGER PRIMARY KEY, user TEXT NOT NULL, grp INTEGER NOT NULL, from_seq INTEGER NOT NULL, to_seq INTEGER NOT NULL);
CREATE INDEX seen_by_user ON seen (user, grp);
CREATE TABLE directs (key_a TEXT NOT NULL, key_b TEXT NOT NULL, grp INTEGER NOT NULL, PRIMARY KEY (key_a, key_b)) WITHOUT ROWID;
PRAGMA user_version = 3;
`;

it('upgrades a format-3 database in place: the index moves to its own file, deleted lines keep their places, edits read as they do now', async () => {
  const file = dbFile();
  const db = new Database(file);
  db.exec(FORMAT_3);
  db.exec("INSERT INTO groups VALUES (1, 100, 'room', '#a'), (2, 200, 'room', '#b')");
  // Line 2 was deleted, and so was line 5, the last of #a; line 3 was edited; lines 6 and 7 were never indexed.
  const lines: [number, number, number, string][] = [
    [1, 1, 1, 'one in a'],
    [3, 2, 1, 'edited in b'],
    [4, 1, 3, 'three in a'],
    [6, 2, 2, 'two in b'],
    [7, 2, 3, 'three in b'],
  ];
  for (const [id, grp, seq, text] of lines) {
    db.prepare('INSERT INTO lines VALUES (?, ?, ?, ?, ?, ?, ?)').run(id, grp, seq, 'ann', 'ann', text, 1000 + id);
    if (id < 6) db.prepare('INSERT INTO lines_idx (rowid, body, sender) VALUES (?, ?, ?)').run(id, scopedText(grp, text), scopedText(grp, 'ann'));
  }
  for (const [grp, seq, id] of [[1, 1, 1], [1, 2, 2], [2, 1, 3], [1, 3, 4], [1, 4, 5]]) db.prepare('INSERT INTO line_pos VALUES (?, ?, ?)').run(grp, seq, id);
  db.exec("INSERT INTO meta VALUES ('indexed_upto', 5), ('deleted_upto', 5)");
  db.prepare('INSERT INTO seen VALUES (?, ?, ?, ?, ?)').run(1, 'ann', 1, 0, OPEN_1);
  db.prepare('INSERT INTO seen VALUES (?, ?, ?, ?, ?)').run(2, 'ann', 2, 0, OPEN_1);
  db.close();

  const h = new SqliteHistory(file);
  const raw = new Database(file, { readonly: true });
  expect(raw.pragma('user_version', { simple: true })).toBe(4);
  expect(raw.prepare("SELECT name FROM sqlite_schema WHERE name IN ('line_pos', 'lines_idx')").all()).toEqual([]);
  expect(raw.prepare('SELECT id, grp, seq FROM gone ORDER BY id').all()).toEqual([
    { id: 2, grp: 1, seq: 2 },
    { id: 5, grp: 1, seq: 4 },
  ]);
  expect(raw.prepare('SELECT to_seq FROM seen ORDER BY id').pluck().all()).toEqual([4, 3]);
  raw.close();
  expect(texts(h, 'ann', [['in']])).toEqual(['one in a', 'edited in b', 'three in a', 'two in b', 'three in b']);
  expect(texts(h, 'ann', [['edited']])).toEqual(['edited in b']);
  expect([h.lastSeq(1), h.lastSeq(2), h.said('ann', { group: 1 })]).toEqual([4, 3, 4]);
  expect(h.page('ann', { group: 1 }, { newest: true, limit: 10 }).map((l) => l.text)).toEqual(['one in a', 'three in a']);
  h.joined('ann', 1, 4);
  expect(h.record({ group: 1, sender: 'ann', senderKey: 'ann', text: 'five in a', ts: 0, seq: 5 }).id).toBe(6 + 2);
  h.commit();
  expect(texts(h, 'ann', [['five']])).toEqual(['five in a']);
  await h.close();
});
