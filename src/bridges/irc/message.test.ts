import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { describeNeeds } from '../../../test/helpers/needs.js';
import { parseMessage, serializeMessage, type IrcMessage } from './message.js';

/** The ircdocs parser test vectors live beside the project (shared/), never inside it. */
function findVectors(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'shared', 'data', 'irc-parser-tests');
    if (existsSync(candidate)) return candidate;
    const up = resolve(dir, '..');
    if (up === dir) return null;
    dir = up;
  }
}

interface Atoms {
  tags?: Record<string, string>;
  source?: string;
  verb: string;
  params?: string[];
}

const VECTORS = findVectors();
const describeWithVectors = describeNeeds({
  proves: 'the IRC line parser and serialiser agree with the ircdocs parser test vectors',
  missing: VECTORS ? null : 'the vectors (shared/data/irc-parser-tests) are not in a folder above this checkout',
});

function load<T>(name: string): T[] {
  return (parse(readFileSync(join(VECTORS!, name), 'utf8')) as { tests: T[] }).tests;
}

const asAtoms = (m: IrcMessage): Atoms => ({
  ...(m.tags ? { tags: m.tags } : {}),
  ...(m.source !== undefined ? { source: m.source } : {}),
  verb: m.verb,
  ...(m.params.length > 0 ? { params: m.params } : {}),
});

describeWithVectors('the ircdocs vectors', () => {
  it('splits every msg-split line into its atoms', () => {
    const tests = load<{ input: string; atoms: Atoms }>('msg-split.yaml');
    expect(tests.length).toBeGreaterThan(30);
    for (const { input, atoms } of tests) expect(asAtoms(parseMessage(input)!), input).toEqual(atoms);
  });

  it('joins every msg-join atom set into one of its accepted lines', () => {
    const tests = load<{ desc: string; atoms: Atoms; matches: string[] }>('msg-join.yaml');
    expect(tests.length).toBeGreaterThan(15);
    for (const { desc, atoms, matches } of tests) {
      const line = serializeMessage({ ...atoms, params: atoms.params ?? [] });
      expect(matches, desc).toContain(line);
      expect(asAtoms(parseMessage(line)!), desc).toEqual(atoms);
    }
  });
});

describe('parseMessage', () => {
  it.each([
    ['', null],
    ['   ', null],
    [':only.a.source', null],
    ['@tag=1', null],
    ['ping', { verb: 'ping', params: [] }],
    ['  PRIVMSG   #a   :hi  there', { verb: 'PRIVMSG', params: ['#a', 'hi  there'] }],
    ['JOIN :', { verb: 'JOIN', params: [''] }],
  ])('%j', (line, expected) => {
    expect(parseMessage(line)).toEqual(expected);
  });
});

describe('serializeMessage', () => {
  it('writes the last parameter as trailing text', () => {
    expect(serializeMessage({ source: 'srv', verb: '001', params: ['bob', 'Welcome'] })).toBe(':srv 001 bob :Welcome');
    expect(serializeMessage({ verb: 'PING', params: [] })).toBe('PING');
    expect(serializeMessage({ tags: { time: '2026-01-01T00:00:00.000Z' }, verb: 'X', params: ['a b'] })).toBe('@time=2026-01-01T00:00:00.000Z X :a b');
  });
});
