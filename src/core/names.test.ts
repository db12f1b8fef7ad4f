import { describe, expect, it } from 'vitest';
import { deriveName, nameCandidates, nameKey, nameProblem } from './names.js';

describe('nameProblem', () => {
  it.each(['a', 'zz', 'Wen', 'peter_2', 'x-y', 'Zoë', '李雷', 'a'.repeat(24), 'Ωmega9'])('accepts %s', (name) => {
    expect(nameProblem(name)).toBeNull();
  });
  it.each([
    ['', 'at least one'],
    ['a'.repeat(25), 'at most 24'],
    ['1abc', 'starts with a letter'],
    ['_x', 'starts with a letter'],
    ['a b', 'starts with a letter'],
    ['a.b', 'starts with a letter'],
    ['#chan', 'starts with a letter'],
    ['a\nb', 'starts with a letter'],
    ['ab:', 'starts with a letter'],
  ])('rejects %j', (name, why) => {
    expect(nameProblem(name)).toContain(why);
  });
  it('counts code points, not UTF-16 units', () => {
    expect(nameProblem('𝒜'.repeat(24))).toBeNull();
  });
});

describe('nameKey', () => {
  it('folds case and normalises composition', () => {
    expect(nameKey('Peter')).toBe(nameKey('pETER'));
    expect(nameKey('Zoe\u0308')).toBe(nameKey('ZOË'));
  });
});

describe('deriveName', () => {
  it.each([
    ['john.doe', 'john_doe'],
    ['peter', 'peter'],
    ['Zoë', 'Zoë'],
    ['a..b', 'a_b'],
    ['_under_', 'under'],
    ['42', 'u42'],
    ['9lives', 'u9lives'],
    ['...', 'user'],
    ['x'.repeat(32), 'x'.repeat(24)],
    ['李 雷', '李_雷'],
  ])('%j becomes %j', (handle, name) => {
    expect(deriveName(handle)).toBe(name);
    expect(nameProblem(deriveName(handle))).toBeNull();
  });
});

describe('nameCandidates', () => {
  it('adds a numeric suffix and keeps within the length limit', () => {
    const names = [...nameCandidates('peter', 3)];
    expect(names).toEqual(['peter', 'peter2', 'peter3']);
    const long = [...nameCandidates('x'.repeat(24), 12)];
    expect(long.at(-1)).toBe('x'.repeat(22) + '12');
    for (const n of long) expect(nameProblem(n)).toBeNull();
  });
});
