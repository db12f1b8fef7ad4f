/**
 * Online names across a cluster: a lease per case-folded name in PostgreSQL, held by one session
 * on one node until it is released or runs out. The node renews all its leases in one statement
 * per heartbeat; a node that dies (kill -9, a lost network) stops renewing, and its names become
 * free once their time is up, with nobody having to notice it died. Every time is PostgreSQL's
 * (`now()`), so nodes' clocks never disagree about whether a lease has run out.
 *
 * Synchronous, like the presence seam (core/presence.ts) a cluster presence builds on it: a
 * claim is one round trip the event loop waits for. The unique key on the name decides races:
 * of several nodes claiming one name at once, exactly one gets it.
 */
import { nameKey } from '../core/names.js';
import { migrate } from '../store/pg/migrate.js';
import type { SyncPg } from '../store/pg/sync-client.js';

/** A lease lasts 10 s unless renewed (renew it every third of that: a missed heartbeat is survived). */
export const DEFAULT_LEASE_TTL_MS = 10_000;

/**
 * A renewal changes only `expires_at`, which no index holds, and the table leaves half of each
 * page free: so PostgreSQL rewrites a renewed row in its own page without touching an index (a
 * HOT update). With an index on the expiry, every heartbeat added an index entry per lease,
 * and renewing 2,000 leases cost 30-40 ms instead of a few. The sweep and `holders()` read the
 * whole table instead, which holds the names online now.
 */
const STEPS = [
  `CREATE TABLE name_leases (
    name_key text PRIMARY KEY,
    name text NOT NULL,
    node_id text NOT NULL,
    session_id text NOT NULL,
    front text NOT NULL,
    since timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
  ) WITH (fillfactor = 50)`,
  'CREATE INDEX name_leases_node ON name_leases (node_id)',
];

/** Who holds a lease: a session on a node, logged in through a front. */
export interface LeaseHolder {
  nodeId: string;
  /** Unique on its node across the node's restarts (a node may come back under the same id). */
  sessionId: string;
  front: string;
}

/** A lease in force. */
export interface Lease extends LeaseHolder {
  /** The name as its holder wrote it. */
  name: string;
  /** When the name was claimed (ms since the epoch): `holders()` lists in this order, as presence lists in login order. */
  since: number;
}

/** How leases are held. */
export interface NameLeaseOptions {
  /** How long a lease lasts after a claim or renewal; DEFAULT_LEASE_TTL_MS unless given. */
  ttlMs?: number;
}

interface Row {
  name: string;
  node_id: string;
  session_id: string;
  front: string;
  since: number;
}

/** `since` comes as milliseconds: turning each row's timestamp into a Date doubled the time `holders()` took. */
const COLUMNS = 'name, node_id, session_id, front, (extract(epoch FROM since) * 1000)::float8 AS since';
const lease = (r: Row): Lease => ({ name: r.name, nodeId: r.node_id, sessionId: r.session_id, front: r.front, since: r.since });

/** A lease is taken over only once it has run out, or by its own holder (a claim retried after a timeout). */
const TAKE_OVER = `ON CONFLICT (name_key) DO UPDATE SET
    name = EXCLUDED.name, node_id = EXCLUDED.node_id, session_id = EXCLUDED.session_id, front = EXCLUDED.front,
    since = CASE WHEN l.expires_at > now() THEN l.since ELSE EXCLUDED.since END, expires_at = EXCLUDED.expires_at
  WHERE l.expires_at <= now() OR (l.node_id = EXCLUDED.node_id AND l.session_id = EXCLUDED.session_id)
  RETURNING 1`;

/** The leases in one PostgreSQL database; owns the connection it is handed. */
export class NameLeases {
  private readonly ttlMs: number;

  constructor(
    private readonly db: SyncPg,
    options: NameLeaseOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    migrate(db, 'name-leases', STEPS);
  }

  /** Takes `name` for the holder; false when another holds it and it has not run out. */
  claim(name: string, holder: LeaseHolder): boolean {
    const taken = this.db.query(
      `INSERT INTO name_leases AS l (name_key, name, node_id, session_id, front, since, expires_at)
       VALUES ($1, $2, $3, $4, $5, now(), now() + $6::float8 * interval '1 millisecond') ${TAKE_OVER}`,
      [nameKey(name), name, holder.nodeId, holder.sessionId, holder.front, this.ttlMs],
    );
    return taken.length === 1;
  }

  /**
   * Moves the holder's lease from `old` to `name`, keeping its place in login order; false when
   * `name` is another's or `old` is not (or no longer) the holder's. Both happen in one
   * transaction: the old name is let go only once the new one is held.
   */
  rename(old: string, name: string, holder: LeaseHolder): boolean {
    const [from, to] = [nameKey(old), nameKey(name)];
    const mine = [from, holder.nodeId, holder.sessionId] as const;
    if (from === to) {
      return this.db.query('UPDATE name_leases SET name = $4 WHERE name_key = $1 AND node_id = $2 AND session_id = $3 AND expires_at > now() RETURNING 1', [...mine, name]).length === 1;
    }
    const [moved] = this.db.transaction([
      {
        sql: `INSERT INTO name_leases AS l (name_key, name, node_id, session_id, front, since, expires_at)
              SELECT $4, $5, node_id, session_id, front, since, now() + $6::float8 * interval '1 millisecond' FROM name_leases
              WHERE name_key = $1 AND node_id = $2 AND session_id = $3 AND expires_at > now() ${TAKE_OVER}`,
        params: [...mine, to, name, this.ttlMs],
      },
      {
        sql: `DELETE FROM name_leases WHERE name_key = $1 AND node_id = $2 AND session_id = $3
              AND EXISTS (SELECT 1 FROM name_leases WHERE name_key = $4 AND node_id = $2 AND session_id = $3)`,
        params: [...mine, to],
      },
    ]);
    return moved?.length === 1;
  }

  /** Lets the holder's lease on `name` go (a logout); a lease someone else took since stays theirs. */
  release(name: string, holder: Pick<LeaseHolder, 'nodeId' | 'sessionId'>): void {
    this.db.query('DELETE FROM name_leases WHERE name_key = $1 AND node_id = $2 AND session_id = $3', [nameKey(name), holder.nodeId, holder.sessionId]);
  }

  /**
   * The heartbeat: extends every lease of the node that has not run out, and sweeps away the
   * leases that have, of any node. Returns the keys of the names the node still holds; a name
   * it thinks it holds and is not among them ran out (the node stalled past the TTL) and may be
   * another's by now, so its session must go. The sweep skips rows another statement holds, so
   * it never waits on a lock.
   */
  renewAll(nodeId: string): Set<string> {
    const rows = this.db.query<{ name_key: string }>(
      `WITH swept AS (
         DELETE FROM name_leases WHERE name_key IN (SELECT name_key FROM name_leases WHERE expires_at <= now() FOR UPDATE SKIP LOCKED)
       ), renewed AS (
         UPDATE name_leases SET expires_at = now() + $2::float8 * interval '1 millisecond' WHERE node_id = $1 AND expires_at > now() RETURNING name_key
       )
       SELECT name_key FROM renewed`,
      [nodeId, this.ttlMs],
    );
    return new Set(rows.map((r) => r.name_key));
  }

  /** Lets every lease of the node go at once (a node stopping cleanly frees its names without waiting for the TTL). */
  releaseAll(nodeId: string): void {
    this.db.query('DELETE FROM name_leases WHERE node_id = $1', [nodeId]);
  }

  /** The lease in force on `name`, or null when the name is free. */
  holder(name: string): Lease | null {
    const row = this.db.query<Row>(`SELECT ${COLUMNS} FROM name_leases WHERE name_key = $1 AND expires_at > now()`, [nameKey(name)])[0];
    return row === undefined ? null : lease(row);
  }

  /** Every lease in force, on every node, in the order the names were claimed: who is online. */
  holders(): Lease[] {
    return this.db.query<Row>(`SELECT ${COLUMNS} FROM name_leases WHERE expires_at > now() ORDER BY name_leases.since, name_key`).map(lease);
  }

  close(): void {
    void this.db.close();
  }
}
