import { describe, expect, it } from 'vitest';
import { addressKey, FailureBuckets, LoginLimiter } from './login-limiter.js';

describe('FailureBuckets', () => {
  it('allows a burst, then one more per interval, and says how long to wait', () => {
    let now = 0;
    const b = new FailureBuckets({ burst: 2, refillMs: 1000 }, () => now);
    expect(b.waitFor('k')).toBe(0);
    b.take('k');
    b.take('k');
    expect(b.waitFor('k')).toBe(1000);
    now = 250;
    expect(b.waitFor('k')).toBe(750);
    now = 1000;
    expect(b.waitFor('k')).toBe(0);
    b.take('k');
    expect(b.waitFor('k')).toBe(1000);
    expect(b.waitFor('other')).toBe(0);
  });

  it('forgets a key once its bucket is full again', () => {
    let now = 0;
    const b = new FailureBuckets({ burst: 3, refillMs: 100 }, () => now);
    b.take('a');
    b.take('b');
    expect(b.size).toBe(2);
    now = 100;
    expect(b.waitFor('a')).toBe(0);
    expect(b.size).toBe(1);
    b.give('b');
    expect(b.size).toBe(0);
  });

  it('stays within its cap under a flood of distinct keys, forgetting the oldest first', () => {
    let now = 0;
    const b = new FailureBuckets({ burst: 1, refillMs: 3_600_000 }, () => now, 1000);
    for (let i = 0; i < 5000; i++) {
      now = i;
      b.take(`k${i}`);
      expect(b.size).toBeLessThanOrEqual(1000);
    }
    expect(b.waitFor('k4999')).toBeGreaterThan(0);
    expect(b.waitFor('k0')).toBe(0);
  });
});

describe('LoginLimiter', () => {
  const limits = { perName: { burst: 2, refillMs: 60_000 }, perAddress: { burst: 3, refillMs: 10_000 } };

  it('gives back the tokens of a success and keeps those of a failure', () => {
    const limiter = new LoginLimiter(limits, () => 0);
    for (let i = 0; i < 10; i++) {
      const a = limiter.attempt('alice', '10.0.0.1');
      expect(a.ok).toBe(true);
      if (a.ok) a.done(true);
    }
    const fail = (): void => {
      const a = limiter.attempt('alice', '10.0.0.1');
      if (a.ok) a.done(false);
    };
    fail();
    fail();
    expect(limiter.attempt('alice', '10.0.0.9')).toEqual({ ok: false, retryAfterMs: 60_000 });
  });

  it('refuses when either the name or the address has no token left, with the longer wait', () => {
    const limiter = new LoginLimiter(limits, () => 0);
    for (const name of ['a', 'b', 'c']) {
      const a = limiter.attempt(name, '2001:db8:1:2::7');
      if (a.ok) a.done(false);
    }
    expect(limiter.attempt('d', '2001:db8:1:2:ffff::1')).toEqual({ ok: false, retryAfterMs: 10_000 });
    expect(limiter.attempt('d', '2001:db8:1:3::1').ok).toBe(true);
    expect(limiter.attempt('e', null).ok).toBe(true);
  });

  it('counts an attempt once however often it is settled', () => {
    const limiter = new LoginLimiter(limits, () => 0);
    const a = limiter.attempt('x', null);
    if (!a.ok) throw new Error('refused');
    a.done(false);
    a.done(true);
    a.done(true);
    const b = limiter.attempt('x', null);
    if (b.ok) b.done(false);
    expect(limiter.attempt('x', null).ok).toBe(false);
  });
});

describe('addressKey', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['::FFFF:192.0.2.7', '192.0.2.7'],
    ['::1', '0:0:0:0::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:0db8:0001:0002:0003:0004:0005:0006', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::ff', '2001:db8:1:2::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('%s -> %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});
