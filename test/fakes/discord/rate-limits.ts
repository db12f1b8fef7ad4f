/**
 * Discord's rate limits as the fake answers them. A test names the requests to refuse (a
 * predicate, which may count), for how long, and whether the limit is the route's or global.
 * A refused request gets what Discord sends: status 429, a JSON body with `retry_after` (seconds)
 * and `global`, and the headers discord.js reads (Retry-After in whole seconds; for a route,
 * X-RateLimit-Limit, -Remaining 0, -Reset, -Reset-After and -Bucket; for a global limit,
 * X-RateLimit-Global; X-RateLimit-Scope either way). Until the limit has passed, a request on
 * the limited route (any request, for a global limit) is refused again, as Discord would, and
 * kept in `early`: a client that waits as told sends none.
 */
import { snowflake } from './payloads.js';

/** What a limit looks at: a request's method, path (ids included) and query. */
export interface Limitable {
  method: string;
  path: string;
  query: URLSearchParams;
}

export interface LimitRule {
  /** Whether to refuse this request (called once per request not already refused as early). */
  match(request: Limitable): boolean;
  /** Seconds the client must wait (Discord's `retry_after`). */
  retryAfter: number;
  /** A global limit (every route) rather than the request's route. */
  global?: boolean;
}

export interface Refusal {
  route: string;
  global: boolean;
  /** When it was answered (performance.now()) and when the limit passes. */
  at: number;
  until: number;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const ROUTE_LIMIT = 5;

export class RateLimits {
  private readonly rules: LimitRule[] = [];
  /** Every 429 the fake answered because a rule said so, in order. */
  readonly refused: Refusal[] = [];
  /** Requests that came while a limit they fall under had not passed yet (each refused again). */
  readonly early: (Refusal & { request: string })[] = [];
  private readonly buckets = new Map<string, string>();

  /** From now on, refuse the requests `rule` matches. */
  add(rule: LimitRule): void {
    this.rules.push(rule);
  }

  /** A 429 for `request`, or null to serve it. */
  check(request: Limitable): Answer | null {
    const route = `${request.method} ${request.path}`;
    const now = performance.now();
    const pending = this.refused.find((r) => now < r.until && (r.global || r.route === route));
    if (pending) {
      this.early.push({ ...pending, request: route });
      return this.answer(route, pending.global, (pending.until - now) / 1000);
    }
    const rule = this.rules.find((r) => r.match(request));
    if (!rule) return null;
    const global = rule.global ?? false;
    this.refused.push({ route, global, at: now, until: now + rule.retryAfter * 1000 });
    return this.answer(route, global, rule.retryAfter);
  }

  private answer(route: string, global: boolean, seconds: number): Answer {
    const retryAfter = Math.round(seconds * 1000) / 1000;
    const headers: Record<string, string> = {
      'Retry-After': String(Math.ceil(seconds)),
      'X-RateLimit-Scope': global ? 'global' : 'user',
    };
    if (global) headers['X-RateLimit-Global'] = 'true';
    else {
      let bucket = this.buckets.get(route);
      if (!bucket) this.buckets.set(route, (bucket = snowflake()));
      Object.assign(headers, {
        'X-RateLimit-Limit': String(ROUTE_LIMIT),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String((Date.now() + seconds * 1000) / 1000),
        'X-RateLimit-Reset-After': String(retryAfter),
        'X-RateLimit-Bucket': bucket,
      });
    }
    return { status: 429, headers, body: { message: 'You are being rate limited.', retry_after: retryAfter, global } };
  }
}
