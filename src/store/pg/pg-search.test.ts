import { describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../../core/search-query.js';
import { groupsQuery, lineVector, searchWords } from './pg-search.js';

describe('the PostgreSQL search literals', () => {
  it.each([
    ["Café au lait, s'il vous plaît", ['cafe', 'au', 'lait', 's', 'il', 'vous', 'plait']],
    ['foo-bar 1.5 http://x.org/a_b', ['foo', 'bar', '1', '5', 'http', 'x', 'org', 'a', 'b']],
    ['ÀÉÎ Ørsted naïve', ['aei', 'ørsted', 'naive']],
    ['', []],
  ])('splits %j into the words the other stores index', (text, expected) => {
    expect(searchWords(text)).toEqual(expected);
  });

  it('puts the sender first and the text one position further, each word scoped to its group', () => {
    expect(lineVector(12, 'Zed', 'ask zed, zed')).toBe("'g12xzed':1,4,5 'g12xask':3");
  });

  it('quotes what the tsvector and tsquery syntax would read otherwise', () => {
    // Words hold letters and digits only; a backslash or quote could only come from a change to words().
    expect(lineVector(1, '', "it's")).toBe("'g1xit':2 'g1xs':3");
    expect(groupsQuery(parseSearchQuery(`"a' b" & ! | <-> :*`), [3])).toBe("('g3xa' <-> 'g3xb')");
  });

  it('asks for every term in any of the groups, a phrase as words in a row', () => {
    expect(groupsQuery(parseSearchQuery('"summer\'s day" Love'), [1, 7])).toBe(
      "('g1xsummer' <-> 'g1xs' <-> 'g1xday' & 'g1xlove') | ('g7xsummer' <-> 'g7xs' <-> 'g7xday' & 'g7xlove')",
    );
    expect(groupsQuery(parseSearchQuery('love'), [])).toBe('');
    expect(groupsQuery([], [1])).toBe('');
  });

  it('cuts a very long word alike in the line and in the query, within what PostgreSQL takes', () => {
    const long = 'é'.repeat(3000);
    const vector = lineVector(5, 'a', long);
    const query = groupsQuery([[long]], [5]);
    const lexeme = /'(g5x[^']+)'/.exec(query)![1]!;
    expect(Buffer.byteLength(lexeme)).toBeLessThanOrEqual(2000);
    expect(vector).toContain(`'${lexeme}':3`);
  });
});
