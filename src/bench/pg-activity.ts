/**
 * What PostgreSQL did during each measured step of a generator run: transactions committed and
 * WAL flushes to disk per second, read from its own statistics (pg_stat_database, pg_stat_wal)
 * at the start and end of each step's measured part, as the generator's progress tells them.
 * Lines per commit is the figure that says whether the hub's one-commit-per-turn batching holds
 * up, and WAL syncs per second how close the disk's flush rate is.
 */
import pg from 'pg';
import type { GenProgress } from './types.js';

/** PostgreSQL's activity over one measured step. */
export interface PgStep {
  offered: number;
  commitsPerSec: number;
  walSyncsPerSec: number;
}

interface Counters {
  at: number;
  commits: number;
  walSyncs: number;
}

/** Reads PostgreSQL's counters around each measured step it hears of, over one connection of its own. */
export class PgActivity {
  readonly steps: PgStep[] = [];
  private readonly client: pg.Client;
  private reads: Promise<unknown> = Promise.resolve();
  private start: Counters | null = null;

  private constructor(url: string) {
    this.client = new pg.Client({ connectionString: url });
  }

  /** Connects to the database the servers use. */
  static async open(url: string): Promise<PgActivity> {
    const activity = new PgActivity(url);
    await activity.client.connect();
    return activity;
  }

  private async counters(): Promise<Counters> {
    const at = performance.now();
    // Each backend reports its counts at most once a second: ask for the latest before reading.
    await this.client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await this.client.query<{ commits: string; syncs: string }>(
      'SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS commits, (SELECT wal_sync FROM pg_stat_wal) AS syncs',
    );
    return { at, commits: Number(rows[0]!.commits), walSyncs: Number(rows[0]!.syncs) };
  }

  /** Hears the generator's progress: a step's measured part runs from `warmup` seconds to its end. */
  hear(p: GenProgress, warmup: number): void {
    if (p.kind !== 'step') return;
    if (p.elapsed === warmup) this.reads = this.reads.then(async () => (this.start = await this.counters()));
    if (p.elapsed === p.seconds) {
      this.reads = this.reads.then(async () => {
        const from = this.start;
        if (from === null) return;
        const to = await this.counters();
        const s = (to.at - from.at) / 1000;
        this.steps.push({ offered: p.rate, commitsPerSec: (to.commits - from.commits) / s, walSyncsPerSec: (to.walSyncs - from.walSyncs) / s });
        this.start = null;
      });
    }
  }

  /** Waits for the reads under way, then disconnects. */
  async close(): Promise<PgStep[]> {
    await this.reads;
    await this.client.end();
    return this.steps;
  }
}
