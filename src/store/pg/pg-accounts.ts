/**
 * Accounts in PostgreSQL, shared by every node of a cluster: one row per owned name, unique by
 * its case-folded key and by identity. The unique keys decide every race: two nodes binding or
 * registering one name at once both insert, and the one PostgreSQL refuses answers false.
 * Writes are rare, so each is one statement. A store owns the connection it is handed.
 */
import { PASSWORD_PROVIDER, type Account, type AccountStore, type Identity } from '../../core/accounts.js';
import { nameKey } from '../../core/names.js';
import { migrate } from './migrate.js';
import type { SyncPg } from './sync-client.js';

/**
 * The keys are folded by the server (`nameKey`), not by PostgreSQL's `lower()`, so a name is
 * owned under the same key as the one presence and history use.
 */
const STEPS = [
  `CREATE TABLE accounts (
    name_key text PRIMARY KEY,
    name text NOT NULL,
    provider text NOT NULL,
    external_id text NOT NULL,
    history_key text NOT NULL,
    secret text,
    created timestamptz NOT NULL DEFAULT now(),
    UNIQUE (provider, external_id)
  )`,
];

interface Row {
  name: string;
  provider: string;
  external_id: string;
  history_key: string;
  secret: string | null;
}

/** AccountStore over PostgreSQL; the schema is made or brought up to date when it opens. */
export class PgAccounts implements AccountStore {
  constructor(private readonly db: SyncPg) {
    migrate(db, 'accounts', STEPS);
  }

  nameOf(identity: Identity): string | null {
    const rows = this.db.query<{ name: string }>('SELECT name FROM accounts WHERE provider = $1 AND external_id = $2', [identity.provider, identity.id]);
    return rows[0]?.name ?? null;
  }

  accountOf(key: string): Account | null {
    const row = this.db.query<Row>('SELECT name, provider, external_id, history_key, secret FROM accounts WHERE name_key = $1', [key])[0];
    if (row === undefined) return null;
    return { name: row.name, identity: { provider: row.provider, id: row.external_id }, historyKey: row.history_key, secret: row.secret };
  }

  bind(identity: Identity, name: string): boolean {
    const key = nameKey(name);
    return this.insert(key, name, identity, key, null);
  }

  register(name: string, secret: string, historyKey: string): boolean {
    const key = nameKey(name);
    return this.insert(key, name, { provider: PASSWORD_PROVIDER, id: key }, historyKey, secret);
  }

  close(): void {
    void this.db.close();
  }

  /** One row, unless a name or identity already has one: `ON CONFLICT DO NOTHING` covers both keys. */
  private insert(key: string, name: string, identity: Identity, historyKey: string, secret: string | null): boolean {
    const added = this.db.query(
      `INSERT INTO accounts (name_key, name, provider, external_id, history_key, secret) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [key, name, identity.provider, identity.id, historyKey, secret],
    );
    return added.length === 1;
  }
}
