/**
 * Where the server keeps what outlives it: history, password accounts and kept memberships, in
 * the embedded SQLite database in DATA_DIR (locked while this server runs). `openStores` is the
 * one place that decides; the hub only sees the seams.
 */
import { join } from 'node:path';
import type { AccountStore } from '../core/accounts.js';
import type { HistoryStore } from '../core/history.js';
import type { KeepStore } from '../core/keeps.js';
import type { Logger } from '../core/log.js';
import { DataDirError, DataDirLock, explainOpenFault } from '../store/data-dir.js';
import { SqliteAccounts } from '../store/sqlite-accounts.js';
import { SqliteHistory } from '../store/sqlite-history.js';
import { SqliteKeeps } from '../store/sqlite-keeps.js';
import type { Config } from './config.js';
import { StartupError } from './startup-error.js';

export interface Stores {
  history: HistoryStore;
  accounts: AccountStore;
  keeps: KeepStore;
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

export function openStores(config: Config, log: Logger): Stores {
  return sqliteStores(config.dataDir, log);
}
