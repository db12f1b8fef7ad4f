/**
 * The contract of reading history page by page (HistoryStore.page and .conversations), run by
 * every store beside history-contract.ts: a page holds exactly the lines the user was entitled
 * to (as search does), between its bounds, in order, and no more than asked. Test-only code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Chat, freshChats } from './history-contract.js';
import type { HistoryBound, HistoryStore, PageRequest } from './history.js';

const T0 = Date.UTC(2026, 0, 1);

/** What a page holds, as `group.seq` (the chat's line times are T0 + seq). */
const seqs = (h: HistoryStore, user: string, place: { label: string } | { group: number }, request: Partial<PageRequest> = {}): string[] =>
  h.page(user, place, { newest: true, limit: 100, ...request }).map((l) => `${l.group}.${l.seq}`);

export function describeHistoryPageContract(name: string, make: () => HistoryStore): void {
  describe(`${name} reads history page by page`, () => {
    const fresh = freshChats(make);

    /** Group 1 (#tea): bob in for lines 3-4 and again from 7; alice from the start. */
    function tea(): Chat {
      const c = fresh();
      c.open(1, 'room', '#tea');
      c.join('alice', 1);
      for (let i = 1; i <= 8; i++) {
        if (i === 3 || i === 7) c.join('bob', 1);
        if (i === 5) c.leave('bob', 1);
        c.say(1, 'alice', `line ${i}`);
      }
      c.h.commit();
      return c;
    }

    it('gives a member only the lines said while they were in, newest or oldest, oldest first', () => {
      const c = tea();
      expect(seqs(c.h, 'bob', { label: '#tea' })).toEqual(['1.3', '1.4', '1.7', '1.8']);
      expect(seqs(c.h, 'bob', { label: '#tea' }, { limit: 3 })).toEqual(['1.4', '1.7', '1.8']);
      expect(seqs(c.h, 'bob', { label: '#tea' }, { newest: false, limit: 3 })).toEqual(['1.3', '1.4', '1.7']);
      expect(seqs(c.h, 'alice', { label: '#TEA' })).toHaveLength(8);
      expect(seqs(c.h, 'carol', { label: '#tea' })).toEqual([]);
      expect(c.h.page('bob', { label: '#tea' }, { newest: true, limit: 1 })).toEqual([
        { id: 8, group: 1, seq: 8, sender: 'alice', senderKey: 'alice', text: 'line 8', ts: T0 + 8, label: '#tea' },
      ]);
    });

    it('leaves out both bounds, given as lines or as moments', () => {
      const c = tea();
      const at = (seq: number): HistoryBound => ({ group: 1, seq });
      expect(seqs(c.h, 'bob', { label: '#tea' }, { after: at(3) })).toEqual(['1.4', '1.7', '1.8']);
      expect(seqs(c.h, 'bob', { label: '#tea' }, { before: at(8), limit: 2 })).toEqual(['1.4', '1.7']);
      expect(seqs(c.h, 'bob', { label: '#tea' }, { after: at(3), before: at(8) })).toEqual(['1.4', '1.7']);
      expect(seqs(c.h, 'bob', { label: '#tea' }, { after: { ts: T0 + 3 }, newest: false })).toEqual(['1.4', '1.7', '1.8']);
      expect(seqs(c.h, 'bob', { label: '#tea' }, { before: { ts: T0 + 7 } })).toEqual(['1.3', '1.4']);
      expect(seqs(c.h, 'bob', { label: '#tea' }, { after: { ts: T0 + 4 }, before: { ts: T0 + 7 } })).toEqual([]);
      expect(seqs(c.h, 'alice', { label: '#tea' }, { after: { ts: T0 + 100 } })).toEqual([]);
      expect(seqs(c.h, 'alice', { label: '#tea' }, { before: { ts: T0 } })).toEqual([]);
    });

    it("reads a room across its lives (ids), in the order they were said, and a direct conversation by its group", () => {
      const c = tea();
      c.open(5, 'room', '#Tea');
      c.join('bob', 5);
      c.say(5, 'bob', 'second life');
      c.open(6, 'room', '#cake');
      c.join('bob', 6);
      c.say(6, 'bob', 'elsewhere');
      const direct = c.h.directGroup('bob', 'alice', 9, 'bob+alice');
      c.join('bob', direct);
      c.join('alice', direct);
      c.say(direct, 'alice', 'psst');
      c.h.commit();
      expect(seqs(c.h, 'bob', { label: '#tea' })).toEqual(['1.3', '1.4', '1.7', '1.8', '5.1']);
      expect(seqs(c.h, 'bob', { label: '#tea' }, { limit: 2 })).toEqual(['1.8', '5.1']);
      expect(seqs(c.h, 'bob', { label: '#tea' }, { after: { group: 1, seq: 7 }, newest: false })).toEqual(['1.8', '5.1']);
      expect(seqs(c.h, 'bob', { label: '#tea' }, { before: { group: 5, seq: 1 }, limit: 1 })).toEqual(['1.8']);
      expect(seqs(c.h, 'bob', { label: '#tea' }, { after: { group: 5, seq: 1 } })).toEqual([]);
      expect(c.h.findDirect('alice', 'bob')).toBe(9);
      expect(c.h.findDirect('alice', 'carol')).toBeUndefined();
      expect(c.h.page('bob', { group: 9 }, { newest: true, limit: 10 }).map((l) => [l.text, l.label])).toEqual([['psst', 'bob+alice']]);
      expect(seqs(c.h, 'carol', { group: 9 })).toEqual([]);
    });

    it('counts the lines said between two bounds that the user could see, across lives, an open interval up to its last line', () => {
      const c = tea();
      expect(c.h.said('bob', { label: '#tea' })).toBe(4);
      expect(c.h.said('bob', { label: '#tea' }, { group: 1, seq: 3 })).toBe(3);
      expect(c.h.said('bob', { label: '#tea' }, { group: 1, seq: 3 }, { group: 1, seq: 8 })).toBe(2);
      expect(c.h.said('alice', { label: '#TEA' }, { ts: T0 + 2 })).toBe(6);
      c.open(5, 'room', '#tea');
      c.join('bob', 5);
      c.say(5, 'alice', 'second life');
      c.h.commit();
      expect(c.h.said('bob', { label: '#tea' }, { group: 1, seq: 7 })).toBe(2);
      expect(c.h.said('carol', { label: '#tea' })).toBe(0);
      expect(c.h.said('bob', { group: 5 })).toBe(1);
    });

    it('lists the groups with lines the user may see in a time range, with the newest one', () => {
      const c = tea();
      c.open(2, 'adhoc');
      c.join('bob', 2);
      c.say(2, 'bob', 'alone');
      c.h.commit();
      const list = (after: number, before: number): unknown[] => c.h.conversations('bob', after, before).sort((a, b) => a.group - b.group);
      expect(list(0, T0 + 100)).toEqual([
        { group: 1, label: '#tea', ts: T0 + 8 },
        { group: 2, label: '#group-2', ts: T0 + 1 },
      ]);
      expect(list(T0 + 1, T0 + 7)).toEqual([{ group: 1, label: '#tea', ts: T0 + 4 }]);
      expect(list(T0 + 4, T0 + 7)).toEqual([]);
      expect(c.h.conversations('carol', 0, T0 + 100)).toEqual([]);
    });

    it('pages through exactly the lines a user was entitled to, whatever the joins, leaves and bounds', async () => {
      const step = fc.record({ kind: fc.constantFrom('join' as const, 'leave' as const, 'say' as const, 'say' as const), user: fc.constantFrom('u0', 'u1'), group: fc.constantFrom(1, 2) });
      const bound = fc.option(fc.oneof(fc.record({ group: fc.constantFrom(1, 2), seq: fc.integer({ min: 0, max: 30 }) }), fc.record({ ts: fc.integer({ min: T0, max: T0 + 30 }) })), { nil: undefined });
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 50 }), bound, bound, fc.boolean(), fc.integer({ min: 1, max: 8 }), async (steps, after, before, newest, limit) => {
          const c = new Chat(make());
          // Two lives of one room, one after the other.
          c.open(1, 'room', '#r');
          c.open(2, 'room', '#R');
          const inside = new Set<string>();
          const entitled: string[] = [];
          const ordered = [...steps.filter((s) => s.group === 1), ...steps.filter((s) => s.group === 2)];
          for (const s of ordered) {
            const where = `${s.user}@${s.group}`;
            if (s.kind === 'join' && !inside.has(where)) {
              c.join(s.user, s.group);
              inside.add(where);
            } else if (s.kind === 'leave' && inside.delete(where)) c.leave(s.user, s.group);
            else if (s.kind === 'say') {
              const line = c.say(s.group, s.user, 'x');
              if (inside.has(`u0@${s.group}`)) entitled.push(`${line.group}.${line.seq}`);
            }
          }
          c.h.commit();
          const pos = (p: string): [number, number] => p.split('.').map(Number) as [number, number];
          const past = (p: string, b: HistoryBound | undefined, sign: 1 | -1): boolean => {
            if (b === undefined) return true;
            const [g, s] = pos(p);
            if ('ts' in b) return sign * (T0 + s - b.ts) > 0;
            return sign * (g - b.group || s - b.seq) > 0;
          };
          const between = entitled.filter((p) => past(p, after, 1) && past(p, before, -1));
          const expected = newest ? between.slice(Math.max(0, between.length - limit)) : between.slice(0, limit);
          const request: PageRequest = { newest, limit, ...(after ? { after } : {}), ...(before ? { before } : {}) };
          expect(seqs(c.h, 'u0', { label: '#r' }, request)).toEqual(expected);
          await c.h.close();
        }),
        { numRuns: 150 },
      );
    });
  });
}
