/**
 * A bus that loses, repeats and reorders: a Transport in front of another that drops some texts,
 * publishes some twice, and holds some back until the next one has gone (seeded, so a failure
 * can be replayed). For tests that the cluster's links stay exactly-once and in order.
 */
import type { Transport } from '../../src/cluster/transport.js';

export interface Losses {
  drop: number;
  duplicate: number;
  reorder: number;
}

export class LossyTransport implements Transport {
  private held: { subject: string; data: string } | null = null;
  private state: number;
  readonly counts = { dropped: 0, duplicated: 0, reordered: 0 };

  constructor(
    private readonly inner: Transport,
    private readonly losses: Losses,
    seed: number,
  ) {
    this.state = seed >>> 0 || 1;
  }

  /** xorshift32: the same seed, the same losses. */
  private random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }

  publish(subject: string, data: string): void {
    if (this.random() < this.losses.drop) {
      this.counts.dropped++;
      return;
    }
    if (this.held === null && this.random() < this.losses.reorder) {
      this.counts.reordered++;
      this.held = { subject, data };
      return;
    }
    this.inner.publish(subject, data);
    if (this.random() < this.losses.duplicate) {
      this.counts.duplicated++;
      this.inner.publish(subject, data);
    }
    const held = this.held;
    this.held = null;
    if (held) this.inner.publish(held.subject, held.data);
  }

  subscribe(subject: string, hear: (data: string) => void): () => void {
    return this.inner.subscribe(subject, hear);
  }
}
