/**
 * Schema migrations for the PostgreSQL stores: each component (history, accounts, keeps, cluster)
 * lists its steps in order, and a database remembers how many it has run. Several nodes may start
 * at once: a node holds an advisory lock while it reads the version and runs the missing steps
 * in one transaction, so exactly one node runs each step and the others find it done.
 */
import type { SyncPg } from './sync-client.js';

/** The advisory lock every migration takes (an arbitrary constant). */
const MIGRATION_LOCK = 0x69637301;

/** Runs the component's steps the database has not run yet; returns how many it ran. */
export function migrate(db: SyncPg, component: string, steps: readonly string[]): number {
  db.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    db.query('CREATE TABLE IF NOT EXISTS schema_versions (component text PRIMARY KEY, version integer NOT NULL)');
    const found = db.query<{ version: number }>('SELECT version FROM schema_versions WHERE component = $1', [component]);
    const done = found[0]?.version ?? 0;
    if (done > steps.length) throw new Error(`the ${component} schema in PostgreSQL is at version ${done}, newer than this server knows (${steps.length})`);
    if (done === steps.length) return 0;
    db.transaction([
      ...steps.slice(done).map((sql) => ({ sql })),
      { sql: 'INSERT INTO schema_versions (component, version) VALUES ($1, $2) ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version', params: [component, steps.length] },
    ]);
    return steps.length - done;
  } finally {
    db.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
