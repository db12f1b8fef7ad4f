import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDatabase, POSTGRES_NEED } from '../../../test/helpers/engines.js';
import { describeNeeds } from '../../../test/helpers/needs.js';
import { FailureBuckets, LoginLimiter, type BucketRule } from '../../core/login-limiter.js';
import type { LocalPostgres } from '../../engines/postgres.js';
import { pgLoginBuckets } from './pg-login-buckets.js';
import { SyncPg } from './sync-client.js';

describeNeeds(POSTGRES_NEED)('login buckets in PostgreSQL', () => {
  let engine: LocalPostgres | null = null;
  let url = '';
  const clients: SyncPg[] = [];
  const client = (): SyncPg => {
    const db = new SyncPg(url);
    clients.push(db);
    return db;
  };

  beforeAll(async () => {
    ({ url, engine } = await freshDatabase('logins'));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await engine?.destroy();
  });

  it('waits exactly as the in-process buckets do, step for step', () => {
    // Times move in steps of 125 ms against a 1000 ms refill, so both sides compute in exact binary fractions.
    const rule: BucketRule = { burst: 3, refillMs: 1000 };
    let now = 1_000_000;
    const local = new FailureBuckets(rule, () => now);
    const shared = pgLoginBuckets(client())('name', rule, () => now);
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    for (let step = 0; step < 300; step++) {
      const key = `k${random(3)}`;
      const op = random(4);
      if (op === 0) now += 125 * random(12);
      else if (op === 1) [local, shared].forEach((b) => b.take(key));
      else if (op === 2) [local, shared].forEach((b) => b.give(key));
      expect(shared.waitFor(key), `step ${step}`).toBe(local.waitFor(key));
    }
  });

  it('counts failures made through one node against attempts through another', () => {
    const limits = { perName: { burst: 2, refillMs: 60_000 }, perAddress: { burst: 3, refillMs: 10_000 } };
    const now = (): number => 5_000_000;
    const one = new LoginLimiter(limits, now, pgLoginBuckets(client()));
    const two = new LoginLimiter(limits, now, pgLoginBuckets(client()));
    const fail = (limiter: LoginLimiter, name: string, address: string): void => {
      const attempt = limiter.attempt(name, address);
      expect(attempt.ok).toBe(true);
      if (attempt.ok) attempt.done(false);
    };
    const succeed = (limiter: LoginLimiter, name: string, address: string): void => {
      const attempt = limiter.attempt(name, address);
      expect(attempt.ok).toBe(true);
      if (attempt.ok) attempt.done(true);
    };
    for (let i = 0; i < 5; i++) succeed(one, 'alice', '10.0.0.1');
    fail(one, 'alice', '10.0.0.1');
    fail(two, 'alice', '10.0.0.2');
    expect(one.attempt('alice', '10.0.0.3')).toEqual({ ok: false, retryAfterMs: 60_000 });
    expect(two.attempt('alice', '10.0.0.3')).toEqual({ ok: false, retryAfterMs: 60_000 });
    // Names and addresses are separate budgets, even under one key.
    fail(two, 'bob', '10.0.0.9');
    fail(one, 'carol', '10.0.0.9');
    fail(two, 'dora', '10.0.0.9');
    expect(one.attempt('erin', '10.0.0.9')).toEqual({ ok: false, retryAfterMs: 10_000 });
    succeed(two, '10.0.0.1', 'alice');
  });

  it('sweeps away the buckets that are full again, whichever node filled them', () => {
    const db = client();
    let now = 9_000_000;
    const rule = { burst: 2, refillMs: 1000 };
    const buckets = pgLoginBuckets(db, 1)('address', rule, () => now);
    const other = pgLoginBuckets(client(), 1)('name', rule, () => now);
    const count = (): number => Number(db.query<{ n: string }>('SELECT count(*) AS n FROM login_failures WHERE free_at > 9000000')[0]!.n);
    buckets.take('192.0.2.1');
    buckets.take('192.0.2.2');
    buckets.take('192.0.2.2');
    expect(count()).toBe(2);
    now += 1000;
    other.take('zed');
    const left = db.query<{ key: string }>('SELECT key FROM login_failures ORDER BY key').map((r) => r.key);
    expect(left).toEqual(['192.0.2.2', 'zed']);
    expect(buckets.waitFor('192.0.2.1')).toBe(0);
    expect(buckets.waitFor('192.0.2.2')).toBe(0);
  });
});
