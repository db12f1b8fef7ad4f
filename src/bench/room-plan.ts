/**
 * Who is in which room for the flat-cost scenarios: one big room, or every user in the same
 * number of rooms of mixed sizes. The plan is pure and seeded, so the runner (which needs the
 * fan-out to set the offered rate) and the generator (which joins and sends) agree on it.
 */
import { mulberry32, shuffled } from './random.js';

/** Rooms every user is in, and the sizes rooms are drawn from (one room of everyone: perUser 1, both sizes the user count). */
export interface RoomSpec {
  perUser: number;
  minSize: number;
  maxSize: number;
}

const SEED = 20261207;

/** Room sizes in [min, max] that add up to `total` memberships exactly (total must be at least min). */
export function roomSizes(total: number, min: number, max: number, random: () => number): number[] {
  if (total < min || min > max) throw new Error(`no rooms of ${min} to ${max} members hold ${total} memberships`);
  const sizes: number[] = [];
  let left = total;
  while (left > max) {
    // Never leave a remainder too small to be a room of its own.
    const top = Math.min(max, left - min);
    const size = min + Math.floor(random() * (top - min + 1));
    sizes.push(size);
    left -= size;
  }
  sizes.push(left);
  return sizes;
}

/**
 * Rooms as lists of user indices (0..users-1): each user in exactly `perUser` rooms, no user twice
 * in a room. Each room takes the users with the most rooms still to join (ties in a seeded random
 * order), which keeps everyone within one room of the others, so the last rooms always fill.
 */
export function planRooms(users: number, spec: RoomSpec): number[][] {
  if (spec.maxSize > users) throw new Error(`rooms of up to ${spec.maxSize} members need that many users, not ${users}`);
  const random = mulberry32(SEED);
  const left = new Array<number>(users).fill(spec.perUser);
  const order = shuffled(Array.from({ length: users }, (_, i) => i), random);
  return roomSizes(users * spec.perUser, spec.minSize, spec.maxSize, random).map((size) => {
    // A stable sort: among users with as many rooms left, the tie order decides.
    const chosen = [...order].sort((a, b) => left[b]! - left[a]!).slice(0, size);
    for (const u of chosen) left[u]!--;
    // Those just chosen go last in the tie order, so rooms mix different users.
    const taken = new Set(chosen);
    order.splice(0, order.length, ...order.filter((u) => !taken.has(u)), ...chosen);
    return chosen.sort((a, b) => a - b);
  });
}

/** Deliveries per chat line when every membership sends equally often: each line reaches the other members of its room. */
export function meanFanOut(rooms: readonly (readonly number[])[]): number {
  const memberships = rooms.reduce((sum, r) => sum + r.length, 0);
  return rooms.reduce((sum, r) => sum + r.length * (r.length - 1), 0) / memberships;
}

/** The offered lines/s that makes `deliveriesPerSec` deliveries at this plan's fan-out, rounded to a whole line. */
export function linesPerSecFor(deliveriesPerSec: number, rooms: readonly (readonly number[])[]): number {
  return Math.max(1, Math.round(deliveriesPerSec / meanFanOut(rooms)));
}
