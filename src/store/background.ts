/**
 * Background threads yield the core to the event loop. The index worker's work (and, on a loaded
 * machine, its bursts of a few milliseconds every round) would otherwise take turns with the
 * thread that delivers lines, adding its bursts to their latency; at the lowest CPU priority
 * (nice 19) it runs when the event loop does not, and a read that waits for it leaves the core
 * to it. Linux only (a thread's priority is its own there); elsewhere nothing changes.
 */
import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/** Lowers the calling thread's CPU priority to the lowest; false where that cannot be done. */
export function yieldToEventLoop(): boolean {
  try {
    // /proc/thread-self names this thread: <pid>/task/<tid>.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid)) return false;
    setPriority(tid, constants.priority.PRIORITY_LOW);
    return true;
  } catch {
    return false;
  }
}
