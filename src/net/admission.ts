/**
 * Who may connect, for every front that takes connections (native TCP, IRC, web): one count
 * for the whole server, so its caps hold however the connections are spread over the fronts.
 * A connection is admitted when the server, the peer's address and the queue of connections
 * that have not logged in yet all have room; it then holds a ticket until it closes. A ticket
 * that is not marked logged in within the login time says so, and its front closes it.
 */
import { isIPv6 } from 'node:net';
import type { Logger } from '../core/log.js';

export interface AdmissionLimits {
  /** Connections open at once, over every front. */
  maxConnections: number;
  /** Connections from one address (an IPv6 /64 counts as one address). */
  maxPerAddress: number;
  /** Connections that have not logged in yet. */
  maxPending: number;
  /** How long a connection may take to log in. */
  loginTimeoutMs: number;
}

export type Verdict = { ok: true; ticket: Ticket } | { ok: false; why: string };

type Cap = 'server' | 'address' | 'pending';

/** Refusals are logged at most this often (with how many there were), so a flood cannot flood the log. */
const WARN_EVERY_MS = 60_000;

/** The part of an address that one user controls: an IPv4 address (IPv4-mapped IPv6 too), or an IPv6 /64. */
export function addressKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const bare = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return mapped[1]!;
  if (!isIPv6(bare)) return bare;
  const [head = '', tail] = bare.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

export class Admission {
  private open = 0;
  private pending = 0;
  private readonly byAddress = new Map<string, number>();
  private readonly refused: Record<Cap, number> = { server: 0, address: 0, pending: 0 };
  private lastWarn = -Infinity;

  constructor(
    readonly limits: AdmissionLimits,
    private readonly log: Logger,
  ) {}

  /** Admits a new connection from `address`, or says why not (words for the peer). */
  admit(address: string | undefined): Verdict {
    const key = addressKey(address);
    const fromAddress = this.byAddress.get(key) ?? 0;
    const { maxConnections, maxPerAddress, maxPending } = this.limits;
    if (this.open >= maxConnections) return this.refuse('server', `the server has no room for more connections (${maxConnections}); try again later`);
    if (fromAddress >= maxPerAddress) return this.refuse('address', `too many connections from your address (${maxPerAddress}); close some and try again`);
    if (this.pending >= maxPending) return this.refuse('pending', 'too many connections are waiting to log in; try again in a moment');
    this.open++;
    this.pending++;
    this.byAddress.set(key, fromAddress + 1);
    return { ok: true, ticket: new Ticket(this, key) };
  }

  /** Connections open now, and how many of them have not logged in. */
  counts(): { open: number; pending: number } {
    return { open: this.open, pending: this.pending };
  }

  /** @internal A ticket stopped waiting for its login. */
  loggedIn(): void {
    this.pending--;
  }

  /** @internal A ticket's connection closed. */
  released(key: string, wasPending: boolean): void {
    this.open--;
    if (wasPending) this.pending--;
    const left = (this.byAddress.get(key) ?? 1) - 1;
    if (left > 0) this.byAddress.set(key, left);
    else this.byAddress.delete(key);
  }

  private refuse(cap: Cap, why: string): Verdict {
    this.refused[cap]++;
    const now = performance.now();
    if (now - this.lastWarn >= WARN_EVERY_MS) {
      this.lastWarn = now;
      this.log.warn('refusing connections over the caps (counts since the last such line)', { ...this.refused, open: this.open, pending: this.pending });
      this.refused.server = this.refused.address = this.refused.pending = 0;
    }
    return { ok: false, why };
  }
}

/** One admitted connection's place in the counts. */
export class Ticket {
  private state: 'pending' | 'in' | 'gone' = 'pending';
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly admission: Admission,
    private readonly key: string,
  ) {}

  /** Calls `late` with words for the peer (`log in within 120 seconds of connecting`) if the connection has not logged in within the login time. */
  whenLate(late: (why: string) => void): void {
    if (this.state !== 'pending') return;
    const ms = this.admission.limits.loginTimeoutMs;
    const seconds = ms / 1000;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.state === 'pending') late(`log in within ${seconds} second${seconds === 1 ? '' : 's'} of connecting`);
    }, ms);
    this.timer.unref();
  }

  /** The connection logged in: it no longer counts as pending, and has no deadline. */
  loggedIn(): void {
    if (this.state !== 'pending') return;
    this.state = 'in';
    this.stopTimer();
    this.admission.loggedIn();
  }

  /** The connection closed (safe to call more than once). */
  release(): void {
    if (this.state === 'gone') return;
    const wasPending = this.state === 'pending';
    this.state = 'gone';
    this.stopTimer();
    this.admission.released(this.key, wasPending);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
