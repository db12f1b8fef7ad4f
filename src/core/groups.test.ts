import { describe, expect, it } from 'vitest';
import { GroupTable } from './groups.js';

describe('GroupTable', () => {
  it('hands out ids after the last used one and never reuses them', () => {
    const table = new GroupTable<string>(0);
    const g1 = table.create();
    table.add(g1, 'a', 0);
    table.add(g1, 'b', 0);
    expect(g1.id).toBe(1);
    table.remove('a');
    table.remove('b');
    expect(table.get(1)).toBeUndefined();
    expect(table.create().id).toBe(2);
    expect(new GroupTable<string>(41).create().id).toBe(42);
  });

  it('keeps members in join order and tracks who is where', () => {
    const table = new GroupTable<string>(0);
    const g = table.create();
    table.add(g, 'joyce', 0);
    table.add(g, 'wen', 0);
    table.add(g, 'zz', 7);
    expect(g.members).toEqual([
      { member: 'joyce', joinedAfter: 0 },
      { member: 'wen', joinedAfter: 0 },
      { member: 'zz', joinedAfter: 7 },
    ]);
    expect(table.of('wen')).toBe(g);
    expect(table.remove('wen')).toBe(g);
    expect(table.of('wen')).toBeUndefined();
    expect(g.members.map((m) => m.member)).toEqual(['joyce', 'zz']);
    expect(table.remove('wen')).toBeUndefined();
  });

  it('refuses a member in two groups', () => {
    const table = new GroupTable<string>(0);
    const a = table.create();
    const b = table.create();
    table.add(a, 'x', 0);
    expect(() => table.add(b, 'x', 0)).toThrow('at most one group');
    expect(table.list().map((g) => g.id)).toEqual([1, 2]);
  });
});
