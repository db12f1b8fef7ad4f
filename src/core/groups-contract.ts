/**
 * The contract every implementation of the group seam keeps (the in-process table now, a
 * shared store in a cluster): ids, membership of many groups, sequences, rooms, owners, locks,
 * modes, roles and bans.
 */
import { describe, expect, it } from 'vitest';
import { NO_MODES, type Groups } from './groups.js';

/** `build` makes an empty store whose ids follow `lastUsedId` and whose clock is `now`. */
export function describeGroupsContract(name: string, build: (lastUsedId: number, now: () => number) => Groups<string>): void {
  const T0 = Date.UTC(2026, 10, 25, 14, 30);
  const make = (lastUsedId: number): Groups<string> => build(lastUsedId, () => T0);
  describe(`${name} keeps the groups contract`, () => {
    it('hands out ids after the last used one and never reuses them', () => {
      const table = make(0);
      const g1 = table.create({ kind: 'adhoc' });
      table.add(g1, 'a');
      table.add(g1, 'b');
      expect(g1.id).toBe(1);
      table.remove(g1, 'a');
      table.remove(g1, 'b');
      expect(table.get(1)).toBeUndefined();
      expect(table.create({ kind: 'adhoc' }).id).toBe(2);
      expect(make(41).create({ kind: 'adhoc' }).id).toBe(42);
    });

    it('keeps members in join order, each after the sequence number it joined at', () => {
      const table = make(0);
      const g = table.create({ kind: 'adhoc' });
      table.add(g, 'joyce');
      table.add(g, 'wen');
      expect(table.nextSeq(g)).toBe(1);
      expect(table.nextSeq(g)).toBe(2);
      table.add(g, 'zz');
      expect(g.members.map((m) => [m.member, m.afterSeq])).toEqual([
        ['joyce', 0],
        ['wen', 0],
        ['zz', 2],
      ]);
      expect(table.add(g, 'zz')).toBe(false);
      expect(table.remove(g, 'wen')).toBe(true);
      expect(table.remove(g, 'wen')).toBe(false);
      expect(g.members.map((m) => m.member)).toEqual(['joyce', 'zz']);
    });

    it('numbers on past lines stored elsewhere, never back', () => {
      const table = make(0);
      const g = table.create({ kind: 'adhoc' });
      table.nextSeq(g);
      table.skipTo(g, 7);
      expect(table.nextSeq(g)).toBe(8);
      table.skipTo(g, 3);
      expect(table.nextSeq(g)).toBe(9);
    });

    it('lets a member be in many groups, listed in the order joined', () => {
      const table = make(0);
      const a = table.create({ kind: 'adhoc' });
      const b = table.create({ kind: 'room', room: '#Tea', owner: 'x' });
      table.add(b, 'x');
      table.add(a, 'x');
      expect(table.of('x').map((g) => g.id)).toEqual([b.id, a.id]);
      expect(table.room('#tea')).toBe(b);
      table.remove(b, 'x');
      expect(table.room('#tea')).toBeUndefined();
      expect(table.of('x').map((g) => g.id)).toEqual([a.id]);
      expect(table.list().map((g) => g.id)).toEqual([a.id]);
    });

    it('passes a room to its longest-standing member when the owner leaves', () => {
      const table = make(0);
      const room = table.create({ kind: 'room', room: '#r', owner: 'o' });
      for (const m of ['o', 'p', 'q']) table.add(room, m);
      table.remove(room, 'o');
      expect(table.get(room.id)?.owner).toBe('p');
    });

    it('keeps a direct conversation under its stored id, numbering on from its last line, always closed', () => {
      const table = make(5);
      const dm = table.create({ kind: 'direct', id: 3, seq: 17, pair: ['ann', 'bo'] });
      expect(dm.id).toBe(3);
      expect(dm.locked).toBe(true);
      expect(dm.pair).toEqual(['ann', 'bo']);
      expect(table.nextSeq(dm)).toBe(18);
      expect(table.create({ kind: 'adhoc' }).id).toBe(6);
      expect(table.create({ kind: 'direct', id: 9, seq: 0, pair: ['c', 'd'] }).id).toBe(9);
      expect(table.nextId()).toBe(10);
    });

    it('changes topics, locks and invitations only through the table', () => {
      const table = make(0);
      const room = table.create({ kind: 'room', room: '#r', owner: 'o' });
      table.add(room, 'o');
      table.setTopic(room, 'tea at five', 'ann');
      table.setLocked(room, true);
      table.invite(room, 'pat');
      expect(table.get(room.id)).toMatchObject({ topic: 'tea at five', topicBy: 'ann', locked: true });
      expect(table.get(room.id)?.invited.has('pat')).toBe(true);
    });

    it('starts a group with no modes, stamped with its creation time', () => {
      const table = make(0);
      const room = table.create({ kind: 'room', room: '#r', owner: 'o' });
      expect(room.modes).toEqual(NO_MODES);
      expect(room.bans).toEqual([]);
      expect(room.created).toBe(T0);
    });

    it('changes some modes and keeps the others', () => {
      const table = make(0);
      const room = table.create({ kind: 'room', room: '#r', owner: 'o' });
      table.setModes(room, { moderated: true, key: 'sesame', limit: 5 });
      table.setModes(room, { secret: true, topicLocked: true, key: null });
      expect(table.get(room.id)?.modes).toEqual({ moderated: true, secret: true, topicLocked: true, key: null, limit: 5 });
    });

    it('makes the owner an operator, gives and takes roles, and passes operator with ownership', () => {
      const table = make(0);
      const room = table.create({ kind: 'room', room: '#r', owner: 'o' });
      for (const m of ['o', 'p', 'q']) table.add(room, m);
      const roles = (): [string, boolean, boolean][] => table.get(room.id)!.members.map((m) => [m.member, m.op, m.voice]);
      expect(roles()).toEqual([
        ['o', true, false],
        ['p', false, false],
        ['q', false, false],
      ]);
      expect(table.setRole(room, 'q', 'voice', true)).toBe(true);
      expect(table.setRole(room, 'q', 'op', true)).toBe(true);
      expect(table.setRole(room, 'nobody', 'op', true)).toBe(false);
      table.setRole(room, 'q', 'op', false);
      expect(roles()).toEqual([
        ['o', true, false],
        ['p', false, false],
        ['q', false, true],
      ]);
      table.remove(room, 'o');
      expect(roles()).toEqual([
        ['p', true, false],
        ['q', false, true],
      ]);
      const adhoc = table.create({ kind: 'adhoc' });
      table.add(adhoc, 'p');
      expect(adhoc.members[0]?.op).toBe(false);
    });

    it('keeps bans once per mask, in any case, in the order set', () => {
      const table = make(0);
      const room = table.create({ kind: 'room', room: '#r', owner: 'o' });
      expect(table.ban(room, { mask: 'bob!*@*', by: 'o', at: 1 })).toBe(true);
      expect(table.ban(room, { mask: 'BOB!*@*', by: 'o', at: 2 })).toBe(false);
      expect(table.ban(room, { mask: '*!*@discord', by: 'o', at: 3 })).toBe(true);
      expect(table.get(room.id)?.bans).toEqual([
        { mask: 'bob!*@*', by: 'o', at: 1 },
        { mask: '*!*@discord', by: 'o', at: 3 },
      ]);
      expect(table.unban(room, 'Bob!*@*')).toBe(true);
      expect(table.unban(room, 'bob!*@*')).toBe(false);
      expect(table.get(room.id)?.bans.map((b) => b.mask)).toEqual(['*!*@discord']);
    });

    it('counts a revision for every change to what a group is, and none for its lines', () => {
      const table = make(0);
      const room = table.create({ kind: 'room', room: '#r', owner: 'o' });
      const steps: [string, () => unknown][] = [
        ['add', () => table.add(room, 'o')],
        ['add', () => table.add(room, 'p')],
        ['topic', () => table.setTopic(room, 'tea', 'o')],
        ['lock', () => table.setLocked(room, true)],
        ['invite', () => table.invite(room, 'q')],
        ['modes', () => table.setModes(room, { moderated: true })],
        ['role', () => table.setRole(room, 'p', 'voice', true)],
        ['owner', () => table.setOwner(room, 'p')],
        ['ban', () => table.ban(room, { mask: 'x!*@*', by: 'o', at: 1 })],
        ['unban', () => table.unban(room, 'x!*@*')],
        ['remove', () => table.remove(room, 'o')],
      ];
      for (const [what, step] of steps) {
        const before = room.revision;
        step();
        expect(room.revision, what).toBeGreaterThan(before);
      }
      const quiet = room.revision;
      table.nextSeq(room);
      table.missed(room, room.members[0]!);
      table.caughtUp(room, 'p');
      expect(room.revision).toBe(quiet);
    });

    it('makes a member the owner, an operator; nobody outside the group', () => {
      const table = make(0);
      const room = table.create({ kind: 'room', room: '#r', owner: 'o' });
      table.add(room, 'o');
      table.add(room, 'p');
      expect(table.setOwner(room, 'q')).toBe(false);
      expect(table.setOwner(room, 'p')).toBe(true);
      expect(room.owner).toBe('p');
      expect(table.membership(room, 'p')?.op).toBe(true);
    });

    it('opens a room or an ad-hoc group under a given id and numbering (a take-over), and later ids above it', () => {
      const table = make(5);
      const room = table.create({ kind: 'room', room: '#r', owner: 'o', id: 40, seq: 17 });
      const adhoc = table.create({ kind: 'adhoc', id: 41, seq: 3 });
      expect([room.id, room.seq, adhoc.id, adhoc.seq]).toEqual([40, 17, 41, 3]);
      expect(table.nextSeq(room)).toBe(18);
      expect(table.room('#R')).toBe(room);
      expect(table.create({ kind: 'adhoc' }).id).toBe(42);
    });
  });
}
