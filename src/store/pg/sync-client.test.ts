import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDatabase, OWN_POSTGRES_NEED, ownPostgres } from '../../../test/helpers/engines.js';
import { describeNeeds } from '../../../test/helpers/needs.js';
import { waitFor } from '../../../test/helpers/wait.js';
import type { LocalPostgres } from '../../engines/postgres.js';
import { migrate } from './migrate.js';
import { PgError, SyncPg } from './sync-client.js';

describeNeeds(OWN_POSTGRES_NEED)('SyncPg: PostgreSQL behind a synchronous call', () => {
  let engine: LocalPostgres;
  let url: string;
  const clients: SyncPg[] = [];
  const client = (timeoutMs = 3000): SyncPg => {
    const c = new SyncPg(url, { timeoutMs });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    engine = await ownPostgres();
    url = (await freshDatabase('sync', engine)).url;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await engine?.destroy();
  });

  it('answers a query before the call returns, with typed parameters', () => {
    const db = client();
    expect(db.query<{ n: number; s: string }>('SELECT $1::int + 1 AS n, $2::text AS s', [41, 'hé'])).toEqual([{ n: 42, s: 'hé' }]);
  });

  it('runs a statement prepared by name again with new parameters, on the connection that prepared it', () => {
    const db = client();
    for (let n = 1; n <= 8; n++) expect(db.prepared<{ n: number }>('plus_one', 'SELECT $1::int + 1 AS n', [n])).toEqual([{ n: n + 1 }]);
    expect(db.query<{ n: string }>("SELECT count(*) AS n FROM pg_prepared_statements WHERE name = 'plus_one'")[0]!.n).toBe('1');
  });

  it('runs a transaction all or nothing, and reports the SQLSTATE of a failure', () => {
    const db = client();
    db.query('CREATE TABLE t (id int PRIMARY KEY)');
    expect(() => db.transaction([{ sql: 'INSERT INTO t VALUES (1)' }, { sql: 'INSERT INTO t VALUES (1)' }])).toThrow(expect.objectContaining({ code: '23505' }));
    expect(db.query('SELECT * FROM t')).toEqual([]);
    db.transaction([{ sql: 'INSERT INTO t VALUES (1)' }, { sql: 'INSERT INTO t VALUES (2)' }]);
    expect(db.query<{ n: string }>('SELECT count(*) AS n FROM t')[0]!.n).toBe('2');
  });

  it('gives up after its timeout, and the next call gets its own answer, not the late one', () => {
    // Another session holds the lock, so the call waits on it until the timeout ends the wait.
    const holder = client();
    holder.query('SELECT pg_advisory_lock(4242)');
    const db = client(300);
    const started = Date.now();
    expect(() => db.query('SELECT pg_advisory_lock(4242)')).toThrow(PgError);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(db.query<{ v: number }>('SELECT 7 AS v')).toEqual([{ v: 7 }]);
    holder.query('SELECT pg_advisory_unlock(4242)');
  });

  it('runs a call made after a timed-out transaction outside that transaction, on a connection of its own', async () => {
    client().query('CREATE TABLE late (id int)');
    const holder = client();
    holder.query('SELECT pg_advisory_lock(4243)');
    const db = client(300);
    expect(() => db.transaction([{ sql: 'INSERT INTO late VALUES (1)' }, { sql: 'SELECT pg_advisory_lock(4243)' }])).toThrow(PgError);
    // The lock is let go only once PostgreSQL's statement timeout has ended the wait (and the transaction with it).
    const waiting = (): number => holder.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%4243%' AND pid <> pg_backend_pid()")[0]!.n;
    await waitFor('the timed-out transaction to end', () => waiting() === 0);
    holder.query('SELECT pg_advisory_unlock(4243)');
    expect(db.query<{ n: number }>('SELECT count(*)::int AS n FROM late')).toEqual([{ n: 0 }]);
  });

  it('commits nothing of a transaction that would end after its caller stopped waiting', () => {
    client().query('CREATE TABLE slow (id int)');
    const db = client(300);
    // The last statement runs until the caller's deadline has passed (PostgreSQL's own clock,
    // bounded by the 5 s statement timeout), so the transaction is ready to commit only after it.
    const past = (Date.now() + 300 + 50) / 1000;
    const slow = [
      { sql: "SET LOCAL statement_timeout = '5s'" },
      { sql: 'INSERT INTO slow VALUES (1)' },
      { sql: `DO $$ BEGIN WHILE clock_timestamp() < to_timestamp(${past}) LOOP END LOOP; END $$` },
    ];
    expect(() => db.transaction(slow)).toThrow(/stopped waiting/);
    expect(db.query<{ n: number }>('SELECT count(*)::int AS n FROM slow')).toEqual([{ n: 0 }]);
  });

  it('fails at once while PostgreSQL is down and works again once it is back', async () => {
    const db = client();
    expect(db.query<{ v: number }>('SELECT 1 AS v')).toEqual([{ v: 1 }]);
    await engine.stop();
    expect(() => db.query('SELECT 1')).toThrow(PgError);
    await engine.start();
    expect(db.query<{ v: number }>('SELECT 2 AS v')).toEqual([{ v: 2 }]);
  });

  it('runs each migration step once, whichever client comes first', () => {
    const [a, b] = [client(), client()];
    const steps = ['CREATE TABLE m1 (x int)', 'CREATE TABLE m2 (y int)'];
    expect(migrate(a, 'demo', steps.slice(0, 1))).toBe(1);
    expect(migrate(b, 'demo', steps)).toBe(1);
    expect(migrate(a, 'demo', steps)).toBe(0);
    expect(() => migrate(a, 'demo', steps.slice(0, 1))).toThrow(/newer than this server knows/);
  });
});
