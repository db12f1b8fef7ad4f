import { describe, expect, it } from 'vitest';
import { Room, threadName, type RoomDeps } from './room.js';

describe('threadName', () => {
  it('names a thread after the members, within 100 characters', () => {
    expect(threadName(['alice', 'peter'])).toBe('alice, peter');
    const long = threadName(Array.from({ length: 20 }, (_, i) => `member${i}`));
    expect([...long]).toHaveLength(100);
    expect(long.endsWith('...')).toBe(true);
  });
});

describe('Room', () => {
  it('follows a large group by the one who came or went, as its notices name only them', () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ name: `m${i}`, front: 'tcp' }));
    // No Discord place is open, so nothing is posted and no dependency is used.
    const room = new Room(1, many, {} as RoomDeps, { kind: 'room', room: '#big' });
    room.noticed({ action: 'connect', status: 'request', from: 'late', front: 'web', group: 1, room: '#big', count: 151, kind: 'room' });
    room.noticed({ action: 'leave', name: 'm7', group: 1, count: 150 });
    expect(room.has('late')).toBe(true);
    expect(room.has('m7')).toBe(false);
    expect(room.has('m8')).toBe(true);
    room.noticed({ action: 'leave', name: 'm8', group: 1, members: [{ name: 'late', front: 'web' }] });
    expect(room.has('m9')).toBe(false);
    expect(room.has('late')).toBe(true);
  });
});
