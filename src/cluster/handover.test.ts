import { describe, expect, it } from 'vitest';
import { NO_MODES } from '../core/groups.js';
import type { GroupState, SessionState } from '../core/takeover.js';
import { Handover } from './handover.js';

const group = (id: number, revision = 1): GroupState => ({
  id,
  kind: 'room',
  room: `#g${id}`,
  owner: null,
  topic: '',
  topicBy: '',
  locked: false,
  modes: NO_MODES,
  bans: [],
  invited: [],
  members: [],
  revision,
});
const session = (name: string, ...groups: number[]): SessionState => ({
  name,
  historyKey: name,
  account: null,
  oper: null,
  away: null,
  features: [],
  focus: groups.at(-1) ?? null,
  groups: groups.map((id) => ({ id, op: false, voice: false, after: 0 })),
});
const ids = (h: Handover): number[] => h.described().map((g) => g.id).sort();

describe('Handover', () => {
  it('keeps a group while one of the node\'s sessions is in it, as last described', () => {
    const h = new Handover();
    h.group(group(1));
    h.group(group(2));
    h.session(1, session('ann', 1, 2));
    h.session(2, session('bob', 2));
    h.group(group(2, 5));
    expect(ids(h)).toEqual([1, 2]);
    expect(h.described().find((g) => g.id === 2)?.revision).toBe(5);
    h.session(1, session('ann', 2));
    expect(ids(h)).toEqual([2]);
    h.session(2, null);
    expect(ids(h)).toEqual([2]);
    h.session(1, null);
    expect(ids(h)).toEqual([]);
    expect(h.stateOf(1)).toBeUndefined();
  });

  it('keeps a group the session stays in across a new state of it', () => {
    const h = new Handover();
    h.group(group(3));
    h.session(1, session('ann', 3));
    h.session(1, { ...session('ann', 3), away: 'lunch' });
    expect(ids(h)).toEqual([3]);
    expect(h.stateOf(1)?.away).toBe('lunch');
  });

  it('keeps nothing of a group described before any session of the node is in it', () => {
    const h = new Handover();
    h.group(group(4));
    expect(ids(h)).toEqual([]);
    h.session(1, session('ann', 4));
    expect(ids(h)).toEqual([4]);
  });

  it('hands a session over with the last line of each of its groups the node was given, and forgets a group nobody here is in', () => {
    const h = new Handover();
    h.group(group(5));
    h.group(group(6));
    h.session(1, session('ann', 5, 6));
    h.line(5, 3);
    h.line(5, 4);
    h.line(5, 2);
    expect(h.stateOf(1)?.groups).toEqual([
      { id: 5, op: false, voice: false, after: 0, heard: 4 },
      { id: 6, op: false, voice: false, after: 0 },
    ]);
    h.session(1, session('ann', 6));
    h.session(1, session('ann', 5, 6));
    expect(h.stateOf(1)?.groups[0]).toEqual({ id: 5, op: false, voice: false, after: 0 });
  });
});
