/**
 * Name leases in PostgreSQL (cluster mode): a name online anywhere in the cluster is a row saying
 * which node holds its user, and a node holds its names for as long as it renews its own lease
 * (`cluster_nodes`, one row per node, renewed every heartbeat by the node itself, not by the hub).
 * One renewal so covers all of a node's names however many there are, and the names of a node
 * that died come free when its lease runs out, with no one to tell. Expiry is read on
 * PostgreSQL's clock, which every node shares.
 *
 * The hub's own table of who is online decides while the hub runs, and the hub writes the leases
 * without waiting (`hold`, `drop`). The leases decide what the hub cannot know (`take`, waited
 * for): during a take-over, a name whose user is on a node that has not yet handed its sessions
 * back is that user's, not a newcomer's.
 */
import pg from 'pg';
import { migrate } from './migrate.js';
import { SideConnection } from './side-connection.js';
import type { SyncPg } from './sync-client.js';

const STEPS = [
  'CREATE TABLE cluster_nodes (node text PRIMARY KEY, expires_at timestamptz NOT NULL)',
  'CREATE TABLE name_leases (key text PRIMARY KEY, name text NOT NULL, node text NOT NULL)',
  'CREATE INDEX name_leases_node ON name_leases (node)',
];

/** How long a node that stopped renewing is remembered (its row, and its names' rows) before the next renewal anywhere sweeps it away. */
const FORGET_AFTER = "interval '1 hour'";

/** Renews the lease of node `$1` for `$2` ms; nodes that stopped renewing long ago go with their names' rows. */
const RENEWAL = `renewed AS (
    INSERT INTO cluster_nodes (node, expires_at) VALUES ($1, now() + $2::float8 * interval '1 millisecond')
    ON CONFLICT (node) DO UPDATE SET expires_at = EXCLUDED.expires_at
  ), gone AS (
    DELETE FROM cluster_nodes WHERE expires_at < now() - ${FORGET_AFTER} RETURNING node
  )
  DELETE FROM name_leases WHERE node IN (SELECT node FROM gone)`;

/**
 * A node's renewal, for its own connection (`$1` the node, `$2` the lease in ms). It fails until
 * a hub has made the tables.
 */
export const RENEW_NODE_SQL = `WITH ${RENEWAL}`;

/**
 * The name a node's own connection goes by in PostgreSQL (its `application_name`, which keeps
 * at most 63 bytes): while a process of that NODE_ID is alive, its connection is there under it.
 */
export const nodeSession = (node: string): string => `ics-chat node ${node}`.slice(0, 63);

/**
 * A node's first renewal in this life of its process (`$3` its connection's name, `nodeSession`).
 * A node killed and started again at once under the same NODE_ID finds its earlier life's lease
 * still running, which would keep that life's names taken: they are let go first, unless another
 * connection goes by the node's name, that is, unless the earlier life (or a live process that
 * shares the id) is still there. A killed process's connection ends with it.
 */
export const START_NODE_SQL = `WITH earlier AS (
    DELETE FROM name_leases WHERE node = $1 AND NOT EXISTS (
      SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = $3 AND pid <> pg_backend_pid()
    )
  ), ${RENEWAL}`;

/**
 * A node's own word on its users' names (`$1` the node, `$2` the keys of names let go, `$3` and
 * `$4` the keys and spellings of names held), beside the hub's. A name another node holds is left
 * to it: the hub decided that. The two lists never share a key.
 */
export const NODE_NAMES_SQL = `WITH gone AS (
    DELETE FROM name_leases WHERE node = $1 AND key = ANY($2::text[])
  )
  INSERT INTO name_leases (key, name, node) SELECT key, name, $1 FROM unnest($3::text[], $4::text[]) AS held (key, name)
  ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name WHERE name_leases.node = EXCLUDED.node`;

/** A node that stops lets its lease and its names go at once (`$1` the node). */
export const FORGET_NODE_SQL = `WITH gone AS (DELETE FROM cluster_nodes WHERE node = $1) DELETE FROM name_leases WHERE node = $1`;

/** A write that needs no answer, as SQL, its values quoted by `literal`. */
type Write = (literal: (value: string) => string) => string;

/** The names held by the node of each online user, across the cluster. */
export class PgNameLeases {
  private readonly queue: Write[] = [];
  private readonly connection: SideConnection;
  private writing: Promise<void> | null = null;
  private failing = false;
  private closed = false;

  /**
   * Makes the tables the first time. Calls that decide (`take`, `release`) wait on `db`, which
   * stays the caller's; writes that decide nothing (`hold`, `drop`) go in order on a connection
   * of the store's own to `url`, so a login does not wait for them.
   */
  constructor(
    private readonly db: SyncPg,
    url: string,
    private readonly onError: (msg: string) => void = () => undefined,
  ) {
    migrate(db, 'names', STEPS);
    this.connection = new SideConnection(url);
  }

  /** Whether any name is leased by a live node: if none is when a hub starts, no node has sessions to hand it with names to keep. Throws `PgError` when PostgreSQL does not answer. */
  anyHeld(): boolean {
    return this.db.query('SELECT 1 FROM name_leases held JOIN cluster_nodes n ON n.node = held.node WHERE n.expires_at > now() LIMIT 1').length > 0;
  }

  /**
   * Takes the name (its key, as the user spells it) for a user on `node` during a hand-over:
   * false when another node holds it and that node's lease runs. Throws `PgError` when
   * PostgreSQL does not answer.
   */
  take(key: string, name: string, node: string): boolean {
    const rows = this.db.prepared('name_take', TAKE_SQL, [key, name, node]);
    return rows.length === 1;
  }

  /** Lets the name go, if `node` holds it, during a hand-over. Throws `PgError` when PostgreSQL does not answer. */
  release(key: string, node: string): void {
    this.db.prepared('name_release', 'DELETE FROM name_leases WHERE key = $1 AND node = $2', [key, node]);
  }

  /** Holds the name for a user on `node` whoever held it (the hub has checked it is free), without waiting. */
  hold(key: string, name: string, node: string): void {
    this.write((l) => `INSERT INTO name_leases (key, name, node) VALUES (${l(key)}, ${l(name)}, ${l(node)}) ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, node = EXCLUDED.node`);
  }

  /** Lets the name go, if `node` holds it, without waiting. */
  drop(key: string, node: string): void {
    this.write((l) => `DELETE FROM name_leases WHERE key = ${l(key)} AND node = ${l(node)}`);
  }

  /** Runs what is queued, then closes the store's own connection. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.writing) await this.writing;
    await this.connection.close();
  }

  private write(w: Write): void {
    if (this.closed) return;
    this.queue.push(w);
    this.writing ??= this.pump().finally(() => (this.writing = null));
  }

  /**
   * What is queued, in order, as one query of several statements: one round trip and one commit
   * for the logins and logouts of a turn or more. A batch PostgreSQL refuses or cannot take is
   * told (once until one succeeds) and skipped.
   */
  private async pump(): Promise<void> {
    for (let batch = this.queue.splice(0); batch.length > 0; batch = this.queue.splice(0)) {
      try {
        await this.connection.query(batch.map((w) => w(pg.escapeLiteral)).join(';\n'));
        this.failing = false;
      } catch (err) {
        if (!this.failing) this.onError(`a name lease could not be written (the hub's own table keeps names unique meanwhile): ${(err as Error).message}`);
        this.failing = true;
      }
    }
  }
}

const TAKE_SQL = `INSERT INTO name_leases AS held (key, name, node) VALUES ($1, $2, $3)
  ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, node = EXCLUDED.node
  WHERE held.node = EXCLUDED.node
     OR NOT EXISTS (SELECT 1 FROM cluster_nodes n WHERE n.node = held.node AND n.expires_at > now())
  RETURNING node`;
