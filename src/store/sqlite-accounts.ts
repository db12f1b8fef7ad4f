/**
 * Accounts in SQLite, in the same database file as the history: one row per bound name,
 * unique by name (any case) and by identity. Binds are rare, so each is its own write.
 */
import Database from 'better-sqlite3';
import type { AccountStore, Identity } from '../core/accounts.js';
import { nameKey } from '../core/names.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (
  name_key TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  provider TEXT NOT NULL,
  external_id TEXT NOT NULL,
  created INTEGER NOT NULL,
  UNIQUE (provider, external_id)
);
`;

export class SqliteAccounts implements AccountStore {
  private readonly db: Database.Database;
  private readonly byIdentity: Database.Statement<[string, string], { name: string }>;
  private readonly byName: Database.Statement<[string], { provider: string; external_id: string }>;
  private readonly insert: Database.Statement<[string, string, string, string, number]>;

  constructor(file: string, private readonly clock: () => number = Date.now) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 2000');
    this.db.exec(SCHEMA);
    this.byIdentity = this.db.prepare('SELECT name FROM accounts WHERE provider = ? AND external_id = ?');
    this.byName = this.db.prepare('SELECT provider, external_id FROM accounts WHERE name_key = ?');
    this.insert = this.db.prepare('INSERT OR IGNORE INTO accounts (name_key, name, provider, external_id, created) VALUES (?, ?, ?, ?, ?)');
  }

  nameOf(identity: Identity): string | null {
    return this.byIdentity.get(identity.provider, identity.id)?.name ?? null;
  }

  ownerOf(key: string): Identity | null {
    const row = this.byName.get(key);
    return row ? { provider: row.provider, id: row.external_id } : null;
  }

  bind(identity: Identity, name: string): boolean {
    return this.insert.run(nameKey(name), name, identity.provider, identity.id, this.clock()).changes === 1;
  }

  close(): void {
    this.db.close();
  }
}
