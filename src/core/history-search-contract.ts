/**
 * The search part of the history contract (history-contract.ts runs it for every store): which
 * matches a page holds and in what order, how far the count goes, what a term matches, and whose
 * groups it looks in. Test-only code.
 */
import { expect, it } from 'vitest';
import type { Chat } from './history-contract.js';
import { SEARCH_COUNT_BEYOND, type HistoryStore } from './history.js';
import { parseSearchQuery, type SearchQuery } from './search-query.js';

/** The texts of a search's page. */
export const texts = (h: HistoryStore, user: string, query: SearchQuery, limit = 100): string[] => h.search(user, query, limit).lines.map((l) => l.text);

/** Inside a store's contract suite: the search tests, each on a Chat from `fresh`. */
export function searchContract(fresh: () => Chat): void {
  it('returns the newest matches across groups, oldest first, with the total of all', () => {
    const c = fresh();
    c.open(1);
    c.open(2);
    c.join('a', 1);
    c.join('a', 2);
    for (let i = 1; i <= 30; i++) c.say(1 + (i % 2), 'a', `item ${i}`);
    c.say(1, 'a', 'other');
    c.h.commit();
    const page = c.h.search('a', [['item']], 5);
    expect(page.total).toBe(30);
    expect(page.lines.map((l) => l.text)).toEqual(['item 26', 'item 27', 'item 28', 'item 29', 'item 30']);
    expect(page.lines.map((l) => l.group)).toEqual([1, 2, 1, 2, 1]);
  });

  it('counts up to SEARCH_COUNT_BEYOND past the page, then says there are more', () => {
    const c = fresh();
    c.open(1);
    c.join('a', 1);
    for (let i = 1; i <= 5 + SEARCH_COUNT_BEYOND; i++) c.say(1, 'b', `word ${i}`);
    c.h.commit();
    expect(c.h.search('a', [['word']], 5)).toEqual({ lines: expect.any(Array), total: 5 + SEARCH_COUNT_BEYOND });
    c.say(1, 'b', 'word more');
    c.h.commit();
    const page = c.h.search('a', [['word']], 5);
    expect({ total: page.total, more: page.more }).toEqual({ total: 5 + SEARCH_COUNT_BEYOND, more: true });
    expect(page.lines.map((l) => l.text).at(-1)).toBe('word more');
  });

  it('past the count, still pages the newest lines the user may read: none from before joining or after leaving, none deleted', () => {
    const c = fresh();
    for (const g of [1, 2, 3]) c.open(g);
    c.join('a', 1);
    c.join('a', 3);
    for (let i = 0; i < 60; i++) c.say(2, 'b', `word before ${i}`);
    c.join('a', 2);
    for (let i = 0; i < 120; i++) c.say(1 + (i % 2), 'b', `word ${i}`);
    c.say(3, 'b', 'word while in 3');
    c.leave('a', 3);
    const doomed = c.say(1, 'b', 'word deleted');
    for (let i = 0; i < 10; i++) c.say(3, 'b', `word after leaving ${i}`);
    c.h.commit();
    c.h.revise(doomed.id, null);
    c.h.commit();
    const page = c.h.search('a', [['word']], 5);
    expect({ total: page.total, more: page.more }).toEqual({ total: 5 + SEARCH_COUNT_BEYOND, more: true });
    expect(page.lines.map((l) => l.text)).toEqual(['word 116', 'word 117', 'word 118', 'word 119', 'word while in 3']);
    expect(c.h.search('a', parseSearchQuery('"word while"'), 5).lines.map((l) => l.text)).toEqual(['word while in 3']);
  });

  it('matches every term, a quoted one as consecutive words, in the text or the sender, in any case and accent', () => {
    const c = fresh();
    c.open(1);
    c.join('a', 1);
    c.say(1, 'Zed', "Café au lait, s'il vous plaît");
    c.say(1, 'a', 'lait au café');
    c.say(1, 'a', 'ask zed');
    c.h.commit();
    expect(texts(c.h, 'a', [['cafe', 'au']])).toEqual(["Café au lait, s'il vous plaît"]);
    expect(texts(c.h, 'a', [['LAIT'], ['cafe']])).toEqual(["Café au lait, s'il vous plaît", 'lait au café']);
    expect(texts(c.h, 'a', [['zed']])).toEqual(["Café au lait, s'il vous plaît", 'ask zed']);
    expect(texts(c.h, 'a', [['zed'], ['plait']])).toEqual(["Café au lait, s'il vous plaît"]);
    expect(texts(c.h, 'a', [['au', 'cafe', 'lait']])).toEqual([]);
    expect(texts(c.h, 'a', [['caf']])).toEqual([]);
  });

  it("matches words only within the groups the user was in, whatever the index's keys look like", () => {
    const c = fresh();
    c.open(12);
    c.open(13);
    c.join('a', 12);
    c.join('b', 13);
    c.say(12, 'a', 'no numbers here, 12');
    c.say(13, 'b', 'numbers elsewhere');
    c.h.commit();
    expect(c.h.search('a', [['12']], 10).total).toBe(1);
    expect(c.h.search('a', [['g12xnumbers']], 10).total).toBe(0);
    expect(texts(c.h, 'a', [['numbers']])).toEqual(['no numbers here, 12']);
  });

  it("labels each found line with its group's label", () => {
    const c = fresh();
    c.open(1, 'room', '#poetry');
    c.open(2);
    const dm = c.h.directGroup('alice', 'bob', 3, 'alice+bob');
    for (const g of [1, 2, dm, 4]) c.join('alice', g);
    for (const g of [1, 2, dm, 4]) c.say(g, 'bob', `word in ${g}`);
    c.h.commit();
    // Group 4 was never opened: its lines still show, under its id.
    expect(c.h.search('alice', [['word']], 10).lines.map((l) => l.label)).toEqual(['#poetry', '#group-2', 'alice+bob', '#group-4']);
  });
}
