/**
 * The cluster's engines for tests: a private PostgreSQL and nats-server each (src/engines), or the
 * services DATABASE_URL / NATS_URL point at, each test in a database and a cluster name of its
 * own. Tests that stop an engine (fault tests) always start their own, so need its program.
 */
import pg from 'pg';
import { startNats, NATS_BINARY, type LocalNats } from '../../src/engines/nats.js';
import { postgresBin, startPostgres, type LocalPostgres } from '../../src/engines/postgres.js';
import { programsNeed, type Need } from './needs.js';

/** What tests that start their own PostgreSQL need. */
export const OWN_POSTGRES_NEED: Need = {
  proves: 'the PostgreSQL stores',
  missing: postgresBin() === null ? 'PostgreSQL is not installed (scripts/install-test-deps.sh installs it)' : null,
};

/** What tests that start their own nats-server need. */
export const OWN_NATS_NEED: Need = programsNeed([NATS_BINARY], 'the NATS bus');

/** What a test needs that uses the service `variable` points at when set, else starts its own: the variable alone will do. */
const sharedOr = (variable: 'DATABASE_URL' | 'NATS_URL', own: Need): Need => (process.env[variable] ? { ...own, missing: null } : own);

/** What tests of freshDatabase's databases need. */
export const POSTGRES_NEED: Need = sharedOr('DATABASE_URL', OWN_POSTGRES_NEED);

/** What tests of freshBus's buses need. */
export const NATS_NEED: Need = sharedOr('NATS_URL', OWN_NATS_NEED);

let databases = 0;
let buses = 0;

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

/**
 * A bus under a cluster name no other test uses (CLUSTER_NAME): on NATS_URL's server when set,
 * else on a private server (`own` is then that server).
 */
export async function freshBus(own?: LocalNats): Promise<{ url: string; clusterName: string; engine: LocalNats | null }> {
  const clusterName = `test_${process.pid}_${++buses}`;
  if (own) return { url: own.url, clusterName, engine: own };
  const shared = process.env['NATS_URL'];
  if (shared) return { url: shared, clusterName, engine: null };
  const engine = await startNats();
  return { url: engine.url, clusterName, engine };
}

/** A private PostgreSQL (for tests that stop it). */
export const ownPostgres = (): Promise<LocalPostgres> => startPostgres({ durable: false });

/** A private nats-server (for tests that stop it). */
export const ownNats = (): Promise<LocalNats> => startNats();
