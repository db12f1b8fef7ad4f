/**
 * Flood control per connection: a token bucket lets a burst of lines through at once and then
 * a steady rate; lines beyond it wait in a short queue (delayed, not lost) and only lines that
 * find the queue full are refused, each with a notice. Clock and timers are injected.
 */

export interface ThrottleOptions {
  /** Lines accepted at once from a full bucket. */
  burst: number;
  /** Lines per second the bucket refills. */
  perSecond: number;
  /** Lines that may wait for a token; more are refused. */
  maxQueued: number;
}

export interface ThrottleTimers {
  now(): number;
  /** Runs `fn` after `ms`; returns a canceller. */
  after(ms: number, fn: () => void): () => void;
}

export const realTimers: ThrottleTimers = {
  now: () => performance.now(),
  after: (ms, fn) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

export class Throttle<T> {
  private tokens: number;
  private last: number;
  private readonly queue: T[] = [];
  private cancel: (() => void) | null = null;

  constructor(
    private readonly options: ThrottleOptions,
    private readonly run: (item: T) => void,
    private readonly refuse: (item: T) => void,
    private readonly timers: ThrottleTimers = realTimers,
  ) {
    this.tokens = options.burst;
    this.last = timers.now();
  }

  /** Runs the item now, later, or refuses it. Items run in the order offered. */
  offer(item: T): void {
    if (this.queue.length === 0 && this.take()) return this.run(item);
    if (this.queue.length >= this.options.maxQueued) return this.refuse(item);
    this.queue.push(item);
    this.schedule();
  }

  /** Forgets the queue and cancels the timer (the connection is closing). */
  stop(): void {
    this.queue.length = 0;
    this.cancel?.();
    this.cancel = null;
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
    while (this.queue.length > 0 && this.take()) this.run(this.queue.shift()!);
    if (this.queue.length > 0) this.schedule();
  }
}
