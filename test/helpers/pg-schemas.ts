/**
 * Fresh PostgreSQL stores for tests, many a second: each in a schema of its own in one test
 * database (its URL sets the connection's search_path), not a database of its own. The contract
 * suites make a store per fast-check run, synchronously, as they make SQLite ones in memory.
 */
import type { LocalPostgres } from '../../src/engines/postgres.js';
import { SyncPg } from '../../src/store/pg/sync-client.js';
import { freshDatabase } from './engines.js';

/** A test database handing out empty schemas. */
export interface Schemas {
  /** The database's URL (its default schema). */
  url: string;
  /** A URL whose connections see only a new, empty schema. */
  fresh(): string;
  close(): Promise<void>;
}

/** The URL of `url`'s database with `schema` first on the search_path. */
export function inSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** A fresh test database (on `own` when given, else as freshDatabase finds one) to make schemas in. */
export async function schemaDatabase(label: string, own?: LocalPostgres): Promise<Schemas> {
  const { url, engine } = await freshDatabase(label, own);
  const admin = new SyncPg(url);
  let made = 0;
  return {
    url,
    fresh: () => {
      const schema = `s${++made}`;
      admin.query(`CREATE SCHEMA ${schema}`);
      return inSchema(url, schema);
    },
    close: async () => {
      await admin.close();
      // A server started for this database alone goes with it; one the caller owns stays.
      if (engine !== null && engine !== own) await engine.destroy();
    },
  };
}
