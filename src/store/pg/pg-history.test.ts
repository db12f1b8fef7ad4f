import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OWN_POSTGRES_NEED, ownPostgres, POSTGRES_NEED } from '../../../test/helpers/engines.js';
import { describeNeeds } from '../../../test/helpers/needs.js';
import { schemaDatabase, type Schemas } from '../../../test/helpers/pg-schemas.js';
import { Chat, describeHistoryContract, texts } from '../../core/history-contract.js';
import { describeHistoryPageContract } from '../../core/history-page-contract.js';
import { HistoryUnavailable, SEARCH_COUNT_BEYOND, type HistoryStore, type StoredLine } from '../../core/history.js';
import { parseSearchQuery } from '../../core/search-query.js';
import type { LocalPostgres } from '../../engines/postgres.js';
import { migrate } from './migrate.js';
import { PgHistory, type PgHistoryOptions } from './pg-history.js';
import { HISTORY_STEPS } from './pg-history-schema.js';
import { PgError, SyncPg } from './sync-client.js';

// The contract's properties make a store per run, 150 runs each.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

/** Empties the history on `db`'s schema, sequences included: a new store on it starts as on a new database. */
function emptied(db: SyncPg): SyncPg {
  db.query(`DELETE FROM history_lines; DELETE FROM history_groups; DELETE FROM history_memberships; DELETE FROM history_directs;
    DELETE FROM history_runs; DELETE FROM history_free_ids; UPDATE history_line_count SET lines = 0;
    ALTER SEQUENCE history_line_ids RESTART; ALTER SEQUENCE history_membership_ids RESTART; ALTER SEQUENCE history_run_ids RESTART`);
  return db;
}

const T0 = Date.UTC(2026, 0, 1);

describeNeeds(POSTGRES_NEED)('PgHistory', () => {
  let schemas: Schemas;
  /** One connection the contract's stores share, one after another (a connection each would cost a worker thread each). */
  let shared: SyncPg;
  const others: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    schemas = await schemaDatabase('history');
    shared = new SyncPg(schemas.fresh());
    others.push(shared);
    migrate(shared, 'history', HISTORY_STEPS);
  });
  afterAll(async () => {
    for (const o of others.splice(0)) await o.close();
    await schemas?.close();
  });
  const store = (db: string | SyncPg, options: Partial<PgHistoryOptions> = {}): PgHistory => new PgHistory(db, { node: 'test', ...options });
  const fresh = (): HistoryStore => store(emptied(shared));

  describeHistoryContract('PgHistory', fresh, {
    durable: () => {
      const first = fresh();
      return { store: first, reopen: async () => (await first.close(), store(shared)) };
    },
    // Another connection holds the lines table against writers, so commits wait out PostgreSQL's lock timeout and fail; reads go on.
    faulty: () => {
      const url = schemas.fresh();
      const locker = new SyncPg(url);
      others.push(locker);
      const impatient = new URL(url);
      impatient.searchParams.set('options', `${impatient.searchParams.get('options')} -c lock_timeout=300`);
      return {
        store: store(impatient.toString()),
        fail: (on) => {
          if (on) {
            locker.query('BEGIN');
            locker.query('LOCK TABLE history_lines IN EXCLUSIVE MODE');
          } else locker.query('COMMIT');
        },
      };
    },
  });

  describeHistoryPageContract('PgHistory', fresh);

  describe('PgHistory shared by several servers', () => {
    it('gives ids that never collide and grow in each, across blocks, and shows each what the other committed', async () => {
      const url = schemas.fresh();
      const [a, b] = [store(url, { node: 'a' }), store(url, { node: 'b' })];
      a.opened(1, 'room', '#one');
      b.opened(2, 'room', '#two');
      a.joined('ann', 1, 0);
      b.joined('ann', 2, 0);
      const ids = { a: [] as number[], b: [] as number[] };
      for (let batch = 0; batch < 25; batch++) {
        for (let i = 1; i <= 100; i++) {
          const seq = batch * 100 + i;
          ids.a.push(a.record({ group: 1, sender: 'ann', senderKey: 'ann', text: `line ${seq} here`, ts: T0 + seq, seq }).id);
          if (i % 10 === 0) ids.b.push(b.record({ group: 2, sender: 'bo', senderKey: 'bo', text: `line ${seq / 10} there`, ts: T0 + seq, seq: seq / 10 }).id);
        }
        a.commit();
        b.commit();
      }
      for (const list of [ids.a, ids.b]) expect(list.every((id, i) => i === 0 || id > list[i - 1]!)).toBe(true);
      expect(new Set([...ids.a, ...ids.b]).size).toBe(2750);
      // 2,750 matches: counted up to the bound, the page still the newest.
      expect(b.search('ann', [['line']], 3)).toMatchObject({ total: 3 + SEARCH_COUNT_BEYOND, more: true, lines: [{ text: 'line 2498 here' }, { text: 'line 2499 here' }, { text: 'line 2500 here' }] });
      expect([a.lastGroupId(), b.lastGroupId(), b.lastSeq(1)]).toEqual([2, 2, 2500]);
      await Promise.all([a.close(), b.close()]);
    });

    it("ends at start the memberships its own node's earlier run left open, and no other node's", async () => {
      const url = schemas.fresh();
      const crashed = store(url, { node: 'a' });
      const b = store(url, { node: 'b' });
      const cb = new Chat(b);
      cb.open(1);
      crashed.joined('ann', 1, 0);
      crashed.commit();
      cb.join('bob', 1);
      cb.say(1, 'bob', 'said before the crash');
      b.commit();
      // Node a starts again while its old run never closed (killed).
      const again = store(url, { node: 'a' });
      cb.say(1, 'bob', 'said after the restart');
      b.commit();
      expect(texts(again, 'ann', [['said']])).toEqual(['said before the crash']);
      expect(texts(again, 'bob', [['said']])).toEqual(['said before the crash', 'said after the restart']);
      await Promise.all([again.close(), b.close(), crashed.close()]);
    });

    it("moves at adoption only this run's memberships, not those another server recorded with higher ids", async () => {
      const url = schemas.fresh();
      const [a, b] = [store(url, { node: 'a' }), store(url, { node: 'b' })];
      const ca = new Chat(a);
      // b's block of ids comes after a's: its membership's id is above any mark a takes.
      b.opened(1, 'adhoc', '#group-1');
      b.joined('fay', 1, 0);
      b.record({ group: 1, sender: 'x', senderKey: 'x', text: 'the earlier guest', ts: T0, seq: 1 });
      b.left('fay', 1, 1);
      b.commit();
      const since = a.mark();
      ca.open(2);
      ca.join('fay', 2);
      ca.say(2, 'x', 'this session');
      a.commit();
      a.adopt('fay', 'fay:acct', since);
      a.commit();
      expect(texts(a, 'fay:acct', [['the']])).toEqual([]);
      expect(texts(a, 'fay:acct', [['session']])).toEqual(['this session']);
      expect(texts(a, 'fay', [['guest']])).toEqual(['the earlier guest']);
      await Promise.all([a.close(), b.close()]);
    });
  });

  describe('PgHistory count of lines', () => {
    const say = (h: PgHistory, seq: number): StoredLine => h.record({ group: 1, sender: 'a', senderKey: 'a', text: `line ${seq}`, ts: T0 + seq, seq });
    const kept = (db: SyncPg): number => Number(db.query<{ lines: string }>('SELECT lines FROM history_line_count')[0]!.lines);

    it('keeps the count with the lines: inserts add, deletions take away, edits leave it, and a reopened store reads it', async () => {
      const url = schemas.fresh();
      const raw = new SyncPg(url);
      others.push(raw);
      const h = store(url);
      const [first, second] = [say(h, 1), say(h, 2)];
      const doomed = say(h, 3);
      h.revise(doomed.id, null);
      h.commit();
      expect([h.lineCount(), kept(raw)]).toEqual([2, 2]);
      say(h, 4);
      h.revise(first.id, 'edited');
      h.revise(second.id, null);
      // Deleted twice in one commit, and again in the next: counted once.
      h.revise(second.id, null);
      h.commit();
      h.revise(second.id, null);
      h.commit();
      expect([h.lineCount(), kept(raw)]).toEqual([2, 2]);
      await h.close();
      const again = store(url);
      expect(again.lineCount()).toBe(2);
      await again.close();
    });

    it('counts a history from before the count was kept once, at the migration, and from then on reads the count, not the lines', async () => {
      const url = schemas.fresh();
      const raw = new SyncPg(url);
      others.push(raw);
      migrate(raw, 'history', HISTORY_STEPS.slice(0, HISTORY_STEPS.findIndex((step) => step.includes('CREATE TABLE history_line_count'))));
      raw.query(`INSERT INTO history_lines (id, grp, seq, sender, sender_key, text, ts)
        SELECT n, 1, n, 'a', 'a', CASE WHEN n % 10 = 0 THEN NULL ELSE 'line ' || n END, 0 FROM generate_series(1, 500) AS n`);
      raw.query("SELECT setval('history_line_ids', 1000)");
      const h = store(url);
      expect([h.lineCount(), kept(raw)]).toEqual([450, 450]);
      expect(raw.query('SELECT version FROM schema_versions WHERE component = $1', ['history'])).toEqual([{ version: HISTORY_STEPS.length }]);
      say(h, 501);
      h.commit();
      await h.close();
      // A count that disagrees with the lines is believed: a store at open reads it and counts nothing.
      raw.query('UPDATE history_line_count SET lines = 7');
      const again = store(url);
      expect(again.lineCount()).toBe(7);
      await again.close();
    });

    it('writes a turn of lines alone as one statement, the count with them', async () => {
      const h = store(emptied(shared));
      h.opened(1, 'room', '#one');
      h.commit();
      const sent = vi.spyOn(shared, 'transaction');
      try {
        for (let seq = 1; seq <= 100; seq++) say(h, seq);
        h.commit();
        expect(sent.mock.calls.map(([steps]) => steps.length)).toEqual([1]);
      } finally {
        sent.mockRestore();
      }
      expect([h.lineCount(), kept(shared)]).toEqual([100, 100]);
      await h.close();
    });
  });

  describe('PgHistory search', () => {
    it('survives hostile terms', async () => {
      const c = new Chat(store(schemas.fresh()));
      c.open(1);
      c.join('a', 1);
      c.say(1, 'a', "a 'quoted' <-> !word & | :* \\ OR");
      c.h.commit();
      for (const hostile of ['"', "'", '\\', '!', '&', '|', '<->', ':*', '(', ')', "a'b", '""""']) {
        expect(() => c.h.search('a', parseSearchQuery(hostile), 10)).not.toThrow();
      }
      expect(texts(c.h, 'a', parseSearchQuery(`"quoted' <->" !WORD`))).toEqual(["a 'quoted' <-> !word & | :* \\ OR"]);
      await c.h.close();
    });
  });
});

describeNeeds(OWN_POSTGRES_NEED)('PgHistory when PostgreSQL stops', () => {
  let engine: LocalPostgres;
  let schemas: Schemas;
  beforeAll(async () => {
    engine = await ownPostgres();
    schemas = await schemaDatabase('history_down', engine);
  });
  afterAll(async () => {
    await schemas?.close();
    await engine?.destroy();
  });

  it('refuses commits, answers reads with HistoryUnavailable and says why, then recovers by itself', async () => {
    const c = new Chat(new PgHistory(schemas.fresh(), { node: 'test', timeoutMs: 2000 }));
    c.open(1);
    c.join('a', 1);
    c.say(1, 'a', 'word before');
    c.h.commit();
    await engine.stop();
    c.say(1, 'a', 'word lost');
    c.join('b', 1);
    expect(() => c.h.commit()).toThrow(PgError);
    expect(c.h.problem()).toMatch(/^the last write failed: /);
    expect(() => c.h.search('a', [['word']], 10)).toThrow(HistoryUnavailable);
    expect(() => c.h.page('a', { group: 1 }, { newest: true, limit: 10 })).toThrow(HistoryUnavailable);
    expect(() => c.h.line(1)).toThrow(HistoryUnavailable);
    await engine.start();
    c.say(1, 'a', 'word after');
    c.h.commit();
    expect(c.h.problem()).toBeNull();
    expect(texts(c.h, 'a', [['word']])).toEqual(['word before', 'word after']);
    expect(texts(c.h, 'b', [['word']])).toEqual(['word after']);
    await c.h.close();
  });

  it('numbers lines into the block it fetched ahead, without asking PostgreSQL', async () => {
    const h = new PgHistory(schemas.fresh(), { node: 'test', timeoutMs: 2000 });
    const say = (seq: number): StoredLine => h.record({ group: 1, sender: 'a', senderKey: 'a', text: `line ${seq}`, ts: T0 + seq, seq });
    for (let seq = 1; seq <= 600; seq++) say(seq);
    h.commit();
    await engine.stop();
    // The block of ids ends at 1000; the next was fetched with the commit above.
    const ids = Array.from({ length: 900 }, (_, i) => say(601 + i).id);
    expect([ids[399], ids[400], ids[899]]).toEqual([1000, 1001, 1500]);
    await engine.start();
    h.commit();
    expect(h.lineCount()).toBe(1500);
    expect(h.line(1500)).toMatchObject({ text: 'line 1500', seq: 1500 });
    await h.close();
  });
});
