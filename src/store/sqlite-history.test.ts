import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait.js';
import { Chat, describeHistoryContract, texts } from '../core/history-contract.js';
import { describeHistoryPageContract } from '../core/history-page-contract.js';
import { HistoryUnavailable } from '../core/history.js';
import { parseSearchQuery } from '../core/search-query.js';
import { SqliteHistory, type HistoryOptions } from './sqlite-history.js';

const dirs: string[] = [];
/** Connections of the tests' own to a store's file. */
const holders: Database.Database[] = [];
afterEach(() => {
  for (const db of holders.splice(0)) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dbFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ics-history-'));
  dirs.push(dir);
  return join(dir, 'history.db');
}

/** A second connection that can take the write lock of `file` (its writers then wait out their busy timeout and fail). */
function holder(file: string): (on: boolean) => void {
  const other = new Database(file);
  holders.push(other);
  return (on) => other.exec(on ? 'BEGIN IMMEDIATE' : 'COMMIT');
}

/** A store on disk whose commits fail while `fail(true)` holds. */
function locked(options: HistoryOptions = {}): { store: SqliteHistory; fail: (on: boolean) => void } {
  const file = dbFile();
  return { store: new SqliteHistory(file, options), fail: holder(file) };
}

describeHistoryContract('SqliteHistory', () => new SqliteHistory(':memory:'), {
  durable: () => {
    const file = dbFile();
    const store = new SqliteHistory(file);
    return { store, reopen: async () => (await store.close(), new SqliteHistory(file)) };
  },
  faulty: locked,
});

describeHistoryPageContract('SqliteHistory', () => new SqliteHistory(':memory:'));

describe('SqliteHistory search', () => {
  it('survives hostile terms', () => {
    const c = new Chat(new SqliteHistory(':memory:'));
    c.open(1);
    c.join('a', 1);
    c.say(1, 'a', 'a "quoted" NEAR(word) OR *');
    c.h.commit();
    for (const hostile of ['"', '*', 'NEAR(', ')', "'", 'a OR', '^x', '-', 'x:y', '""""']) {
      expect(() => c.h.search('a', parseSearchQuery(hostile), 10)).not.toThrow();
    }
    expect(texts(c.h, 'a', parseSearchQuery('near( "or *'))).toEqual(['a "quoted" NEAR(word) OR *']);
  });

});

describe('SqliteHistory on disk', () => {
  it('keeps the number of lines stored with them, and counts a history from before that once', async () => {
    const file = dbFile();
    const c = new Chat(new SqliteHistory(file));
    c.open(1);
    c.join('a', 1);
    for (const text of ['one', 'two', 'three']) c.say(1, 'a', text);
    c.h.commit();
    const fourth = c.say(1, 'a', 'four');
    c.h.commit();
    c.h.revise(fourth.id, null);
    c.h.commit();
    await c.h.close();
    const kept = (): number | undefined => {
      const raw = new Database(file);
      try {
        return raw.prepare<[], { value: number }>("SELECT value FROM meta WHERE key = 'line_count'").get()?.value;
      } finally {
        raw.close();
      }
    };
    expect(kept()).toBe(3);
    const again = new SqliteHistory(file);
    expect(again.lineCount()).toBe(3);
    await again.close();
    // A history written before the count was kept: counted at start, and the count kept.
    const raw = new Database(file);
    raw.exec("DELETE FROM meta WHERE key = 'line_count'");
    raw.close();
    const old = new SqliteHistory(file);
    expect(old.lineCount()).toBe(3);
    await old.close();
    expect(kept()).toBe(3);
  });

  it('indexes at start the lines a crash left committed but unindexed', async () => {
    const file = dbFile();
    const c = new Chat(new SqliteHistory(file));
    c.open(1);
    c.join('a', 1);
    c.say(1, 'a', 'indexed at once');
    c.h.commit();
    expect(c.h.search('a', [['indexed']], 10).total).toBe(1);
    c.say(1, 'a', 'committed but never indexed');
    c.h.commit();
    const raw = new Database(file);
    expect(raw.prepare('SELECT COUNT(*) AS n FROM lines').get()).toEqual({ n: 2 });
    raw.close();
    // The process dies here: close() never runs, so the second line's index entry is lost.
    const again = new SqliteHistory(file);
    expect(texts(again, 'a', [['never']])).toEqual(['committed but never indexed']);
    expect(again.lastSeq(1)).toBe(2);
    await again.close();
    await c.h.close().catch(() => undefined);
  });

  it('builds the index file again when it is missing, or when it holds lines the history lost', async () => {
    const file = dbFile();
    const c = new Chat(new SqliteHistory(file));
    c.open(1);
    c.join('a', 1);
    c.say(1, 'a', 'tea one');
    c.say(1, 'a', 'tea two');
    c.h.commit();
    await c.h.close();
    rmSync(`${file}-index`);
    const rebuilt = new SqliteHistory(file);
    expect(texts(rebuilt, 'a', [['tea']])).toEqual(['tea one', 'tea two']);
    await rebuilt.close();
    // A power cut took the history's last transaction, not the index's: line 2 is gone, and its id comes again.
    const raw = new Database(file);
    raw.exec('DELETE FROM lines WHERE id = 2');
    raw.close();
    const again = new Chat(new SqliteHistory(file));
    again.join('a', 1);
    expect(again.say(1, 'a', 'coffee two').id).toBe(2);
    again.h.commit();
    expect(texts(again.h, 'a', [['tea']])).toEqual(['tea one']);
    expect(texts(again.h, 'a', [['coffee']])).toEqual(['coffee two']);
    await again.h.close();
  });

  it("counts in a group's last seq the lines committed but not yet placed, and places them by group", async () => {
    const file = dbFile();
    const c = new Chat(new SqliteHistory(file));
    const holdIndex = holder(`${file}-index`);
    holdIndex(true);
    c.open(1);
    c.open(2);
    c.join('a', 1);
    c.join('a', 2);
    c.say(2, 'a', 'first in 2');
    c.say(1, 'a', 'first in 1');
    c.say(2, 'a', 'second in 2');
    c.h.commit();
    const raw = new Database(`${file}-index`, { readonly: true });
    holders.push(raw);
    const placed = raw.prepare('SELECT grp, seq, id FROM line_pos');
    expect(placed.all()).toEqual([]);
    expect([c.h.lastSeq(1), c.h.lastSeq(2)]).toEqual([1, 2]);
    holdIndex(false);
    expect(texts(c.h, 'a', [['in']])).toEqual(['first in 2', 'first in 1', 'second in 2']);
    expect(placed.all()).toEqual([
      { grp: 1, seq: 1, id: 2 },
      { grp: 2, seq: 1, id: 1 },
      { grp: 2, seq: 2, id: 3 },
    ]);
    await c.h.close();
  });

  it('copies the write-ahead log into the database file in the background', async () => {
    const file = dbFile();
    const c = new Chat(new SqliteHistory(file));
    const before = statSync(file).size;
    c.open(1);
    c.join('a', 1);
    for (let i = 0; i < 3000; i++) c.say(1, 'a', `line number ${i} with some words in it`);
    c.h.commit();
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    await waitFor('a checkpoint', () => statSync(file).size > before);
    await c.h.close();
  });

  it('reports no problem while it can serve, and says why once it cannot', async () => {
    const store = new SqliteHistory(':memory:');
    expect(store.problem()).toBeNull();
    await store.close();
    expect(store.problem()).toBe('the database is closed');
  });
});

describe('SqliteHistory when its database fails', () => {
  it('says why a commit failed until one succeeds', async () => {
    const { store, fail } = locked();
    store.opened(1, 'adhoc', '#group-1');
    fail(true);
    expect(() => store.commit()).toThrow(/locked/);
    expect(store.problem()).toMatch(/^the last write failed: database is locked/);
    fail(false);
    store.commit();
    expect(store.problem()).toBeNull();
    await store.close();
  });

  it('keeps committing lines while the index cannot be written, answers a search meanwhile with HistoryUnavailable, and serves again after', async () => {
    const errors: string[] = [];
    const file = dbFile();
    const c = new Chat(new SqliteHistory(file, { onError: (msg) => errors.push(msg) }));
    const fail = holder(`${file}-index`);
    c.open(1);
    c.join('a', 1);
    fail(true);
    c.say(1, 'a', 'word one');
    c.h.commit();
    expect(() => c.h.search('a', [['word']], 10)).toThrow(HistoryUnavailable);
    expect(() => c.h.page('a', { group: 1 }, { newest: true, limit: 10 })).toThrow(HistoryUnavailable);
    expect(c.h.problem()).toMatch(/^the last search index write failed: database is locked/);
    expect(errors).toEqual(['search index: database is locked']);
    fail(false);
    expect(texts(c.h, 'a', [['word']])).toEqual(['word one']);
    expect(c.h.problem()).toBeNull();
    await c.h.close();
  });

  it('closes even when its last commit fails, and says so', async () => {
    const errors: string[] = [];
    const { store, fail } = locked({ onError: (msg) => errors.push(msg) });
    const c = new Chat(store);
    c.open(1);
    c.join('a', 1);
    fail(true);
    c.say(1, 'a', 'word last');
    await c.h.close();
    expect(errors).toEqual(['last commit: database is locked']);
    expect(c.h.problem()).toBe('the database is closed');
  });
});
