import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDatabase, OWN_POSTGRES_NEED, ownPostgres } from '../../../test/helpers/engines.js';
import { describeNeeds } from '../../../test/helpers/needs.js';
import { waitForAsync } from '../../../test/helpers/wait.js';
import type { LocalPostgres } from '../../engines/postgres.js';
import { PendingWords } from './pending-words.js';

describeNeeds(OWN_POSTGRES_NEED)("the search index's pending list", () => {
  let engine: LocalPostgres;
  let url = '';
  let db: pg.Client;
  const connect = async (): Promise<void> => {
    db = new pg.Client({ connectionString: url });
    await db.connect();
  };
  const pendingPages = async (): Promise<number> => (await db.query<{ pending_pages: number }>("SELECT pending_pages FROM pgstatginindex('words_index')")).rows[0]!.pending_pages;
  const insert = (n: number) => db.query("INSERT INTO words (w) SELECT to_tsvector('simple', 'line ' || i || ' about the weather and word' || (i % 97)) FROM generate_series(1, $1) AS i", [n]);

  beforeAll(async () => {
    engine = await ownPostgres();
    url = (await freshDatabase('pending', engine)).url;
    await connect();
    await db.query('CREATE EXTENSION pgstattuple');
    await db.query('CREATE TABLE words (w tsvector); CREATE INDEX words_index ON words USING gin (w)');
  });
  afterAll(async () => {
    await db?.end();
    await engine?.destroy();
  });

  it('is merged into the index from a connection of its own, again and again, so no insert finds it full', async () => {
    // The control: left alone, inserted words wait in the pending list.
    await insert(2000);
    expect(await pendingPages()).toBeGreaterThan(0);
    const merger = new PendingWords(url, 'words_index', 20);
    try {
      await waitForAsync('the pending list merged', async () => (await pendingPages()) === 0);
      await insert(2000);
      await waitForAsync('the next words merged too', async () => (await pendingPages()) === 0);
      const found = await db.query("SELECT count(*)::int AS n FROM words WHERE w @@ to_tsquery('simple', 'word5')");
      expect(found.rows[0].n).toBe(42);
    } finally {
      await merger.close();
    }
    await insert(2000);
    expect(await pendingPages()).toBeGreaterThan(0);
  });

  it('keeps trying while PostgreSQL is away, and merges once it is back', async () => {
    const merger = new PendingWords(url, 'words_index', 20);
    try {
      await db.end();
      await engine.stop();
      await engine.start();
      await connect();
      await insert(2000);
      await waitForAsync('the pending list merged after the restart', async () => (await pendingPages()) === 0);
    } finally {
      await merger.close();
    }
  });
});
