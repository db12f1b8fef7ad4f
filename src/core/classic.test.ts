import { describe, expect, it } from 'vitest';
import { classicHistoryLine, classicListText, flipWords, spokenLine } from './classic.js';

describe('classicListText', () => {
  it('writes the Python reprs of the member and group dicts', () => {
    const users = [
      { name: 'Wen', front: 'tcp', state: 1 as const, group: 1 },
      { name: 'Joyce', front: 'tcp', state: 1 as const, group: 1 },
      { name: 'zz', front: 'tcp', state: 0 as const },
    ];
    expect(classicListText(users, [{ id: 1, members: ['Joyce', 'Wen'] }])).toBe(
      "Users: ------------\n{'Wen': 1, 'Joyce': 1, 'zz': 0}\nGroups: -----------\n{1: ['Joyce', 'Wen']}\n",
    );
  });
  it('writes empty dicts as {}', () => {
    expect(classicListText([], [])).toBe('Users: ------------\n{}\nGroups: -----------\n{}\n');
  });
});

describe('classicHistoryLine', () => {
  it('prints local time, sender and message', () => {
    expect(classicHistoryLine(new Date(2026, 10, 25, 9, 5), 'zz', 'I love ICS')).toBe('(25.11.26,09:05) zz : I love ICS');
  });
});

describe('flipWords', () => {
  it('reverses the words', () => {
    expect(flipWords(' what  said is true ')).toBe('true is said what');
  });
});

describe('spokenLine', () => {
  it('reverses the words of a flip, and of an exchange that starts with the marker, and leaves other lines alone', () => {
    expect(spokenLine('flip', 'what said is true')).toEqual({ text: '_flip_ true is said what', flipped: true });
    expect(spokenLine('exchange', '_flip_ what said is true')).toEqual({ text: '_flip_ true is said what', flipped: true });
    expect(spokenLine('exchange', '_flip_what said')).toEqual({ text: '_flip_what said', flipped: false });
  });
});
