/**
 * The contract every HistoryStore keeps, as a test suite each implementation runs (in memory,
 * SQLite, and later a shared database): who may read which line, search, direct conversations,
 * sequences, adoption. Test-only code; it sits next to the interface it pins down.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryUnavailable, type GroupKind, type HistoryStore, type StoredLine } from './history.js';
import { searchContract, texts } from './history-search-contract.js';

export { texts };

export interface HistoryContractOptions {
  /** For a store that outlives its process: a new one, and a restart (close it, open its storage again). */
  durable?: () => { store: HistoryStore; reopen(): Promise<HistoryStore> };
  /** A new store whose commits fail while `fail(true)` holds, as with a full disk. */
  faulty?: () => { store: HistoryStore; fail(on: boolean): void };
}

const T0 = Date.UTC(2026, 0, 1);

/** Drives a store as the hub does: each group counts its own lines; joins and leaves name the seq they happen at. */
export class Chat {
  private readonly seqs = new Map<number, number>();

  constructor(readonly h: HistoryStore) {}

  seq(group: number): number {
    return this.seqs.get(group) ?? 0;
  }

  open(group: number, kind: GroupKind = 'adhoc', label = `#group-${group}`): void {
    this.h.opened(group, kind, label);
  }

  join(user: string, group: number): void {
    this.h.joined(user, group, this.seq(group));
  }

  leave(user: string, group: number): void {
    this.h.left(user, group, this.seq(group));
  }

  say(group: number, sender: string, text: string): StoredLine {
    const seq = this.seq(group) + 1;
    this.seqs.set(group, seq);
    return this.h.record({ group, sender, senderKey: sender, text, ts: T0 + seq, seq });
  }
}

/** Inside a describe: makes a Chat on a new store per call; every store made or put in `open` is closed after its test. */
export function freshChats(make: () => HistoryStore, open: HistoryStore[] = []): () => Chat {
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
  });
  return () => {
    const h = make();
    open.push(h);
    return new Chat(h);
  };
}

export function describeHistoryContract(name: string, make: () => HistoryStore, options: HistoryContractOptions = {}): void {
  describe(`${name} keeps the history contract`, () => {
    const open: HistoryStore[] = [];
    const fresh = freshChats(make, open);

    it('finds an edited line by its new words only and a deleted one by none, indexed or not yet, and never reuses its id or seq', () => {
      const c = fresh();
      c.open(1);
      c.join('alice', 1);
      const indexed = c.say(1, 'alice', 'tea at noon');
      const doomed = c.say(1, 'alice', 'tea with lemon');
      c.h.commit();
      expect(texts(c.h, 'alice', [['tea']])).toEqual(['tea at noon', 'tea with lemon']);
      const pending = c.say(1, 'alice', 'tea for two');
      c.h.commit();
      c.h.revise(indexed.id, 'coffee at noon');
      c.h.revise(pending.id, 'coffee for two');
      c.h.revise(doomed.id, null);
      const queued = c.say(1, 'alice', 'tea again');
      c.h.revise(queued.id, 'coffee again');
      c.h.revise(999, 'nothing');
      c.h.commit();
      expect(texts(c.h, 'alice', [['tea']])).toEqual([]);
      expect(texts(c.h, 'alice', [['coffee']])).toEqual(['coffee at noon', 'coffee for two', 'coffee again']);
      expect(texts(c.h, 'alice', [['lemon']])).toEqual([]);
      expect(c.h.line(indexed.id)).toMatchObject({ id: indexed.id, group: 1, seq: 1, sender: 'alice', senderKey: 'alice', text: 'coffee at noon' });
      expect(c.h.line(doomed.id)).toBeUndefined();
      expect(c.h.line(999)).toBeUndefined();
      // A deleted line is no longer counted among the stored ones.
      expect(c.h.lineCount()).toBe(3);
      // A page reads lines as they read now, and never a deleted one.
      expect(c.h.page('alice', { group: 1 }, { newest: true, limit: 10 }).map((l) => l.text)).toEqual(['coffee at noon', 'coffee for two', 'coffee again']);
      c.h.revise(queued.id, null);
      c.h.revise(doomed.id, null);
      c.h.commit();
      expect(c.h.lineCount()).toBe(2);
      expect(c.h.lastSeq(1)).toBe(4);
      expect(c.say(1, 'alice', 'tea once more').id).toBe(queued.id + 1);
    });

    it('gives lines ids in the order they are recorded, and finds them only once committed', () => {
      const c = fresh();
      c.open(1);
      c.join('alice', 1);
      c.join('bob', 1);
      expect(c.say(1, 'alice', 'hello world').id).toBe(1);
      expect(c.say(1, 'bob', 'Hello, Alice!').id).toBe(2);
      expect(c.h.search('bob', [['hello']], 10)).toEqual({ lines: [], total: 0 });
      expect(c.h.lineCount()).toBe(0);
      c.h.commit();
      expect(c.h.lineCount()).toBe(2);
      const page = c.h.search('bob', [['hello']], 10);
      expect(page.total).toBe(2);
      expect(page.lines).toEqual([
        { id: 1, group: 1, seq: 1, sender: 'alice', senderKey: 'alice', text: 'hello world', ts: T0 + 1, label: '#group-1' },
        { id: 2, group: 1, seq: 2, sender: 'bob', senderKey: 'bob', text: 'Hello, Alice!', ts: T0 + 2, label: '#group-1' },
      ]);
      expect(c.h.search('bob', [], 10)).toEqual({ lines: [], total: 0 });
    });

    it('shows a member the lines of each group between joining and leaving, rejoins included', () => {
      const c = fresh();
      for (const g of [1, 2, 3]) c.open(g);
      c.join('a', 1);
      c.join('b', 1);
      c.say(1, 'a', 'word 1 one');
      c.join('c', 1);
      c.join('c', 2);
      c.say(1, 'a', 'word 1 two');
      c.say(2, 'c', 'word 2 one');
      c.leave('c', 1);
      c.say(1, 'a', 'word 1 three');
      c.join('d', 3);
      c.say(3, 'd', 'word 3 one');
      c.join('c', 1);
      c.say(1, 'b', 'word 1 four');
      c.leave('c', 2);
      c.say(2, 'x', 'word 2 two');
      c.h.commit();
      const seen = (user: string) => texts(c.h, user, [['word']]);
      expect(seen('a')).toEqual(['word 1 one', 'word 1 two', 'word 1 three', 'word 1 four']);
      expect(seen('c')).toEqual(['word 1 two', 'word 2 one', 'word 1 four']);
      expect(seen('d')).toEqual(['word 3 one']);
      expect(seen('x')).toEqual([]);
    });

    it('decides by the seqs given, not by when the join or leave was recorded', () => {
      const c = fresh();
      c.open(1);
      c.join('a', 1);
      c.say(1, 'a', 'word one');
      c.say(1, 'a', 'word two');
      c.h.commit();
      // A direct conversation reopened for someone who was there until its first line.
      c.h.joined('b', 1, 0);
      c.h.left('b', 1, 1);
      c.h.commit();
      c.say(1, 'a', 'word three');
      c.h.commit();
      expect(texts(c.h, 'b', [['word']])).toEqual(['word one']);
    });

    searchContract(fresh);

    it('knows the highest group id, and the highest seq of each group, queued or committed', () => {
      const c = fresh();
      expect(c.h.lastGroupId()).toBe(0);
      expect(c.h.lastSeq(1)).toBe(0);
      c.open(1);
      c.open(5, 'room', '#five');
      c.open(3);
      c.say(5, 'a', 'one');
      c.say(5, 'a', 'two');
      expect(c.h.lastSeq(5)).toBe(2);
      c.h.commit();
      expect(c.h.lastGroupId()).toBe(5);
      c.say(5, 'a', 'three');
      expect(c.h.lastSeq(5)).toBe(3);
      c.h.commit();
      expect(c.h.lastSeq(5)).toBe(3);
      expect(c.h.lastSeq(3)).toBe(0);
    });

    it('gives two keys one direct conversation, whichever order they come in, queued or committed', () => {
      const c = fresh();
      expect(c.h.directGroup('bob', 'alice', 7, 'bob+alice')).toBe(7);
      expect(c.h.directGroup('alice', 'bob', 8, 'alice+bob')).toBe(7);
      expect(c.h.directGroup('alice', 'carol', 8, 'alice+carol')).toBe(8);
      c.h.commit();
      expect(c.h.lastGroupId()).toBe(8);
      expect(c.h.directGroup('alice', 'bob', 9, 'alice+bob')).toBe(7);
      expect(c.h.directGroup('carol', 'alice', 9, 'carol+alice')).toBe(8);
      expect(c.h.directGroup('bob', 'carol', 9, 'bob+carol')).toBe(9);
      c.join('alice', 7);
      c.say(7, 'bob', 'word');
      c.h.commit();
      expect(c.h.search('alice', [['word']], 10).lines.map((l) => l.label)).toEqual(['bob+alice']);
    });

    it('moves the memberships recorded after a mark, open ones included, to another key', () => {
      const c = fresh();
      c.open(1);
      c.join('fay', 1);
      c.say(1, 'x', 'the earlier guest');
      c.leave('fay', 1);
      const since = c.h.mark();
      c.open(2);
      c.join('fay', 2);
      c.say(2, 'x', 'this session before registering');
      c.h.commit();
      c.h.adopt('fay', 'fay:acct', since);
      c.say(2, 'x', 'after registering');
      c.leave('fay:acct', 2);
      c.say(2, 'x', 'after leaving');
      c.h.commit();
      expect(texts(c.h, 'fay', [['guest']])).toEqual(['the earlier guest']);
      expect(texts(c.h, 'fay', [['registering']])).toEqual([]);
      expect(texts(c.h, 'fay:acct', [['registering']])).toEqual(['this session before registering', 'after registering']);
      expect(texts(c.h, 'fay:acct', [['guest']])).toEqual([]);
      expect(texts(c.h, 'fay:acct', [['leaving']])).toEqual([]);
    });

    it('knows a name once it joined a group, before and after the commit', () => {
      const c = fresh();
      expect(c.h.hasUser('carol')).toBe(false);
      c.open(1);
      c.join('carol', 1);
      expect(c.h.hasUser('carol')).toBe(true);
      c.h.commit();
      expect(c.h.hasUser('carol')).toBe(true);
      expect(c.h.hasUser('dave')).toBe(false);
    });

    it('gives every user exactly the lines said while they were in, whatever the joins, leaves and commits', async () => {
      const users = ['u0', 'u1', 'u2', 'u3', 'u4'];
      const groups = [1, 2, 3, 4];
      const step = fc.oneof(
        { weight: 12, arbitrary: fc.record({ kind: fc.constantFrom('join' as const, 'leave' as const, 'say' as const), user: fc.constantFrom(...users), group: fc.constantFrom(...groups) }) },
        { weight: 1, arbitrary: fc.constant({ kind: 'commit' as const }) },
      );
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 20, maxLength: 80 }), async (steps) => {
          const c = new Chat(make());
          const inside = new Set<string>();
          const entitled = new Map<string, Set<string>>(users.map((u) => [u, new Set()]));
          const said: string[] = [];
          for (const g of groups) c.open(g);
          for (const s of steps) {
            if (s.kind === 'commit') {
              c.h.commit();
              continue;
            }
            const where = `${s.user}@${s.group}`;
            if (s.kind === 'join' && !inside.has(where)) {
              c.join(s.user, s.group);
              inside.add(where);
            } else if (s.kind === 'leave' && inside.delete(where)) {
              c.leave(s.user, s.group);
            } else if (s.kind === 'say') {
              const word = `w${said.length}`;
              said.push(word);
              c.say(s.group, s.user, `line ${word}`);
              for (const u of users) if (inside.has(`${u}@${s.group}`)) entitled.get(u)!.add(word);
            }
          }
          c.h.commit();
          for (const u of users) {
            const mine = entitled.get(u)!;
            const found = c.h.search(u, [['line']], 1000);
            expect(new Set(found.lines.map((l) => l.text.slice('line '.length)))).toEqual(mine);
            expect(found.total).toBe(mine.size);
            for (const word of said) expect(c.h.search(u, [[word]], 10).total, `${u} searching ${word}`).toBe(mine.has(word) ? 1 : 0);
          }
          await c.h.close();
        }),
        { numRuns: 150 },
      );
    });

    const { durable, faulty } = options;
    if (durable) {
      it('keeps lines, ids, groups, seqs and direct conversations across a restart, and ends the memberships of the old run', async () => {
        const { store, reopen } = durable();
        const c = new Chat(store);
        c.open(1);
        c.open(2, 'room', '#two');
        expect(c.h.directGroup('bob', 'alice', 3, 'bob+alice')).toBe(3);
        c.join('a', 2);
        c.join('b', 3);
        c.say(2, 'a', 'before restart');
        c.say(3, 'bob', 'before restart, directly');
        const mark = c.h.mark();
        const again = await reopen();
        open.push(again);
        expect(again.lastGroupId()).toBe(3);
        expect(again.lineCount()).toBe(2);
        expect(again.lastSeq(2)).toBe(1);
        expect(again.lastSeq(3)).toBe(1);
        expect(again.mark()).toBe(mark);
        expect(again.directGroup('alice', 'bob', 4, 'alice+bob')).toBe(3);
        expect(again.hasUser('a')).toBe(true);
        expect(again.record({ group: 2, sender: 'a', senderKey: 'a', text: 'after restart', ts: T0, seq: 2 }).id).toBe(3);
        again.commit();
        expect(again.search('a', [['restart']], 10).lines.map((l) => [l.text, l.label])).toEqual([['before restart', '#two']]);
        expect(texts(again, 'b', [['directly']])).toEqual(['before restart, directly']);
      });
    }

    if (faulty) {
      it('refuses the lines of a failed commit but keeps its membership changes for the next one', () => {
        const { store, fail } = faulty();
        open.push(store);
        const c = new Chat(store);
        c.open(1);
        c.join('a', 1);
        c.say(1, 'a', 'word kept');
        c.h.commit();
        fail(true);
        c.join('b', 1);
        c.say(1, 'a', 'word lost');
        c.open(2);
        c.join('b', 2);
        expect(() => c.h.commit()).toThrow();
        expect(c.h.problem()).not.toBeNull();
        expect(c.h.lineCount()).toBe(1);
        expect(c.h.lastSeq(1)).toBe(1);
        // while lines cannot be stored, a search says so rather than answer from part of the history
        expect(() => c.h.search('a', [['word']], 10)).toThrow(HistoryUnavailable);
        fail(false);
        c.say(1, 'a', 'word after');
        c.say(2, 'c', 'word elsewhere');
        c.h.commit();
        expect(c.h.problem()).toBeNull();
        expect(texts(c.h, 'a', [['word']])).toEqual(['word kept', 'word after']);
        expect(texts(c.h, 'b', [['word']])).toEqual(['word after', 'word elsewhere']);
        expect(c.h.lineCount()).toBe(3);
        expect(c.h.lastGroupId()).toBe(2);
      });
    }
  });
}
