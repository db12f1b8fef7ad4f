/**
 * Schema migrations under contention: four runs start at once against one fresh database, each
 * on a thread and connection of its own, the way nodes starting together would. Each run opens
 * the PostgreSQL stores as a node's hub does (`pgStores`, built in dist/), and a component whose
 * steps count how often they ran. Every run succeeds, and every step ran exactly once.
 */
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalPostgres } from '../../src/engines/postgres.js';
import { freshDatabase, ownPostgres, POSTGRES_NEED } from '../helpers/engines.js';
import { describeNeeds } from '../helpers/needs.js';
import { ROOT } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const RUNS = 4;
/** A component whose steps leave a row each time they run; its first step fails if run twice. */
const STEPS = ['CREATE TABLE steps_ran (step integer NOT NULL)', ...[1, 2, 3].map((step) => `INSERT INTO steps_ran VALUES (${step})`)];

/**
 * One run, in a worker thread: it connects, says it is ready, waits for the word on `go[0]`, then
 * migrates the counting component and opens and closes the stores. It answers with how many of
 * the component's steps it ran, or with its error.
 */
const RUN = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { url, dist, go, steps, node } = workerData;
  const { SyncPg } = await import(dist + 'store/pg/sync-client.js');
  const { migrate } = await import(dist + 'store/pg/migrate.js');
  const { pgStores } = await import(dist + 'server/stores.js');
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const db = new SyncPg(url);
  db.query('SELECT 1');
  const flag = new Int32Array(go);
  Atomics.add(flag, 1, 1);
  Atomics.wait(flag, 0, 0);
  try {
    const ran = migrate(db, 'counted', steps);
    const stores = pgStores(url, quiet, node);
    await stores.close();
    parentPort.postMessage({ ran });
  } catch (err) {
    parentPort.postMessage({ error: String(err) });
  } finally {
    await db.close();
  }
})();
`;

describeNeeds(POSTGRES_NEED)('schema migrations under contention', () => {
  let engine: LocalPostgres;
  let url = '';

  beforeAll(async () => {
    engine = await ownPostgres();
    url = (await freshDatabase('migrations', engine)).url;
  });
  afterAll(async () => {
    await engine?.destroy();
  });

  it('runs each step exactly once when four runs start at once on a fresh database, and every run succeeds', async () => {
    const go = new SharedArrayBuffer(8);
    const flag = new Int32Array(go);
    const answers = Array.from({ length: RUNS }, (_, i) => {
      const worker = new Worker(RUN, { eval: true, workerData: { url, dist: `${ROOT}dist/`, go, steps: STEPS, node: `m${i}` } });
      return new Promise<{ ran?: number; error?: string }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }).finally(() => worker.terminate());
    });
    await waitFor('every run connected', () => Atomics.load(flag, 1) === RUNS, 20_000);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    const results = await Promise.all(answers);

    expect(results.filter((r) => r.error !== undefined)).toEqual([]);
    expect(results.map((r) => r.ran).sort()).toEqual([0, 0, 0, STEPS.length]);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      expect((await db.query('SELECT step FROM steps_ran ORDER BY step')).rows).toEqual([{ step: 1 }, { step: 2 }, { step: 3 }]);
      const versions = (await db.query<{ component: string }>('SELECT component FROM schema_versions ORDER BY component')).rows.map((r) => r.component);
      expect(versions).toEqual(['accounts', 'counted', 'history', 'keeps', 'logins', 'names']);
    } finally {
      await db.end();
    }
  }, 60_000);
});
