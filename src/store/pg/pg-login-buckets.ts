/**
 * Failed-login buckets (core/login-limiter.ts) in PostgreSQL, so a cluster counts failures
 * wherever they are made: a guesser spreading attempts over nodes meets one budget. A bucket
 * is one row holding the moment it will be full again (`free_at`, ms): a token taken moves it a
 * refill interval later, one given back moves it earlier, and a row whose moment has passed is
 * a full bucket, swept away now and then. The moment is read on the node's clock, as the
 * in-process buckets read it; nodes' clocks differ by far less than a refill interval.
 *
 * The limiter checks a bucket and takes a token in separate statements, so attempts racing on
 * several nodes at one instant may each pass the check: the budget is overshot by at most the
 * attempts in flight at once, which each connection already limits to one.
 */
import type { BucketRule, LoginBuckets, LoginBucketsFactory } from '../../core/login-limiter.js';
import { migrate } from './migrate.js';
import type { SyncPg } from './sync-client.js';

const STEPS = [
  `CREATE TABLE login_failures (
    kind text NOT NULL,
    key text NOT NULL,
    free_at double precision NOT NULL,
    PRIMARY KEY (kind, key)
  )`,
  'CREATE INDEX login_failures_free_at ON login_failures (free_at)',
];

/** How many takes pass between two sweeps of full buckets, and the most rows one sweep removes. */
const SWEEP_EVERY = 64;
const SWEEP_ROWS = 1000;

class PgLoginBuckets implements LoginBuckets {
  private takes = 0;

  constructor(
    private readonly db: SyncPg,
    private readonly kind: string,
    private readonly rule: BucketRule,
    private readonly now: () => number,
    private readonly sweepEvery: number,
  ) {}

  /** With `debt = (free_at - now) / refill` tokens missing, one more may be taken once fewer than `burst` are. */
  waitFor(key: string): number {
    const row = this.db.query<{ free_at: number }>('SELECT free_at FROM login_failures WHERE kind = $1 AND key = $2', [this.kind, key])[0];
    if (row === undefined) return 0;
    return Math.max(0, Math.ceil(row.free_at - this.now() - (this.rule.burst - 1) * this.rule.refillMs));
  }

  take(key: string): void {
    const now = this.now();
    this.db.query(
      `INSERT INTO login_failures (kind, key, free_at) VALUES ($1, $2, $3::float8 + $4::float8)
       ON CONFLICT (kind, key) DO UPDATE SET free_at = GREATEST(login_failures.free_at, $3::float8) + $4::float8`,
      [this.kind, key, now, this.rule.refillMs],
    );
    if (++this.takes % this.sweepEvery === 0) this.sweep(now);
  }

  give(key: string): void {
    this.db.query('UPDATE login_failures SET free_at = free_at - $4::float8 WHERE kind = $1 AND key = $2 AND free_at > $3::float8', [
      this.kind,
      key,
      this.now(),
      this.rule.refillMs,
    ]);
  }

  /**
   * Removes full buckets, of every kind, in a statement of its own that skips rows another
   * node holds: a sweep never waits on a lock, so it can never be part of a deadlock.
   */
  private sweep(now: number): void {
    this.db.query(
      `DELETE FROM login_failures WHERE (kind, key) IN (
         SELECT kind, key FROM login_failures WHERE free_at <= $1::float8 LIMIT ${SWEEP_ROWS} FOR UPDATE SKIP LOCKED)`,
      [now],
    );
  }
}

/**
 * Buckets shared through PostgreSQL, for `HubDeps.loginBuckets`; makes the table the first time.
 * The connection stays the caller's to close. `sweepEvery` is for tests.
 */
export function pgLoginBuckets(db: SyncPg, sweepEvery = SWEEP_EVERY): LoginBucketsFactory {
  migrate(db, 'logins', STEPS);
  return (kind, rule, now) => new PgLoginBuckets(db, kind, rule, now, sweepEvery);
}
