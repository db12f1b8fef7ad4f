/**
 * The cluster's engines for tests: a private PostgreSQL and nats-server each (src/engines), or the
 * services DATABASE_URL / NATS_URL point at, each test file in a database of its own. Tests that
 * stop an engine (fault tests) always start their own.
 */
import pg from 'pg';
import { startNats, NATS_BINARY, type LocalNats } from '../../src/engines/nats.js';
import { postgresBin, startPostgres, type LocalPostgres } from '../../src/engines/postgres.js';
import { programsNeed, type Need } from './needs.js';

const pgBin = postgresBin();

export const POSTGRES_NEED: Need = process.env['DATABASE_URL']
  ? { proves: 'the PostgreSQL stores', missing: null }
  : pgBin === null
    ? { proves: 'the PostgreSQL stores', missing: 'PostgreSQL is not installed (scripts/install-test-deps.sh installs it)' }
    : { proves: 'the PostgreSQL stores', missing: null };

export const NATS_NEED: Need = process.env['NATS_URL'] ? { proves: 'the NATS bus', missing: null } : programsNeed([NATS_BINARY], 'the NATS bus');

let databases = 0;

/** A fresh database: on DATABASE_URL's server when set, else on a private server (`own` is then that server). */
export async function freshDatabase(label: string, own?: LocalPostgres): Promise<{ url: string; engine: LocalPostgres | null }> {
  const name = `ics_${label.replace(/\W/g, '_').toLowerCase()}_${process.pid}_${++databases}`;
  if (own) return { url: await own.createDatabase(name), engine: own };
  const shared = process.env['DATABASE_URL'];
  if (shared) {
    const admin = new pg.Client({ connectionString: shared });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    } finally {
      await admin.end();
    }
    const url = new URL(shared);
    url.pathname = `/${name}`;
    return { url: url.toString(), engine: null };
  }
  const engine = await startPostgres({ durable: false });
  return { url: await engine.createDatabase(name), engine };
}

/** A private PostgreSQL (for tests that stop it). */
export const ownPostgres = (): Promise<LocalPostgres> => startPostgres({ durable: false });

/** A private nats-server (for tests that stop it). */
export const ownNats = (): Promise<LocalNats> => startNats();
