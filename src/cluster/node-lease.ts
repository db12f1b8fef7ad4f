/**
 * A node's lease in PostgreSQL: renewed every heartbeat by the node itself, it keeps the names of
 * the node's users theirs across the cluster (store/pg/pg-name-leases.ts), even while no hub runs.
 * A node that dies stops renewing, and its users' names come free once the lease runs out; a node
 * that stops lets them go at once.
 *
 * The hub writes each name's lease as it lets a user have it, without waiting; what it had not
 * written yet when it died is lost with it. So the node writes its users' names too, with the
 * next renewal after it learns them: a name of a user on a live node is leased within a heartbeat
 * whatever happens to the hub, and the next hub keeps it for them while the node hands them over.
 *
 * A node killed and started again under the same NODE_ID renews the lease its earlier life held,
 * so its first renewal lets that life's names go (`START_NODE_SQL`): its users are gone.
 */
import type { Logger } from '../core/log.js';
import { FORGET_NODE_SQL, NODE_NAMES_SQL, nodeSession, RENEW_NODE_SQL, START_NODE_SQL } from '../store/pg/pg-name-leases.js';
import type { LinkTiming } from './hub-host.js';

/** PostgreSQL's SQLSTATE for a table that does not exist. */
const UNDEFINED_TABLE = '42P01';

/** Runs one statement on the node's PostgreSQL connection; false when it is down (the links' side reports that). */
export type NodeQuery = (sql: string, params: readonly unknown[]) => Promise<boolean>;

export class NodeLease {
  private timer: NodeJS.Timeout | null = null;
  private renewing: Promise<void> | null = null;
  /** Whether renewals fail now, and whether that was worth a warning. */
  private failing: 'quiet' | 'told' | null = null;
  /** Names this node's users took since the last renewal that wrote them (by key), and those let go. */
  private held = new Map<string, string>();
  private gone = new Set<string>();
  /** Whether a renewal has succeeded in this life of the process (the first lets an earlier life's names go). */
  private renewed = false;
  /** Whether PostgreSQL answered the last renewal, if only with an error; null until one has ended. */
  private answered: boolean | null = null;

  constructor(
    private readonly node: string,
    private readonly query: NodeQuery,
    private readonly timing: LinkTiming,
    private readonly log: Logger,
  ) {}

  /** A user on this node has the name `name` (case-folded: `key`); written with the next renewal. */
  holds(key: string, name: string): void {
    this.gone.delete(key);
    this.held.set(key, name);
  }

  /** The user on this node who had the name of `key` let it go. */
  lets(key: string): void {
    this.held.delete(key);
    this.gone.add(key);
  }

  /** Whether PostgreSQL answers this node (health): its last renewal reached it; so far as known, before the first. */
  get reachable(): boolean {
    return this.answered !== false;
  }

  /** Renews now and every heartbeat. */
  start(): void {
    if (this.timer) return;
    this.renew();
    this.timer = setInterval(() => this.renew(), this.timing.heartbeatMs);
    this.timer.unref();
  }

  /** Stops renewing and lets the node's names go. */
  async stop(): Promise<void> {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    await this.renewing;
    await this.query(FORGET_NODE_SQL, [this.node]).catch((err: Error) => this.log.warn('cluster: the node lease could not be let go; it runs out by itself', { node: this.node, err: err.message }));
  }

  /** One renewal at a time (a slow one is not piled on); failures are told once, until one succeeds. */
  private renew(): void {
    if (this.renewing) return;
    this.renewing = this.renewOnce().finally(() => (this.renewing = null));
  }

  private async renewOnce(): Promise<void> {
    try {
      const renewal = this.renewed ? this.query(RENEW_NODE_SQL, [this.node, this.timing.leaseMs]) : this.query(START_NODE_SQL, [this.node, this.timing.leaseMs, nodeSession(this.node)]);
      this.answered = await renewal;
      if (!this.answered) return;
      this.renewed = true;
      this.answered = await this.writeNames();
      if (!this.answered) return;
      if (this.failing === 'told') this.log.info('cluster: the node lease is renewed again', { node: this.node });
      this.failing = null;
    } catch (err) {
      // PostgreSQL answered, with an error.
      this.answered = true;
      if (this.failing === 'told') return;
      // Until the first hub has made the tables there are no names to hold.
      if ((err as { code?: string }).code === UNDEFINED_TABLE) return void (this.failing = 'quiet');
      this.failing = 'told';
      this.log.warn("cluster: the node lease could not be renewed; its users' names stay theirs only while the hub runs", { node: this.node, err: (err as Error).message });
    }
  }

  /** Writes the names learnt since the last write; false when PostgreSQL is down. What is not written waits for the next renewal. */
  private async writeNames(): Promise<boolean> {
    if (this.held.size === 0 && this.gone.size === 0) return true;
    const [held, gone] = [this.held, this.gone];
    [this.held, this.gone] = [new Map(), new Set()];
    let written = false;
    try {
      written = await this.query(NODE_NAMES_SQL, [this.node, [...gone], [...held.keys()], [...held.values()]]);
      return written;
    } finally {
      // What was learnt meanwhile is newer than what was not written.
      if (!written) {
        for (const [key, name] of held) if (!this.held.has(key) && !this.gone.has(key)) this.held.set(key, name);
        for (const key of gone) if (!this.held.has(key) && !this.gone.has(key)) this.gone.add(key);
      }
    }
  }
}
