/**
 * The contract every KeepStore keeps (in memory, SQLite), as a test suite each implementation
 * runs. Test-only code; it sits next to the interface it pins down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Kept, KeepStore } from './keeps.js';

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
  });
}
