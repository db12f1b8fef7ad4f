/**
 * User input cannot break or widen a history search: whatever is typed (FTS5 operators, column
 * filters, quotes, the index's own scoped tokens, SQL), the real SQLite store returns exactly the
 * lines a plain reading of the words allows, among the lines the user may see, and never throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Chat } from '../core/history-contract.js';
import type { HistoryStore } from '../core/history.js';
import { parseSearchQuery } from '../core/search-query.js';
import { words } from '../core/sonnets.js';
import { SqliteHistory } from './sqlite-history.js';

interface Said {
  group: number;
  sender: string;
  text: string;
}

/** Group 1: bob, and alice from his first line until before his last; group 2: bob and carol, whom alice never joined. */
function history(): { h: HistoryStore; visible: (Said & { id: number })[] } {
  const c = new Chat(new SqliteHistory(':memory:'));
  const say = (s: Said) => ({ ...s, id: c.say(s.group, s.sender, s.text).id });
  c.open(1);
  c.join('bob', 1);
  say({ group: 1, sender: 'bob', text: 'before alice came: secret love' });
  c.join('alice', 1);
  const visible = [
    say({ group: 1, sender: 'alice', text: 'I love you, or near enough' }),
    say({ group: 1, sender: 'bob', text: 'the secret plan: NEAR(love) "quoted" body:sender' }),
    say({ group: 1, sender: 'alice', text: 'g2xsecret is just a word here' }),
  ];
  c.open(2);
  c.join('bob', 2);
  c.join('carol', 2);
  say({ group: 2, sender: 'carol', text: 'love secret g1xlove or near bob alice' });
  say({ group: 2, sender: 'bob', text: 'the secret plan for carol only' });
  c.leave('alice', 1);
  say({ group: 1, sender: 'bob', text: 'after alice left: secret love' });
  c.h.commit();
  return { h: c.h, visible };
}

/** The plain reading: every term's words appear consecutively in the text or in the sender's name. */
function plainMatch(terms: string[][], line: Said): boolean {
  const has = (hay: string[], phrase: string[]) => hay.some((_, i) => phrase.every((w, j) => hay[i + j] === w));
  return terms.length > 0 && terms.every((t) => has(words(line.text), t) || has(words(line.sender), t));
}

const PIECES = [
  'love', 'secret', 'plan', 'bob', 'alice', 'carol', 'or', 'near', 'body', 'sender', 'g2xsecret', 'g1xlove', 'g2x', 'quoted',
  'OR', 'AND', 'NOT', 'NEAR(', ')', '(', '*', '"', '""', '^', ':', '{body sender}', '{', '}', '-', '+', 'sender:', 'body:',
  'lines_idx', "'", ';', '--', 'DROP TABLE lines;', '\0', '\\', ',', 'rank', 'MATCH',
];
const query = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 8 }).chain((parts) =>
  fc.array(fc.constantFrom(' ', '', '  '), { minLength: parts.length, maxLength: parts.length }).map((gaps) => parts.map((p, i) => p + gaps[i]).join('')),
);

describe('history search input', () => {
  it('returns exactly the visible lines that plainly hold every term, whatever is typed', () => {
    const { h, visible } = history();
    fc.assert(
      fc.property(query, (typed) => {
        const terms = parseSearchQuery(typed);
        const page = h.search('alice', terms, 1000);
        const expected = visible.filter((l) => plainMatch(terms, l)).map((l) => l.id);
        expect(page.lines.map((l) => l.id)).toEqual(expected);
        expect(page.total).toBe(expected.length);
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['secret OR carol', []],
    ['secret', ['the secret plan: NEAR(love) "quoted" body:sender']],
    ['g2xsecret', ['g2xsecret is just a word here']],
    ['NEAR(love', ['the secret plan: NEAR(love) "quoted" body:sender']],
    ['body:sender', ['the secret plan: NEAR(love) "quoted" body:sender']],
    ['{body sender}: bob', ['the secret plan: NEAR(love) "quoted" body:sender']],
    ['love* OR *', ['I love you, or near enough']],
    ['"', []],
  ])('%j finds only what alice may see', (typed, texts) => {
    const { h } = history();
    expect(h.search('alice', parseSearchQuery(typed), 100).lines.map((l) => l.text)).toEqual(texts);
  });
});
