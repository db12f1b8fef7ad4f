import { describe, expect, it } from 'vitest';
import { nameKey, nameProblem } from './names.js';

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
