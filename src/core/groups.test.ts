import { describe, expect, it } from 'vitest';
import { describeGroupsContract } from './groups-contract.js';
import { GroupTable, roomTarget } from './groups.js';

describeGroupsContract('GroupTable', (last, now) => new GroupTable<string>(last, now));

describe('group targets', () => {
  it('reads #group-N as an id and #name as a room', () => {
    expect(roomTarget('#group-12')).toEqual({ kind: 'id', id: 12 });
    expect(roomTarget('#tea')).toEqual({ kind: 'room', room: '#tea' });
    expect(roomTarget('#no spaces').kind).toBe('invalid');
  });
});
