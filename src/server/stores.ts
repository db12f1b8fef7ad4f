/**
 * Where the server keeps what outlives it: history, password accounts and kept memberships, in
 * the embedded SQLite database in DATA_DIR (locked while this server runs), or in PostgreSQL
 * (DATABASE_URL). `openStores` is the one place that decides; the hub only sees the seams.
 */
import { join } from 'node:path';
import type { AccountStore } from '../core/accounts.js';
import type { HistoryStore } from '../core/history.js';
import type { KeepStore } from '../core/keeps.js';
import type { Logger } from '../core/log.js';
import type { LoginBucketsFactory } from '../core/login-limiter.js';
import { DataDirError, DataDirLock, explainOpenFault } from '../store/data-dir.js';
import { SqliteAccounts } from '../store/sqlite-accounts.js';
import { SqliteHistory } from '../store/sqlite-history.js';
import { SqliteKeeps } from '../store/sqlite-keeps.js';
import { leaderKey } from '../cluster/leader.js';
import type { NameLeases } from '../cluster/leased-presence.js';
import { PgAccounts } from '../store/pg/pg-accounts.js';
import { PgHistory } from '../store/pg/pg-history.js';
import { PgKeeps } from '../store/pg/pg-keeps.js';
import { PgNameLeases } from '../store/pg/pg-name-leases.js';
import { pgLoginBuckets } from '../store/pg/pg-login-buckets.js';
import { PgError, SyncPg } from '../store/pg/sync-client.js';
import type { Config } from './config.js';
import { StartupError } from './startup-error.js';

export interface Stores {
  history: HistoryStore;
  accounts: AccountStore;
  keeps: KeepStore;
  /** Where failed logins are counted when not in process (PostgreSQL: across hub restarts and takeovers). */
  loginBuckets?: LoginBucketsFactory;
  /** A cluster hub's name leases, and its node (PostgreSQL in cluster mode: names stay their users' across a take-over). */
  names?: { leases: NameLeases & { close(): Promise<void> }; node: string };
  /** Where they are, for the start-up line (never a secret). */
  where: string;
  /** Commits what is queued and releases every store. */
  close(): Promise<void>;
}

/** History, accounts and kept memberships share one database file in DATA_DIR, which this server locks while it runs. */
function sqliteStores(dataDir: string, log: Logger): Stores {
  const file = join(dataDir, 'history.db');
  let lock: DataDirLock | null = null;
  let history: SqliteHistory | null = null;
  try {
    lock = DataDirLock.claim(dataDir);
    history = new SqliteHistory(file, { onError: (msg) => log.error('history background write failed', { err: msg }) });
    const accounts = new SqliteAccounts(file);
    const keeps = new SqliteKeeps(file, (msg) => log.error('kept memberships: a database statement failed', { err: msg }));
    const [opened, held] = [history, lock];
    return {
      history: opened,
      accounts,
      keeps,
      where: dataDir,
      async close() {
        await opened.close();
        accounts.close();
        keeps.close();
        held.release();
      },
    };
  } catch (err) {
    void history?.close();
    lock?.release();
    throw new StartupError(err instanceof DataDirError ? err.message : explainOpenFault(err, file));
  }
}

/**
 * The stores in PostgreSQL, for the one process that runs the hub. Whichever node that is, its
 * history runs go by one name, so a hub that starts ends the memberships an earlier hub left open,
 * as a restart does. History has a connection of its own (its commits are the hot path);
 * accounts, kept memberships, failed-login counts and, on a cluster's hub (`node`), name leases
 * share one.
 */
export function pgStores(url: string, log: Logger, node?: string): Stores {
  let history: PgHistory | null = null;
  let db: SyncPg | null = null;
  try {
    history = new PgHistory(url, { node: 'hub', onError: (msg) => log.error('history: a write to PostgreSQL failed', { err: msg }) });
    db = new SyncPg(url);
    const accounts = new PgAccounts(db);
    const keeps = new PgKeeps(db, (msg) => log.error('kept memberships: a PostgreSQL statement failed', { err: msg }));
    const [opened, shared] = [history, db];
    const names = node === undefined ? null : { leases: new PgNameLeases(shared, url, (msg) => log.warn(`cluster: ${msg}`)), node };
    return {
      history: opened,
      accounts,
      keeps,
      loginBuckets: pgLoginBuckets(shared),
      ...(names ? { names } : {}),
      where: 'PostgreSQL (DATABASE_URL)',
      async close() {
        await opened.close();
        await names?.leases.close();
        await shared.close();
      },
    };
  } catch (err) {
    void history?.close();
    void db?.close();
    throw new StartupError(`cannot open the PostgreSQL database (DATABASE_URL): ${err instanceof PgError ? err.message : String(err)}`);
  }
}

/**
 * One server on PostgreSQL without a cluster: it holds the hub's lock for as long as it runs, so
 * a second one started on the same database is refused (several need NATS_URL: cluster mode).
 */
function soleServerStores(url: string, log: Logger): Stores {
  const lock = new SyncPg(url);
  let held = false;
  try {
    held = lock.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1) AS held', [leaderKey('hub')])[0]?.held === true;
  } catch (err) {
    void lock.close();
    throw new StartupError(`cannot reach the PostgreSQL database (DATABASE_URL): ${err instanceof PgError ? err.message : String(err)}`);
  }
  if (!held) {
    void lock.close();
    throw new StartupError('another server already runs on this PostgreSQL database; to run several as one, set NATS_URL on each (cluster mode)');
  }
  const stores = pgStores(url, log);
  return {
    ...stores,
    async close() {
      await stores.close();
      await lock.close();
    },
  };
}

export function openStores(config: Config, log: Logger): Stores {
  return config.databaseUrl === null ? sqliteStores(config.dataDir, log) : soleServerStores(config.databaseUrl, log);
}
