/**
 * The generator's senders: who writes where, and how many deliveries each line makes. In the
 * classic shape every client writes to its one group; in the flat-cost scenarios' rooms (IRC
 * only) every membership is a sender of its own, taken in a seeded random order so each user
 * writes at its own times rather than all its rooms at once.
 */
import type { BenchClient, IrcClient } from './clients.js';
import { mulberry32, shuffled } from './random.js';
import { planRooms, type RoomSpec } from './room-plan.js';
import type { GenProgress } from './types.js';

/** One place lines are written, and the deliveries each line there should make. */
export interface Speaker {
  say(lines: readonly string[]): void;
  fanOut: number;
}

/**
 * Members of one room that join at once. Each join may cost the server work for every member
 * already in (ours: each member's IRC session compares the whole member list), so in a room of
 * thousands a large batch can take longer than a join's 30 s deadline; 20 keep the server busy.
 */
const JOIN_BATCH = 20;

/** Every client writing to its group of `groupSize` (already joined). */
export function groupSpeakers(clients: readonly BenchClient[], groupSize: number): Speaker[] {
  return clients.map((c) => ({ say: (lines) => c.send(lines), fanOut: groupSize - 1 }));
}

/** Joins each client to its rooms as planRooms plans them, telling progress in memberships; resolves with a speaker per membership. */
export async function joinRooms(prefix: string, clients: readonly IrcClient[], spec: RoomSpec, tell: (p: GenProgress) => void): Promise<Speaker[]> {
  const rooms = planRooms(clients.length, spec);
  const total = rooms.reduce((sum, r) => sum + r.length, 0);
  const speakers: Speaker[] = [];
  let done = 0;
  for (const [r, members] of rooms.entries()) {
    const channel = `#bench-${prefix}r${r}`;
    for (let i = 0; i < members.length; i += JOIN_BATCH) {
      const batch = members.slice(i, i + JOIN_BATCH).map((u) => clients[u]!);
      await Promise.all(batch.map((c) => c.join(channel)));
      done += batch.length;
      tell({ kind: 'join', done, total });
    }
    for (const u of members) speakers.push({ say: (lines) => clients[u]!.sendTo(channel, lines), fanOut: members.length - 1 });
  }
  return shuffled(speakers, mulberry32(total));
}
