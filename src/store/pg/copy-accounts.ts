/**
 * The accounts' and kept memberships' parts of `migrate-history`: password accounts and the
 * names bound to Discord identities, the rooms and direct conversations registered users keep,
 * and the rooms resting with their topic and modes. Each row goes into the PostgreSQL stores as
 * it was (a name keeps its key, its history key and its password hash); what PostgreSQL has
 * already is left, so a second run copies nothing.
 */
import type Database from 'better-sqlite3';
import { PgAccounts } from './pg-accounts.js';
import { PgKeeps } from './pg-keeps.js';
import { inBatches, insertedCount, type CopyPart, type CopyStep } from './sqlite-copy.js';
import type { SyncPg } from './sync-client.js';

const BATCH = 1000;

/** Whether the SQLite file has the table (a server that never ran with accounts made none). */
const hasTable = (source: Database.Database, table: string): boolean => source.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;

/** A step that copies every row of `table` (in rowid order) through `insert`, given the rows' columns as arrays. */
function tableStep<R extends Record<string, unknown>>(name: string, table: string, columns: readonly (keyof R & string)[], insert: string): CopyStep {
  return {
    name,
    count: (source) => (hasTable(source, table) ? (source.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number) : 0),
    copy(source, target, read) {
      if (!hasTable(source, table)) return 0;
      const rows = source.prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY rowid`).iterate() as Iterable<R>;
      return inBatches(rows, BATCH, (batch) => {
        const copied = insertedCount(target, insert, columns.map((c) => batch.map((r) => r[c] as string | number | null)));
        read(batch.length);
        return copied;
      });
    },
  };
}

/** Accounts, whatever proves them: a password, or a bound Discord identity. */
export function accountsCopy(): CopyPart {
  return {
    name: 'accounts',
    prepare: (_source, target: SyncPg) => void new PgAccounts(target),
    steps: [
      tableStep(
        'accounts',
        'accounts',
        ['name_key', 'name', 'provider', 'external_id', 'history_key', 'secret', 'created'],
        `INSERT INTO accounts (name_key, name, provider, external_id, history_key, secret, created)
         SELECT k, n, p, e, COALESCE(h, k), s, to_timestamp(c / 1000.0)
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[]) AS t(k, n, p, e, h, s, c)
         ON CONFLICT DO NOTHING`,
      ),
    ],
  };
}

/** Kept memberships (in the order they were first kept) and resting rooms. */
export function keepsCopy(): CopyPart {
  return {
    name: 'kept memberships',
    prepare: (_source, target: SyncPg) => void new PgKeeps(target),
    steps: [
      tableStep(
        'kept memberships',
        'kept',
        ['user', 'kind', 'place', 'label', 'grp', 'seen_grp', 'seen_seq'],
        `INSERT INTO kept (user_key, kind, place, label, grp, seen_grp, seen_seq)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[])
         ON CONFLICT DO NOTHING`,
      ),
      tableStep(
        'resting rooms',
        'resting',
        ['place', 'topic', 'topic_by', 'locked', 'modes', 'since'],
        `INSERT INTO resting (place, topic, topic_by, locked, modes, since)
         SELECT p, t, b, l <> 0, m::jsonb, s FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::bigint[]) AS u(p, t, b, l, m, s)
         ON CONFLICT DO NOTHING`,
      ),
    ],
  };
}
