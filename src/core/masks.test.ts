import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { maskMatches, normalMask, userMask } from './masks.js';

/** The ircdocs parser test vectors (CC0), kept beside the project, never copied into it. */
const VECTORS = fileURLToPath(new URL('../../../shared/data/irc-parser-tests/mask-match.yaml', import.meta.url));

interface MaskCase {
  mask: string;
  matches: string[];
  fails: string[];
}

describe('mask matching', () => {
  const present = existsSync(VECTORS);
  if (!present) console.warn(`skipping the ircdocs mask vectors: ${VECTORS} is absent`);

  it.runIf(present)('passes the ircdocs mask-match vectors', () => {
    const cases = (parse(readFileSync(VECTORS, 'utf8')) as { tests: MaskCase[] }).tests;
    expect(cases.length).toBeGreaterThan(5);
    for (const c of cases) {
      for (const subject of c.matches) expect(maskMatches(c.mask, subject), `${c.mask} ~ ${subject}`).toBe(true);
      for (const subject of c.fails) expect(maskMatches(c.mask, subject), `${c.mask} !~ ${subject}`).toBe(false);
    }
  });

  it.each([
    ['*', '', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXbY', false],
    ['*!*@discord', 'Zoë!Zoë@discord', true],
    ['ZOE!*@*', 'zoe!zoe@irc', true],
    ['??', 'ë!', true],
    ['x', 'xx', false],
  ])('%s against %s is %s', (mask, subject, expected) => {
    expect(maskMatches(mask, subject)).toBe(expected);
  });

  it('completes partial masks as servers store them', () => {
    expect(normalMask('bob')).toBe('bob!*@*');
    expect(normalMask('bob!b')).toBe('bob!b@*');
    expect(normalMask('b@tcp')).toBe('*!b@tcp');
    expect(normalMask('*!*@web')).toBe('*!*@web');
    expect(normalMask('bob!@')).toBe('bob!*@*');
    expect(userMask('ann', 'irc')).toBe('ann!ann@irc');
  });
});
