/**
 * Name leases in PostgreSQL (cluster mode): a name online anywhere in the cluster is a row saying
 * which node holds its user, and a node holds its names for as long as it renews its own lease
 * (`cluster_nodes`, one row per node, renewed every heartbeat by the node itself, not by the hub).
 * One renewal so covers all of a node's names however many there are, and the names of a node
 * that died come free when its lease runs out, with no one to tell. Expiry is read on
 * PostgreSQL's clock, which every node shares.
 *
 * The hub's own table of who is online decides while the hub runs (`hold`). The leases decide
 * what the hub cannot know (`take`): during a take-over, a name whose user is on a node that has
 * not yet handed its sessions back is that user's, not a newcomer's.
 */
import { migrate } from './migrate.js';
import type { SyncPg } from './sync-client.js';

const STEPS = [
  'CREATE TABLE cluster_nodes (node text PRIMARY KEY, expires_at timestamptz NOT NULL)',
  'CREATE TABLE name_leases (key text PRIMARY KEY, name text NOT NULL, node text NOT NULL)',
  'CREATE INDEX name_leases_node ON name_leases (node)',
];

/** How long a node that stopped renewing is remembered (its row, and its names' rows) before the next renewal anywhere sweeps it away. */
const FORGET_AFTER = "interval '1 hour'";

/**
 * A node's renewal, for its own connection (`$1` the node, `$2` the lease in ms); nodes that
 * stopped renewing long ago go with their names' rows. It fails until a hub has made the tables.
 */
export const RENEW_NODE_SQL = `WITH renewed AS (
    INSERT INTO cluster_nodes (node, expires_at) VALUES ($1, now() + $2::float8 * interval '1 millisecond')
    ON CONFLICT (node) DO UPDATE SET expires_at = EXCLUDED.expires_at
  ), gone AS (
    DELETE FROM cluster_nodes WHERE expires_at < now() - ${FORGET_AFTER} RETURNING node
  )
  DELETE FROM name_leases WHERE node IN (SELECT node FROM gone)`;

/** A node that stops lets its lease and its names go at once (`$1` the node). */
export const FORGET_NODE_SQL = `WITH gone AS (DELETE FROM cluster_nodes WHERE node = $1) DELETE FROM name_leases WHERE node = $1`;

/** The names held by the node of each online user, across the cluster. */
export class PgNameLeases {
  /** Makes the tables the first time; the connection stays the caller's. */
  constructor(private readonly db: SyncPg) {
    migrate(db, 'names', STEPS);
  }

  /**
   * Takes the name (its key, as the user spells it) for a user on `node` during a hand-over:
   * false when another node holds it and that node's lease runs. Throws `PgError` when
   * PostgreSQL does not answer.
   */
  take(key: string, name: string, node: string): boolean {
    const rows = this.db.prepared(
      'name_take',
      `INSERT INTO name_leases AS held (key, name, node) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, node = EXCLUDED.node
       WHERE held.node = EXCLUDED.node
          OR NOT EXISTS (SELECT 1 FROM cluster_nodes n WHERE n.node = held.node AND n.expires_at > now())
       RETURNING node`,
      [key, name, node],
    );
    return rows.length === 1;
  }

  /** Holds the name for a user on `node` whoever held it: the hub has checked it is free. Throws `PgError` when PostgreSQL does not answer. */
  hold(key: string, name: string, node: string): void {
    this.db.prepared(
      'name_hold',
      'INSERT INTO name_leases (key, name, node) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, node = EXCLUDED.node',
      [key, name, node],
    );
  }

  /** Lets the name go, if `node` holds it. Throws `PgError` when PostgreSQL does not answer. */
  release(key: string, node: string): void {
    this.db.prepared('name_release', 'DELETE FROM name_leases WHERE key = $1 AND node = $2', [key, node]);
  }
}
