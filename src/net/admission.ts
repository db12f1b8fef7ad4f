/**
 * Who may connect, for every front that takes connections (native TCP, IRC, web): one count
 * for the whole server, so its caps hold however the connections are spread over the fronts.
 * A connection is admitted when the server, the peer's address and the queue of connections
 * that have not logged in yet all have room; it then holds a ticket until it closes. A ticket
 * that is not marked logged in within the login time says so, and its front closes it. A front
 * whose clients cannot take being closed at the login prompt (the course's client spins on a
 * closed socket) gives its tickets a longer deadline and lets them yield: when the queue of
 * connections waiting to log in is full, the oldest yielding one is closed to make room.
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
  /** How long a connection may take to log in (unless its front gives it a deadline of its own). */
  loginTimeoutMs: number;
}

export type Verdict = { ok: true; ticket: Ticket } | { ok: false; why: string };

/** How a ticket waits for its login: its own deadline, and whether it gives its place up to a newer connection. */
export interface Patience {
  /** The login time, instead of the limits' `loginTimeoutMs`. */
  afterMs?: number;
  /** When the queue of connections waiting to log in is full, this one (oldest first) is closed to make room. */
  yields?: boolean;
}

const PUSHED_OUT = 'too many connections are waiting to log in and this one has waited longest';

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
  /** Tickets waiting to log in that give their place up when the queue is full, oldest first. */
  private readonly yielding = new Set<Ticket>();

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
    if (this.pending >= maxPending && !this.makeRoom()) return this.refuse('pending', 'too many connections are waiting to log in; try again in a moment');
    this.open++;
    this.pending++;
    this.byAddress.set(key, fromAddress + 1);
    return { ok: true, ticket: new Ticket(this, key) };
  }

  /** Connections open now, and how many of them have not logged in. */
  counts(): { open: number; pending: number } {
    return { open: this.open, pending: this.pending };
  }

  /** @internal A ticket stopped waiting for its login (it logged in, or gave its place up). */
  stoppedWaiting(ticket: Ticket): void {
    this.pending--;
    this.yielding.delete(ticket);
  }

  /** @internal The ticket will give its place up when the queue is full. */
  mayYield(ticket: Ticket): void {
    this.yielding.add(ticket);
  }

  /** Closes the oldest waiting connection that yields; false when none does. */
  private makeRoom(): boolean {
    const [oldest] = this.yielding;
    if (!oldest) return false;
    oldest.giveUp(PUSHED_OUT);
    return true;
  }

  /** @internal A ticket's connection closed. */
  released(ticket: Ticket, key: string, wasPending: boolean): void {
    this.open--;
    if (wasPending) this.stoppedWaiting(ticket);
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

/** Releases the ticket when the socket closes (for a socket no connection owns yet: the listener's context holds the ticket alone). */
export function releaseOnClose(socket: { on(event: 'close', listener: () => void): unknown }, ticket: Ticket): void {
  socket.on('close', () => ticket.release());
}

/** One admitted connection's place in the counts. */
export class Ticket {
  /** `out`: it gave its place in the queue up and its connection is being closed. */
  private state: 'pending' | 'in' | 'out' | 'gone' = 'pending';
  private timer: NodeJS.Timeout | null = null;
  private late: ((why: string) => void) | null = null;

  constructor(
    private readonly admission: Admission,
    private readonly key: string,
  ) {}

  /**
   * Calls `late` with words for the peer (`log in within 120 seconds of connecting`) if the
   * connection has not logged in within the login time, or when it yields its place.
   */
  whenLate(late: (why: string) => void, patience: Patience = {}): void {
    if (this.state !== 'pending') return;
    this.late = late;
    if (patience.yields) this.admission.mayYield(this);
    const ms = patience.afterMs ?? this.admission.limits.loginTimeoutMs;
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
    this.late = null;
    this.stopTimer();
    this.admission.stoppedWaiting(this);
  }

  /** @internal Gives the place up at once (for a newer connection) and tells the front to close. */
  giveUp(why: string): void {
    if (this.state !== 'pending') return;
    this.state = 'out';
    this.stopTimer();
    this.admission.stoppedWaiting(this);
    this.late?.(why);
  }

  /** The connection closed (safe to call more than once). */
  release(): void {
    if (this.state === 'gone') return;
    const wasPending = this.state === 'pending';
    this.state = 'gone';
    this.stopTimer();
    this.admission.released(this, this.key, wasPending);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
