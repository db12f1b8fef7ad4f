/**
 * The contract every KeepStore keeps (in memory, SQLite), as a test suite each implementation
 * runs. Test-only code; it sits next to the interface it pins down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NO_MODES } from './groups.js';
import type { Kept, KeepStore, RestingRoom } from './keeps.js';

const resting = (place: string, since: number): RestingRoom => ({ place, topic: 'tulips', topicBy: 'ann', locked: true, modes: { ...NO_MODES, key: 'sesame', limit: 3 }, since });

const tea = (userKey: string, group: number, seen = 0): Kept => ({ userKey, kind: 'room', place: '#tea', label: '#Tea', group, seenGroup: group, seenSeq: seen });
const direct = (userKey: string, group: number): Kept => ({ userKey, kind: 'direct', place: String(group), label: 'alice+bob', group, seenGroup: group, seenSeq: 4 });

export function describeKeepsContract(name: string, make: () => KeepStore): void {
  describe(`${name} keeps the keeps contract`, () => {
    const open: KeepStore[] = [];
    afterEach(() => {
      for (const k of open.splice(0)) k.close();
    });
    const fresh = (): KeepStore => {
      const k = make();
      open.push(k);
      return k;
    };

    it('keeps one row per user and place, replaced in place, in the order first kept', () => {
      const keeps = fresh();
      keeps.put(tea('a', 1));
      keeps.put(direct('a', 7));
      keeps.put(tea('b', 1));
      keeps.put(tea('a', 3, 9));
      expect(keeps.of('a')).toEqual([tea('a', 3, 9), direct('a', 7)]);
      expect(keeps.room('#tea')).toEqual([tea('a', 3, 9), tea('b', 1)]);
      expect(keeps.room('#cake')).toEqual([]);
      expect(keeps.directs()).toEqual([direct('a', 7)]);
    });

    it('drops one membership and leaves the others', () => {
      const keeps = fresh();
      keeps.put(tea('a', 1));
      keeps.put(tea('b', 1));
      keeps.put(direct('a', 7));
      keeps.drop('a', 'room', '#tea');
      keeps.drop('a', 'room', '#cake');
      expect(keeps.of('a')).toEqual([direct('a', 7)]);
      expect(keeps.room('#tea')).toEqual([tea('b', 1)]);
    });

    it('hands out copies: changing one changes nothing kept', () => {
      const keeps = fresh();
      const row = tea('a', 1);
      keeps.put(row);
      row.seenSeq = 99;
      keeps.of('a')[0]!.group = 42;
      expect(keeps.of('a')).toEqual([tea('a', 1)]);
    });

    it('lets a room rest until it wakes, once', () => {
      const keeps = fresh();
      keeps.rest(resting('#tea', 5));
      keeps.rest(resting('#tea', 7));
      expect(keeps.wake('#tea')).toEqual(resting('#tea', 7));
      expect(keeps.wake('#tea')).toBeUndefined();
      expect(keeps.wake('#cake')).toBeUndefined();
    });

    it('forgets the rooms that rested since before a moment and that no membership keeps', () => {
      const keeps = fresh();
      keeps.rest(resting('#old', 1));
      keeps.rest(resting('#kept', 1));
      keeps.rest(resting('#new', 10));
      keeps.put({ ...tea('a', 1), place: '#kept' });
      keeps.forget(5);
      expect(keeps.wake('#old')).toBeUndefined();
      expect(keeps.wake('#kept')).toEqual(resting('#kept', 1));
      expect(keeps.wake('#new')).toEqual(resting('#new', 10));
    });
  });
}
