import { describe, expect, it } from 'vitest';
import { quoted, RecentLines } from './recent.js';

describe('RecentLines', () => {
  it('forgets the oldest line first, and a line seen again counts as new', () => {
    const recent = new RecentLines(2);
    recent.remember('1', { name: 'a', text: 'one' });
    recent.remember('2', { name: 'b', text: 'two' });
    recent.remember('1', { name: 'a', text: 'one' });
    recent.remember('3', { name: 'c', text: 'three' });
    expect(recent.get('2')).toBeUndefined();
    expect(recent.get('1')?.text).toBe('one');
    expect(recent.get('3')?.name).toBe('c');
  });
});

describe('quoted', () => {
  it.each([
    ['hi there', 'yes', '(re bob: "hi there") yes'],
    ['two\n  lines', 'ok', '(re bob: "two lines") ok'],
    ['x'.repeat(80), 'long', `(re bob: "${'x'.repeat(59)}…") long`],
    ['😀'.repeat(70), 'emoji', `(re bob: "${'😀'.repeat(59)}…") emoji`],
  ])('%j answered with %j', (text, answer, expected) => {
    expect(quoted({ name: 'bob', text }, answer)).toBe(expected);
  });
});
