/**
 * A node's lease in PostgreSQL: renewed every heartbeat by the node itself, it keeps the names of
 * the node's users theirs across the cluster (store/pg/pg-name-leases.ts), even while no hub runs.
 * A node that dies stops renewing, and its users' names come free once the lease runs out; a node
 * that stops lets them go at once.
 */
import type { Logger } from '../core/log.js';
import { FORGET_NODE_SQL, RENEW_NODE_SQL } from '../store/pg/pg-name-leases.js';
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

  constructor(
    private readonly node: string,
    private readonly query: NodeQuery,
    private readonly timing: LinkTiming,
    private readonly log: Logger,
  ) {}

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
    this.renewing = this.query(RENEW_NODE_SQL, [this.node, this.timing.leaseMs])
      .then(
        (ran) => {
          if (!ran) return;
          if (this.failing === 'told') this.log.info('cluster: the node lease is renewed again', { node: this.node });
          this.failing = null;
        },
        (err: Error & { code?: string }) => {
          if (this.failing === 'told') return;
          // Until the first hub has made the tables there are no names to hold.
          if (err.code === UNDEFINED_TABLE) return void (this.failing = 'quiet');
          this.failing = 'told';
          this.log.warn("cluster: the node lease could not be renewed; its users' names stay theirs only while the hub runs", { node: this.node, err: err.message });
        },
      )
      .finally(() => (this.renewing = null));
  }
}
