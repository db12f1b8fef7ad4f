import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../core/search-query.js';
import { waitFor } from '../../test/helpers/wait.js';
import { HistoryUnavailable } from '../core/history.js';
import { SqliteHistory } from './sqlite-history.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function line(group: number, sender: string, text: string, seq = 1) {
  return { group, sender, senderKey: sender.toLowerCase(), text, ts: Date.UTC(2026, 10, 25), seq };
}

describe('SqliteHistory', () => {
  it('assigns ids in order and finds lines only after commit', () => {
    const h = new SqliteHistory(':memory:');
    h.opened(1);
    expect(h.joined('alice', 1)).toBe(0);
    h.joined('bob', 1);
    expect(h.record(line(1, 'alice', 'hello world')).id).toBe(1);
    expect(h.record(line(1, 'bob', 'Hello, Alice!')).id).toBe(2);
    expect(h.search('bob', [['hello']], 10).total).toBe(0);
    h.commit();
    const page = h.search('bob', [['hello']], 10);
    expect(page.total).toBe(2);
    expect(page.lines.map((l) => l.text)).toEqual(['hello world', 'Hello, Alice!']);
    expect(h.search('bob', [['alice']], 10).lines.map((l) => l.id)).toEqual([1, 2]);
  });

  it('lets a member see only the lines between joining and leaving', () => {
    const h = new SqliteHistory(':memory:');
    h.opened(1);
    h.joined('a', 1);
    h.joined('b', 1);
    h.record(line(1, 'a', 'word one'));
    h.joined('c', 1);
    h.record(line(1, 'a', 'word two'));
    h.left('c', 1);
    h.record(line(1, 'a', 'word three'));
    h.opened(2);
    h.joined('d', 2);
    h.record(line(2, 'd', 'word four'));
    h.commit();
    const texts = (user: string) => h.search(user, [['word']], 10).lines.map((l) => l.text);
    expect(texts('a')).toEqual(['word one', 'word two', 'word three']);
    expect(texts('c')).toEqual(['word two']);
    expect(texts('d')).toEqual(['word four']);
    expect(texts('nobody')).toEqual([]);
  });

  it('returns the newest matches, oldest first, with the total', () => {
    const h = new SqliteHistory(':memory:');
    h.opened(1);
    h.joined('a', 1);
    for (let i = 1; i <= 30; i++) h.record(line(1, 'a', `item ${i}`, i));
    h.commit();
    const page = h.search('a', [['item']], 5);
    expect(page.total).toBe(30);
    expect(page.lines.map((l) => l.text)).toEqual(['item 26', 'item 27', 'item 28', 'item 29', 'item 30']);
  });

  it('matches phrases, diacritics-insensitively, and survives hostile terms', () => {
    const h = new SqliteHistory(':memory:');
    h.opened(1);
    h.joined('a', 1);
    h.record(line(1, 'a', 'Café au lait, s\'il vous plaît'));
    h.record(line(1, 'a', 'lait au café'));
    h.commit();
    expect(h.search('a', parseSearchQuery('"cafe au"'), 10).lines.map((l) => l.id)).toEqual([1]);
    expect(h.search('a', parseSearchQuery('LAIT cafe'), 10).total).toBe(2);
    for (const hostile of ['"', '*', 'NEAR(', ')', "'", 'a OR', '^x', '-', 'x:y', '""""']) {
      expect(() => h.search('a', parseSearchQuery(hostile), 10)).not.toThrow();
    }
    expect(h.search('a', [], 10)).toEqual({ lines: [], total: 0 });
  });

  it('matches words only within the groups the user was in', () => {
    const h = new SqliteHistory(':memory:');
    h.opened(12);
    h.opened(13);
    h.joined('a', 12);
    h.joined('b', 13);
    h.record(line(12, 'a', 'no numbers here, 12'));
    h.record(line(13, 'b', 'numbers elsewhere'));
    h.commit();
    expect(h.search('a', [['12']], 10).total).toBe(1);
    expect(h.search('a', [['g12xnumbers']], 10).total).toBe(0);
    expect(h.search('a', [['numbers']], 10).lines.map((l) => l.text)).toEqual(['no numbers here, 12']);
  });

  it('indexes at start the lines a crash left committed but unindexed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ics-history-'));
    dirs.push(dir);
    const file = join(dir, 'history.db');
    const h = new SqliteHistory(file);
    h.opened(1);
    h.joined('a', 1);
    h.record(line(1, 'a', 'indexed at once'));
    h.commit();
    expect(h.search('a', [['indexed']], 10).total).toBe(1);
    h.record(line(1, 'a', 'committed but never indexed'));
    h.commit();
    const raw = new Database(file);
    expect(raw.prepare('SELECT COUNT(*) AS n FROM lines').get()).toEqual({ n: 2 });
    raw.close();
    // The process dies here: close() never runs, so the second line's index entry is lost.
    const again = new SqliteHistory(file);
    expect(again.search('a', [['never']], 10).lines.map((l) => l.text)).toEqual(['committed but never indexed']);
    await again.close();
    await h.close().catch(() => undefined);
  });

  it('copies the write-ahead log into the database file in the background', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ics-history-'));
    dirs.push(dir);
    const file = join(dir, 'history.db');
    const h = new SqliteHistory(file);
    const before = statSync(file).size;
    h.opened(1);
    h.joined('a', 1);
    for (let i = 0; i < 3000; i++) h.record(line(1, 'a', `line number ${i} with some words in it`));
    h.commit();
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    await waitFor('a checkpoint', () => statSync(file).size > before);
    await h.close();
  });

  it('refuses a database written in another format', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ics-history-'));
    dirs.push(dir);
    const file = join(dir, 'history.db');
    await new SqliteHistory(file).close();
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => new SqliteHistory(file)).toThrow('holds history in format 99; this version of ics-chat reads format 1');
  });

  it('keeps lines, ids and group ids across a reopen, and ends memberships of the old run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ics-history-'));
    dirs.push(dir);
    const file = join(dir, 'history.db');
    const h = new SqliteHistory(file);
    h.opened(1);
    h.opened(2);
    h.joined('a', 2);
    h.record(line(2, 'a', 'before restart'));
    await h.close();
    const again = new SqliteHistory(file);
    expect(again.lastGroupId()).toBe(2);
    expect(again.record(line(2, 'a', 'after restart')).id).toBe(2);
    again.commit();
    expect(again.search('a', [['restart']], 10).lines.map((l) => l.text)).toEqual(['before restart']);
    await again.close();
  });
});

describe('SqliteHistory health and counts', () => {
  it('counts committed lines, across a reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ics-chat-store-'));
    dirs.push(dir);
    const file = join(dir, 'history.db');
    const store = new SqliteHistory(file);
    store.opened(1);
    store.record(line(1, 'zz', 'one'));
    store.record(line(1, 'zz', 'two', 2));
    expect(store.lineCount()).toBe(0);
    store.commit();
    expect(store.lineCount()).toBe(2);
    await store.close();
    const again = new SqliteHistory(file);
    expect(again.lineCount()).toBe(2);
    await again.close();
  });

  it('reports no problem while it can serve, and says why once it cannot', async () => {
    const store = new SqliteHistory(':memory:');
    expect(store.problem()).toBeNull();
    await store.close();
    expect(store.problem()).toBe('the database is closed');
  });
});

describe('SqliteHistory when its database fails', () => {
  const holders: Database.Database[] = [];
  afterEach(() => {
    for (const db of holders.splice(0)) db.close();
  });
  /** The file, and a second connection that can take its write lock (commits then wait out the busy timeout). */
  function locked(): { h: SqliteHistory; lock: () => void; unlock: () => void; errors: string[] } {
    const dir = mkdtempSync(join(tmpdir(), 'ics-history-'));
    dirs.push(dir);
    const file = join(dir, 'history.db');
    const errors: string[] = [];
    const h = new SqliteHistory(file, { onError: (msg) => errors.push(msg) });
    const other = new Database(file);
    holders.push(other);
    return { h, lock: () => other.exec('BEGIN IMMEDIATE'), unlock: () => other.exec('COMMIT'), errors };
  }
  const texts = (h: SqliteHistory, user: string, word: string) => h.search(user, [[word]], 10).lines.map((l) => l.text);

  it('refuses the lines of a failed commit, is unavailable to search until a commit succeeds, and keeps its membership changes for the next one', async () => {
    const { h, lock, unlock } = locked();
    h.opened(1);
    h.joined('a', 1);
    h.record(line(1, 'a', 'word kept'));
    h.commit();
    lock();
    h.joined('b', 1);
    h.record(line(1, 'a', 'word lost'));
    expect(() => h.commit()).toThrow(/locked/);
    expect(h.problem()).toMatch(/^the last write failed: database is locked/);
    expect(h.lineCount()).toBe(1);
    expect(() => h.search('a', [['word']], 10)).toThrow(HistoryUnavailable);
    unlock();
    h.record(line(1, 'a', 'word after'));
    h.commit();
    expect(h.problem()).toBeNull();
    expect(texts(h, 'a', 'word')).toEqual(['word kept', 'word after']);
    expect(texts(h, 'b', 'word')).toEqual(['word after']);
    expect(h.lineCount()).toBe(2);
    await h.close();
  });

  it('answers a search it cannot bring the index up to date for with HistoryUnavailable, and serves again after', async () => {
    const { h, lock, unlock, errors } = locked();
    h.opened(1);
    h.joined('a', 1);
    h.record(line(1, 'a', 'word one'));
    h.commit();
    lock();
    expect(() => h.search('a', [['word']], 10)).toThrow(HistoryUnavailable);
    expect(h.problem()).toMatch(/^the last search index write failed: database is locked/);
    expect(errors).toEqual(['search index: database is locked']);
    unlock();
    expect(texts(h, 'a', 'word')).toEqual(['word one']);
    expect(h.problem()).toBeNull();
    await h.close();
  });

  it('closes even when its last commit fails, and says so', async () => {
    const { h, lock, errors } = locked();
    h.opened(1);
    h.joined('a', 1);
    lock();
    h.record(line(1, 'a', 'word last'));
    await h.close();
    expect(errors).toEqual(['last commit: database is locked']);
    expect(h.problem()).toBe('the database is closed');
  });
});
