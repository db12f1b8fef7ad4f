/**
 * The fan-out seam: stored lines on their way to their groups' members. The hub publishes each
 * committed batch and hears every batch published (its own included) through its subscription,
 * which delivers to the members it holds. In one process the bus hands a batch straight to the
 * subscriber; a cluster's bus carries it to every node.
 */
import type { ServerEvent } from './protocol.js';

/** One stored line, as the bus carries it. */
export interface Published {
  group: number;
  seq: number;
  /** The sender's name key: they are not sent their own line. */
  senderKey: string;
  event: Extract<ServerEvent, { action: 'exchange' }>;
  /** performance.now() when the line was said (fan-out latency; meaningful on the node that stored it). */
  at: number;
}

export interface Bus {
  publish(lines: readonly Published[]): void;
  /** Every published batch reaches `deliver`, in the order published. */
  subscribe(deliver: (lines: readonly Published[]) => void): void;
}

/** The in-process bus: a published batch is delivered at once. */
export class LocalBus implements Bus {
  private subscribers: ((lines: readonly Published[]) => void)[] = [];

  publish(lines: readonly Published[]): void {
    for (const deliver of this.subscribers) deliver(lines);
  }

  subscribe(deliver: (lines: readonly Published[]) => void): void {
    this.subscribers.push(deliver);
  }
}
