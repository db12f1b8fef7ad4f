/**
 * Everything the bot posts goes through a lane: one ordered queue per destination (a channel,
 * a thread, a user's DMs), so what one place shows keeps the order the hub gave it. All lanes
 * hold while the gateway is down and drain, in order, once it is back. A lane holds at most
 * `limit` posts; past that the oldest are dropped and the lane says how many, when it drains.
 * A post Discord refuses (4xx) is dropped and logged; any other failure is retried with backoff.
 */
import { DiscordAPIError } from 'discord.js';
import type { Logger } from '../../core/log.js';

export type Job = () => Promise<void>;

interface Item {
  job: Job;
  done(ok: boolean): void;
}

const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 30_000;

export class Lane {
  private queue: Item[] = [];
  private running = false;
  private dropped = 0;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly outbox: Outbox,
    readonly key: string,
    private readonly notice: (text: string) => Job,
  ) {}

  /** Queues a post; resolves true once it is done, false if it was refused or dropped. */
  push(job: Job): Promise<boolean> {
    return new Promise((done) => {
      if (this.queue.length >= this.outbox.limit) {
        const oldest = this.queue.splice(this.running ? 1 : 0, 1)[0];
        oldest?.done(false);
        this.dropped++;
      }
      this.queue.push({ job, done });
      this.pump();
    });
  }

  get size(): number {
    return this.queue.length;
  }

  pump(): void {
    if (this.running || this.retryTimer || !this.outbox.isOpen) return;
    this.running = true;
    void this.drain().finally(() => {
      this.running = false;
      this.outbox.settled();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && this.outbox.isOpen) {
      if (this.dropped > 0) {
        const n = this.dropped;
        this.dropped = 0;
        this.queue.unshift({ job: this.notice(`(${n} older message${n === 1 ? ' was' : 's were'} dropped while Discord was unreachable)`), done: () => {} });
      }
      const item = this.queue[0]!;
      try {
        await item.job();
        this.failures = 0;
        this.queue.shift();
        item.done(true);
      } catch (err) {
        if (err instanceof DiscordAPIError && err.status < 500) {
          this.outbox.log.warn('discord refused a post', { lane: this.key, status: err.status, code: String(err.code), why: err.message });
          this.queue.shift();
          item.done(false);
          continue;
        }
        const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** this.failures++);
        this.outbox.log.debug('discord post failed; retrying', { lane: this.key, in_ms: delay, err: String(err) });
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.pump();
        }, delay);
        this.retryTimer.unref();
        return;
      }
    }
  }

  /** Drops everything queued (at shutdown, after the grace period). */
  clear(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    for (const item of this.queue.splice(0)) item.done(false);
  }
}

export class Outbox {
  private open = false;
  private readonly lanes = new Map<string, Lane>();
  private waiters: (() => void)[] = [];
  private openWaiters: (() => void)[] = [];

  constructor(
    readonly log: Logger,
    readonly limit = 500,
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  /** The lane for a destination; `notice` posts a plain line to it (for the dropped-messages note). */
  lane(key: string, notice: (text: string) => Job): Lane {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = new Lane(this, key, notice);
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /** Opens (the gateway is up) or holds (it is down) every lane. */
  setOpen(open: boolean): void {
    this.open = open;
    if (!open) return;
    for (const lane of this.lanes.values()) lane.pump();
    for (const resolve of this.openWaiters.splice(0)) resolve();
  }

  /** Resolves when the lanes are open (at once if they are). */
  whenOpen(): Promise<void> {
    return this.open ? Promise.resolve() : new Promise((resolve) => this.openWaiters.push(resolve));
  }

  /** Posts still queued, over all lanes. */
  pending(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.size;
    return n;
  }

  /** Resolves when every lane is empty, or after `ms`. */
  async drained(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.pending() > 0 && this.open && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, Math.max(1, deadline - Date.now())).unref();
      });
    }
  }

  settled(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  clear(): void {
    for (const lane of this.lanes.values()) lane.clear();
    this.lanes.clear();
  }
}
