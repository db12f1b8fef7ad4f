/**
 * The rate limit per Discord user, with the limits a connection has on the other fronts: a
 * burst of commands and lines, then a steady rate. Nothing waits (a slash command must be
 * answered within 3 seconds, and Discord's own client paces people far below the limit):
 * beyond it a command is refused at once. Refused messages are answered with one reply
 * however many arrive before it is posted, so a flood cannot make the bot flood back.
 */
import { Throttle, type ThrottleOptions, type ThrottleSink } from '../../core/throttle.js';
import type { Text } from './responders.js';

interface Attempt {
  run(): void;
  refuse(): void;
}

/** Every user's throttle hands its attempts back to themselves. */
const ATTEMPTS: ThrottleSink<Attempt> = { run: (a) => a.run(), refuse: (a) => a.refuse() };

/** The answer to a refused slash command. */
export const TOO_FAST = 'You are sending too fast: that was dropped. Wait a moment and try again.';

/** A reply still unposted after this long is taken for lost (its lane dropped it): the next refusal gets its own. */
const REPLY_LOST_MS = 30_000;

interface PendingReply {
  count: number;
  since: number;
}

export class Pace {
  private readonly limits: ThrottleOptions;
  private readonly buckets = new Map<string, { throttle: Throttle<Attempt>; last: number }>();
  /** Refused messages per user whose reply is not posted yet. */
  private readonly refused = new Map<string, PendingReply>();
  private sweepAt = 256;

  constructor(limits: ThrottleOptions) {
    this.limits = { ...limits, maxQueued: 0 };
  }

  /** Runs `job` if the user is within the limit, else calls `refuse`. */
  run(userId: string, job: () => void, refuse: () => void): void {
    let bucket = this.buckets.get(userId);
    if (!bucket) {
      this.sweep();
      bucket = { throttle: new Throttle<Attempt>(this.limits, ATTEMPTS), last: 0 };
      this.buckets.set(userId, bucket);
    }
    bucket.last = performance.now();
    bucket.throttle.offer({ run: job, refuse });
  }

  /**
   * The reply to a refused message, or null when a reply to earlier ones is still waiting to
   * be posted (it will count this one too: its words are written when it is posted).
   */
  refusal(userId: string): Text | null {
    const now = performance.now();
    const waiting = this.refused.get(userId);
    if (waiting && now - waiting.since < REPLY_LOST_MS) {
      waiting.count++;
      return null;
    }
    const reply: PendingReply = { count: 1, since: now };
    this.refused.set(userId, reply);
    return async () => {
      if (this.refused.get(userId) === reply) this.refused.delete(userId);
      const what = reply.count === 1 ? 'that message was' : `${reply.count} messages were`;
      return `You are sending too fast: ${what} dropped. Wait a moment and send again.`;
    };
  }

  /** Forgets the buckets of users quiet long enough to have a full one again (amortised: when the map has doubled). */
  private sweep(): void {
    if (this.buckets.size < this.sweepAt) return;
    const full = (this.limits.burst / this.limits.perSecond) * 1000;
    const now = performance.now();
    for (const [id, bucket] of this.buckets) if (now - bucket.last >= full) this.buckets.delete(id);
    this.sweepAt = Math.max(256, this.buckets.size * 2);
  }
}
