import { describe, expect, it } from 'vitest';
import { MENU } from '../../../core/render.js';
import { backoffMs, clockTime, count, dayTime, mentions, menuRows, nameColour, sonnetTitle, stanzas } from './format.js';

describe('times', () => {
  const now = new Date(2025, 2, 14, 18, 30);
  it.each([
    [new Date(2025, 2, 14, 9, 5), '09:05'],
    [new Date(2025, 2, 3, 14, 3), '3 Mar 14:03'],
    [new Date(2023, 11, 31, 23, 59), '31 Dec 2023 23:59'],
  ])('shows %s as %s', (date, shown) => {
    expect(dayTime(date, now)).toBe(shown);
  });

  it('writes clock time with two digits each', () => {
    expect(clockTime(new Date(2025, 0, 1, 7, 4))).toBe('07:04');
  });
});

describe('names', () => {
  it('gives a name one colour whatever its case, from eight', () => {
    expect(nameColour('Alice')).toBe(nameColour('alice'));
    const colours = new Set(['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'].map(nameColour));
    expect(colours.size).toBeGreaterThan(3);
    for (const c of colours) expect(c).toMatch(/^c[0-7]$/);
  });
});

describe('mentions', () => {
  it.each([
    ['alice, are you there?', true],
    ['hi @Alice!', true],
    ['ALICE', true],
    ['thanks alice', true],
    ['for alice-bob and me', false],
    ['malice aforethought', false],
    ['alice_2 said so', false],
    ['alices garden', false],
    ['ask élise or alice2', false],
    ['', false],
  ])('%j names alice: %s', (text, named) => {
    expect(mentions(text, 'alice')).toBe(named);
  });

  it('finds a name after an earlier near miss, and in any script', () => {
    expect(mentions('malice, then alice', 'alice')).toBe(true);
    expect(mentions('привет, Олег!', 'олег')).toBe(true);
    expect(mentions('Олега нет', 'олег')).toBe(false);
  });
});

describe('counts', () => {
  it.each([
    [0, '0 matches'],
    [1, '1 match'],
    [2, '2 matches'],
  ])('%i', (n, text) => expect(count(n, 'match', 'matches')).toBe(text));
});

describe('sonnets', () => {
  const lines = Array.from({ length: 14 }, (_, i) => `line ${i + 1}`);

  it('sets a 14-line sonnet as three quatrains and a couplet', () => {
    const s = stanzas(lines);
    expect(s.map((st) => st.lines.length)).toEqual([4, 4, 4, 2]);
    expect(s.map((st) => st.couplet)).toEqual([false, false, false, true]);
    expect(s[3]!.lines).toEqual(['line 13', 'line 14']);
  });

  it('keeps an irregular sonnet (like 99 or 126) as one stanza', () => {
    expect(stanzas(lines.slice(0, 12))).toEqual([{ lines: lines.slice(0, 12), couplet: false }]);
    expect(stanzas([...lines, 'line 15'])).toHaveLength(1);
  });

  it('titles a sonnet by number and Roman numeral', () => {
    expect(sonnetTitle(18, 'XVIII.')).toEqual({ main: 'Sonnet 18', sub: 'XVIII' });
  });
});

describe('reconnect backoff', () => {
  it('starts at a quarter second, doubles, and stops at five seconds, within ±20%', () => {
    expect(backoffMs(0, 0.5)).toBe(250);
    expect(backoffMs(1, 0.5)).toBe(500);
    expect(backoffMs(4, 0.5)).toBe(4000);
    expect(backoffMs(20, 0.5)).toBe(5000);
    expect(backoffMs(0, 0)).toBe(200);
    expect(backoffMs(0, 1)).toBe(300);
  });
});

describe('the help menu', () => {
  it('reads every command of the shared menu, and the notes after them', () => {
    const { rows, notes } = menuRows(MENU);
    expect(rows.map(([cmd]) => cmd)).toEqual(['time', 'who', 'c _peer_', 'c #_room_', '? _term_', 'p _#_', 's _word_', 'ping _text_', 'register', 'help', 'q']);
    expect(rows[2]![1]).toBe('to connect to the _peer_ and chat');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^While chatting: bye to leave the group, .* to manage the group\.$/);
  });
});
