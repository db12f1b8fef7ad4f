import { describe, expect, it } from 'vitest';
import { mulberry32 } from './random.js';
import { linesPerSecFor, meanFanOut, planRooms, roomSizes } from './room-plan.js';

describe('roomSizes', () => {
  it.each([
    [1000, 10, 50],
    [20_000, 10, 50],
    [55, 10, 50],
    [10, 10, 50],
    [2000, 2000, 2000],
  ])('splits %i memberships into rooms of %i to %i that add up exactly', (total, min, max) => {
    const sizes = roomSizes(total, min, max, mulberry32(1));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
    for (const s of sizes) expect(s >= min && s <= max, `size ${s}`).toBe(true);
  });

  it('refuses what no rooms can hold', () => {
    expect(() => roomSizes(9, 10, 50, mulberry32(1))).toThrow(/no rooms of 10 to 50/);
  });
});

describe('planRooms', () => {
  it.each([1, 5, 10, 20])('puts each of 1,000 users in exactly %i rooms of 10 to 50, none twice in one', (perUser) => {
    const rooms = planRooms(1000, { perUser, minSize: 10, maxSize: 50 });
    const count = new Array<number>(1000).fill(0);
    for (const room of rooms) {
      expect(new Set(room).size).toBe(room.length);
      expect(room.length >= 10 && room.length <= 50).toBe(true);
      for (const u of room) count[u]!++;
    }
    expect(new Set(count)).toEqual(new Set([perUser]));
  });

  it('makes one room of everyone', () => {
    expect(planRooms(250, { perUser: 1, minSize: 250, maxSize: 250 })).toEqual([Array.from({ length: 250 }, (_, i) => i)]);
  });

  it('is the same plan every time', () => {
    const spec = { perUser: 5, minSize: 10, maxSize: 50 };
    expect(planRooms(300, spec)).toEqual(planRooms(300, spec));
  });

  it('refuses rooms larger than the users', () => {
    expect(() => planRooms(20, { perUser: 1, minSize: 10, maxSize: 50 })).toThrow(/need that many users/);
  });
});

describe('fan-out', () => {
  it('weighs each room by its memberships, since every membership sends as often', () => {
    // 10 memberships deliver to 9 each, 2 to 1 each: (90 + 2) / 12.
    expect(meanFanOut([Array.from({ length: 10 }, (_, i) => i), [0, 1]])).toBeCloseTo(92 / 12);
    expect(meanFanOut([Array.from({ length: 2000 }, (_, i) => i)])).toBe(1999);
  });

  it('sets the offered lines/s for a total of deliveries/s', () => {
    expect(linesPerSecFor(100_000, [Array.from({ length: 2001 }, (_, i) => i)])).toBe(50);
    expect(linesPerSecFor(10, [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]])).toBe(1);
  });
});
