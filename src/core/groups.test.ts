import { describe, expect, it } from 'vitest';
import { describeGroupsContract } from './groups-contract.js';
import { GroupTable, isOpen, roomTarget } from './groups.js';

describeGroupsContract('GroupTable', (last) => new GroupTable<string>(last));

describe('group targets and openness', () => {
  it('reads #group-N as an id and #name as a room', () => {
    expect(roomTarget('#group-12')).toEqual({ kind: 'id', id: 12 });
    expect(roomTarget('#tea')).toEqual({ kind: 'room', room: '#tea' });
    expect(roomTarget('#no spaces').kind).toBe('invalid');
  });

  it('opens ad-hoc groups and unlocked rooms only', () => {
    const table = new GroupTable<string>(0);
    const room = table.create({ kind: 'room', room: '#r', owner: 'o' });
    expect(isOpen(room)).toBe(true);
    table.setLocked(room, true);
    expect(isOpen(room)).toBe(false);
    expect(isOpen(table.create({ kind: 'adhoc' }))).toBe(true);
    expect(isOpen(table.create({ kind: 'direct', id: 7, seq: 0, pair: ['a', 'b'] }))).toBe(false);
  });
});
