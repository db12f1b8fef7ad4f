/**
 * Who is online, on the hub of a cluster: the hub's own table, and beside it a lease on each name
 * in the database, held by the node whose front has the user (store/pg/pg-name-leases.ts). Once
 * the hub runs, its table alone keeps names unique; the leases keep them so across a take-over,
 * when a node that has not yet handed its sessions to the new hub still has users whose names
 * the new hub has never seen. A newcomer asking for such a name is refused, as if its user were
 * online, which they are.
 *
 * While PostgreSQL does not answer, the hub's table decides alone (the hub refuses lines then,
 * but not logins): a name taken meanwhile has no lease until its user logs in again.
 *
 * Only a hand-over waits for the leases. Once it is over, the hub writes them without waiting,
 * in order, so a login costs no round trip to PostgreSQL on the hub's thread.
 */
import type { Logger } from '../core/log.js';
import { nameKey } from '../core/names.js';
import { PresenceTable, type Presence } from '../core/presence.js';
import type { OnlineMember } from '../core/session.js';
import { PgError } from '../store/pg/sync-client.js';

/** Where the names of a cluster are leased (PostgreSQL: `PgNameLeases`). */
export interface NameLeases {
  /** Whether any name is leased by a live node now. */
  anyHeld(): boolean;
  /** Takes the name for a user on `node`; false when another node holds it and is alive. */
  take(key: string, name: string, node: string): boolean;
  /** Lets the name go, if `node` holds it. */
  release(key: string, node: string): void;
  /** Holds the name for a user on `node`, whoever held it, without waiting (in order with `drop`). */
  hold(key: string, name: string, node: string): void;
  /** Lets the name go, if `node` holds it, without waiting. */
  drop(key: string, node: string): void;
}

export class LeasedPresence implements Presence<OnlineMember> {
  private readonly table = new PresenceTable<OnlineMember>();

  /** Whether live nodes held names when this hub started: only then can a hand-over bring users whose names it must keep. */
  private readonly contested: boolean;

  /**
   * `here` is the hub's node, which holds the names of the hub's own sessions (the Discord
   * front's); `handingOver` says whether nodes may still hand sessions to this hub, so that
   * names leased by other nodes are theirs.
   */
  constructor(
    private readonly leases: NameLeases,
    private readonly here: string,
    private readonly handingOver: () => boolean,
    private readonly log: Logger,
  ) {
    this.contested = this.ask(() => leases.anyHeld(), true, 'cluster: the name leases could not be read; the hand-over waits on them');
  }

  add(name: string, user: OnlineMember): boolean {
    if (this.table.get(name) !== undefined || !this.take(name, user)) return false;
    return this.table.add(name, user);
  }

  remove(name: string, user: OnlineMember): void {
    if (this.table.get(name) !== user) return;
    this.table.remove(name, user);
    this.release(nameKey(name), user);
  }

  get(name: string): OnlineMember | undefined {
    return this.table.get(name);
  }

  rename(old: string, name: string, user: OnlineMember): boolean {
    if (this.table.get(old) !== user) return false;
    const [from, to] = [nameKey(old), nameKey(name)];
    if (from !== to && this.table.get(name) !== undefined) return false;
    // Taken under the new spelling even when only its case changes, so the lease shows the name as the user writes it.
    if (!this.take(name, user)) return false;
    this.table.rename(old, name, user);
    if (from !== to) this.release(from, user);
    return true;
  }

  list(): OnlineMember[] {
    return this.table.list();
  }

  values(): IterableIterator<OnlineMember> {
    return this.table.values();
  }

  get size(): number {
    return this.table.size;
  }

  /**
   * During the hand-over, a lease decides and is waited for. Once it is over the hub's table
   * decides, so the lease is written without waiting (a login costs no round trip), and one left
   * behind (a release PostgreSQL missed) is overwritten.
   */
  private take(name: string, user: OnlineMember): boolean {
    const [key, node] = [nameKey(name), user.node ?? this.here];
    if (!this.waits()) {
      this.leases.hold(key, name, node);
      return true;
    }
    return this.ask(() => this.leases.take(key, name, node), true, 'cluster: a name could not be leased in PostgreSQL; the hub alone keeps it unique');
  }

  private release(key: string, user: OnlineMember): void {
    const node = user.node ?? this.here;
    if (!this.waits()) return this.leases.drop(key, node);
    this.ask(() => this.leases.release(key, node), undefined, 'cluster: a name lease could not be let go in PostgreSQL; it lapses with its node');
  }

  /** Whether the leases decide now: during a hand-over that may bring users whose names are leased. */
  private waits(): boolean {
    return this.contested && this.handingOver();
  }

  /** A call PostgreSQL may not answer: then `fallback`, and a warning. */
  private ask<T>(call: () => T, fallback: T, warning: string): T {
    try {
      return call();
    } catch (err) {
      if (!(err instanceof PgError)) throw err;
      this.log.warn(warning, { err: err.message });
      return fallback;
    }
  }
}
