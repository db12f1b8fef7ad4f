/**
 * Brute-force brakes for password logins: a token bucket per name and per address. Every
 * attempt takes a token from both before the password is checked (so attempts in flight
 * count too); a successful one gives them back, so only failures use the budget up and a
 * right password is never slowed. An attempt with an empty bucket is refused unchecked, with
 * the time when the next one may be made. The buckets are a seam: in process here, shared by a
 * cluster's nodes in PostgreSQL (store/pg/pg-login-buckets.ts), so failures count wherever made.
 */

export interface BucketRule {
  /** Failures allowed at once. */
  burst: number;
  /** One more failure is allowed after each interval. */
  refillMs: number;
}

export interface LoginLimits {
  perName: BucketRule;
  perAddress: BucketRule;
}

/** 5 failures per name, then one a minute; 20 per address, then one every 15 seconds. */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perName: { burst: 5, refillMs: 60_000 },
  perAddress: { burst: 20, refillMs: 15_000 },
};

/** The failure budget of one kind of key (names, or addresses). */
export interface LoginBuckets {
  /** Milliseconds until `key` may try again (0 when it may now). */
  waitFor(key: string): number;
  /** One attempt uses a token of `key`'s bucket. */
  take(key: string): void;
  /** A successful attempt gives its token back. */
  give(key: string): void;
}

/** Makes the buckets of one kind of key under its rule, reading time from `now` (ms). */
export type LoginBucketsFactory = (kind: 'name' | 'address', rule: BucketRule, now: () => number) => LoginBuckets;

/** Buckets in this process: the default, for one server. */
const inProcessBuckets: LoginBucketsFactory = (_kind, rule, now) => new FailureBuckets(rule, now);

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date. */
  at: number;
}

/** Most keys tracked at once (a few MB); past it, the oldest are forgotten. */
const MAX_KEYS = 100_000;

/**
 * Token buckets by key; a key with a full bucket takes no memory. Under a flood of distinct
 * keys (addresses of a botnet) the oldest buckets are forgotten first, so memory stays bounded.
 */
export class FailureBuckets implements LoginBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rule: BucketRule,
    private readonly now: () => number,
    private readonly maxKeys = MAX_KEYS,
  ) {}

  /** Milliseconds until `key` may try again (0 when it may now). */
  waitFor(key: string): number {
    const b = this.current(key);
    if (b === null || b.tokens >= 1) return 0;
    return Math.ceil((1 - b.tokens) * this.rule.refillMs);
  }

  take(key: string): void {
    const b = this.current(key);
    if (b) {
      b.tokens -= 1;
      return;
    }
    if (this.buckets.size >= this.maxKeys) this.shrink();
    this.buckets.set(key, { tokens: this.rule.burst - 1, at: this.now() });
  }

  give(key: string): void {
    const b = this.current(key);
    if (b === null) return;
    b.tokens += 1;
    if (b.tokens >= this.rule.burst) this.buckets.delete(key);
  }

  /** Keys currently holding less than a full bucket. */
  get size(): number {
    return this.buckets.size;
  }

  /** The bucket brought up to date, or null when it is full (and then forgotten). */
  private current(key: string): Bucket | null {
    const b = this.buckets.get(key);
    if (!b) return null;
    const t = this.now();
    b.tokens = Math.min(this.rule.burst, b.tokens + (t - b.at) / this.rule.refillMs);
    b.at = t;
    if (b.tokens >= this.rule.burst) {
      this.buckets.delete(key);
      return null;
    }
    return b;
  }

  /** Drops the full buckets, then the oldest, down to 90% of the cap (so this runs rarely). */
  private shrink(): void {
    for (const key of [...this.buckets.keys()]) this.current(key);
    let excess = this.buckets.size - Math.floor(this.maxKeys * 0.9);
    for (const key of this.buckets.keys()) {
      if (excess-- <= 0) break;
      this.buckets.delete(key);
    }
  }
}

/**
 * The part of an address that identifies one client: an IPv4 address as it is (also when
 * written as IPv4-mapped IPv6), an IPv6 address by its /64 (one host usually holds a whole /64).
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('%')[0]!.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = address.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export type Attempt = { ok: true; done(success: boolean): void } | { ok: false; retryAfterMs: number };

export class LoginLimiter {
  private readonly names: LoginBuckets;
  private readonly addresses: LoginBuckets;

  constructor(limits: LoginLimits, now: () => number, buckets: LoginBucketsFactory = inProcessBuckets) {
    this.names = buckets('name', limits.perName, now);
    this.addresses = buckets('address', limits.perAddress, now);
  }

  /** Starts an attempt on the account `nameKey` from `address` (none for fronts without one). */
  attempt(nameKey: string, address: string | null): Attempt {
    const where = address === null ? null : addressKey(address);
    const wait = Math.max(this.names.waitFor(nameKey), where === null ? 0 : this.addresses.waitFor(where));
    if (wait > 0) return { ok: false, retryAfterMs: wait };
    this.names.take(nameKey);
    if (where !== null) this.addresses.take(where);
    let settled = false;
    return {
      ok: true,
      done: (success) => {
        if (settled) return;
        settled = true;
        if (!success) return;
        this.names.give(nameKey);
        if (where !== null) this.addresses.give(where);
      },
    };
  }
}
