/**
 * Rate limiting per connection (or per user), shared by every front: a token bucket lets a
 * burst of requests through at once and then a steady rate; requests beyond it wait in a short
 * queue (delayed, not lost) and only those that find the queue full are refused, each handed
 * to `refuse` so the sender is told. Clock and timers are injected. A connection holds one for
 * its whole life, so it takes its two callbacks as one object (often the owner itself) and makes
 * its queue only when something waits.
 */

export interface ThrottleOptions {
  /** Requests accepted at once from a full bucket. */
  burst: number;
  /** Requests per second the bucket refills. */
  perSecond: number;
  /** Requests that may wait for a token; more are refused. */
  maxQueued: number;
}

export interface ThrottleTimers {
  now(): number;
  /** Runs `fn` after `ms`; returns a canceller. */
  after(ms: number, fn: () => void): () => void;
}

/** Where a throttle's requests go: run in order, or refused. */
export interface ThrottleSink<T> {
  run(item: T): void;
  refuse(item: T): void;
}

export const realTimers: ThrottleTimers = {
  now: () => performance.now(),
  after: (ms, fn) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

/** Characters that may wait in one throttle's queue, however few requests hold them (memory per connection stays bounded). */
export const MAX_QUEUED_CHARS = 256 * 1024;

export class Throttle<T> {
  private tokens: number;
  private last: number;
  private queue: { item: T; size: number }[] | null = null;
  private queuedSize = 0;
  private cancel: (() => void) | null = null;

  constructor(
    private readonly options: ThrottleOptions,
    private readonly sink: ThrottleSink<T>,
    private readonly timers: ThrottleTimers = realTimers,
  ) {
    this.tokens = options.burst;
    this.last = timers.now();
  }

  /** Runs the item now, later, or refuses it. Items run in the order offered. `size` counts against MAX_QUEUED_CHARS while it waits. */
  offer(item: T, size = 0): void {
    const queued = this.queue?.length ?? 0;
    if (queued === 0 && this.take()) return this.sink.run(item);
    if (queued >= this.options.maxQueued || this.queuedSize + size > MAX_QUEUED_CHARS) return this.sink.refuse(item);
    (this.queue ??= []).push({ item, size });
    this.queuedSize += size;
    this.schedule();
  }

  /** Forgets the queue and cancels the timer (the connection is closing). */
  stop(): void {
    this.queue = null;
    this.queuedSize = 0;
    this.cancel?.();
    this.cancel = null;
  }

  /**
   * Whether it is as a new one would be: nothing waits and the bucket is full again. Its owner
   * may then drop it and make a new one when a request comes.
   */
  idle(): boolean {
    if (this.queue !== null || this.cancel !== null) return false;
    this.refill();
    return this.tokens >= this.options.burst;
  }

  private refill(): void {
    const now = this.timers.now();
    this.tokens = Math.min(this.options.burst, this.tokens + ((now - this.last) / 1000) * this.options.perSecond);
    this.last = now;
  }

  private take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private schedule(): void {
    if (this.cancel) return;
    const wait = Math.max(1, Math.ceil(((1 - this.tokens) / this.options.perSecond) * 1000));
    this.cancel = this.timers.after(wait, () => {
      this.cancel = null;
      this.drain();
    });
  }

  private drain(): void {
    while (this.queue && this.queue.length > 0 && this.take()) {
      const { item, size } = this.queue.shift()!;
      this.queuedSize -= size;
      this.sink.run(item);
    }
    if (this.queue && this.queue.length > 0) this.schedule();
    else this.queue = null;
  }
}
