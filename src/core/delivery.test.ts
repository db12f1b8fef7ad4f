import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bus, Published } from './bus.js';
import { Hub } from './hub.js';
import { MemoryAccounts } from './memory-accounts.js';
import { MemoryHistory } from './memory-history.js';
import type { ServerEvent } from './protocol.js';
import { parseSearchQuery } from './search-query.js';
import { parseSonnets, SonnetBook } from './sonnets.js';

const sonnets = new SonnetBook(parseSonnets('I.\n\nOne line of verse\n'));
const names = ['ann', 'bob', 'cy', 'dee'];
const rooms = ['#r1', '#r2', '#r3'];

/**
 * One user's step; `flush`: the turn ends after it (lines said in the turn are stored and
 * published); `arrive`: what was published reaches the hub (as a cluster's bus would, later).
 */
type Step = { who: number; op: 'join' | 'leave' | 'say'; room: number; flush: boolean; arrive: boolean };
const stepArb: fc.Arbitrary<Step> = fc.record({
  who: fc.nat(names.length - 1),
  op: fc.constantFrom('join', 'leave', 'say', 'say'),
  room: fc.nat(rooms.length - 1),
  flush: fc.boolean(),
  arrive: fc.boolean(),
});

/** A bus that holds published lines until told to hand them on, in order. */
class LateBus implements Bus {
  private held: Published[][] = [];
  private deliver: (lines: readonly Published[]) => void = () => undefined;
  publish(lines: readonly Published[]): void {
    this.held.push([...lines]);
  }
  subscribe(deliver: (lines: readonly Published[]) => void): void {
    this.deliver = deliver;
  }
  arrive(): void {
    for (const lines of this.held.splice(0)) this.deliver(lines);
  }
}

describe('delivery by per-group sequence (property)', () => {
  it('gives every member exactly the lines said while they were in, in order, and search agrees', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), (steps) => {
        const quiet = () => undefined;
        const history = new MemoryHistory();
        const bus = new LateBus();
        const hub = new Hub({ history, bus, accounts: new MemoryAccounts(), sonnets, clock: { now: () => new Date(0) }, log: { debug: quiet, info: quiet, warn: quiet, error: quiet } });
        const got = names.map(() => [] as string[]);
        const sessions = names.map((name, i) => {
          const s = hub.open({ front: 'tcp', features: ['rooms'], deliver: (e: ServerEvent) => void (e.action === 'exchange' && got[i]!.push(e.message)) });
          void s.dispatch({ action: 'login', name });
          return s;
        });
        // the model: who is in which room; each line's recipients, who lose it if they leave before it arrives
        const inRoom = rooms.map(() => new Set<number>());
        const groupOf = new Map<number, number>();
        const expected = names.map(() => [] as string[]);
        /** What each user's history holds: the lines said while they were in, whether or not they arrived in time. */
        const entitled = names.map(() => new Set<string>());
        const lines: { text: string; room: number; to: Set<number>; published: boolean }[] = [];
        const publish = (): void => lines.forEach((l) => (l.published = true));
        const arrive = (): void => {
          while (lines[0]?.published) {
            const line = lines.shift()!;
            for (const r of line.to) expected[r]!.push(line.text);
          }
        };
        let n = 0;
        for (const { who, op, room, flush, arrive: arrives } of steps) {
          const group = groupOf.get(room);
          if (op === 'join') {
            void sessions[who]!.dispatch({ action: 'connect', target: rooms[room]! });
            publish();
            inRoom[room]!.add(who);
            groupOf.set(room, group ?? hub.groups.room(rooms[room]!)!.id);
          } else if (op === 'leave') {
            if (group === undefined || !inRoom[room]!.has(who)) continue;
            void sessions[who]!.dispatch({ action: 'disconnect', group });
            publish();
            inRoom[room]!.delete(who);
            for (const line of lines) if (line.room === room) line.to.delete(who);
            if (inRoom[room]!.size === 0) groupOf.delete(room);
          } else {
            if (group === undefined || !inRoom[room]!.has(who)) continue;
            const text = `w${n++}x`;
            void sessions[who]!.dispatch({ action: 'exchange', message: text, group });
            for (const m of inRoom[room]!) entitled[m]!.add(text);
            lines.push({ text, room, to: new Set([...inRoom[room]!].filter((m) => m !== who)), published: false });
          }
          if (flush) {
            hub.flush();
            publish();
          }
          if (arrives) {
            bus.arrive();
            arrive();
          }
        }
        hub.flush();
        bus.arrive();
        publish();
        arrive();
        expect(got).toEqual(expected);
        // search finds what each user was entitled to, and nothing else
        for (const [i] of names.entries()) {
          const seen = entitled[i]!;
          for (let k = 0; k < n; k++) {
            const word = `w${k}x`;
            const found = history.search(names[i]!, parseSearchQuery(word), 5).lines.length;
            expect(found, `${names[i]} searching ${word}`).toBe(seen.has(word) ? 1 : 0);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
