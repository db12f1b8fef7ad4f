/**
 * Accounts in SQLite, in the same database file as the history: one row per owned name,
 * unique by name (any case) and by identity, with the account's history key and, for password
 * accounts, the password hash. Writes are rare, so each is its own transaction.
 */
import Database from 'better-sqlite3';
import { PASSWORD_PROVIDER, type Account, type AccountStore, type Identity } from '../core/accounts.js';
import { nameKey } from '../core/names.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (
  name_key TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  provider TEXT NOT NULL,
  external_id TEXT NOT NULL,
  created INTEGER NOT NULL,
  history_key TEXT,
  secret TEXT,
  UNIQUE (provider, external_id)
);
`;

/**
 * Databases from before password accounts lack the last two columns: they are added, and the
 * Discord bindings already there read and write the history under their name key, as before.
 */
const MIGRATIONS: Record<string, string> = {
  history_key: 'ALTER TABLE accounts ADD COLUMN history_key TEXT; UPDATE accounts SET history_key = name_key WHERE history_key IS NULL;',
  secret: 'ALTER TABLE accounts ADD COLUMN secret TEXT;',
};

interface Row {
  name: string;
  provider: string;
  external_id: string;
  history_key: string | null;
  secret: string | null;
}

export class SqliteAccounts implements AccountStore {
  private readonly db: Database.Database;
  private readonly byIdentity: Database.Statement<[string, string], { name: string }>;
  private readonly byName: Database.Statement<[string], Row>;
  private readonly insert: Database.Statement<[string, string, string, string, number, string, string | null]>;

  constructor(file: string, private readonly clock: () => number = Date.now) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 2000');
    this.db.transaction(() => {
      this.db.exec(SCHEMA);
      const columns = new Set(this.db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('accounts')").all().map((c) => c.name));
      for (const [column, sql] of Object.entries(MIGRATIONS)) if (!columns.has(column)) this.db.exec(sql);
    })();
    this.byIdentity = this.db.prepare('SELECT name FROM accounts WHERE provider = ? AND external_id = ?');
    this.byName = this.db.prepare('SELECT name, provider, external_id, history_key, secret FROM accounts WHERE name_key = ?');
    this.insert = this.db.prepare(
      'INSERT OR IGNORE INTO accounts (name_key, name, provider, external_id, created, history_key, secret) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  nameOf(identity: Identity): string | null {
    return this.byIdentity.get(identity.provider, identity.id)?.name ?? null;
  }

  accountOf(key: string): Account | null {
    const row = this.byName.get(key);
    if (!row) return null;
    return { name: row.name, identity: { provider: row.provider, id: row.external_id }, historyKey: row.history_key ?? key, secret: row.secret };
  }

  bind(identity: Identity, name: string): boolean {
    const key = nameKey(name);
    return this.insert.run(key, name, identity.provider, identity.id, this.clock(), key, null).changes === 1;
  }

  register(name: string, secret: string, historyKey: string): boolean {
    const key = nameKey(name);
    return this.insert.run(key, name, PASSWORD_PROVIDER, key, this.clock(), historyKey, secret).changes === 1;
  }

  close(): void {
    this.db.close();
  }
}
