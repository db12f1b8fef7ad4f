import { describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../../core/search-query.js';
import { lineVector, scopedQuery, searchWords } from './pg-search.js';

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
    expect(scopedQuery(parseSearchQuery(`"a' b" & ! | <-> :*`))).toBe("'g@xa' <-> 'g@xb'");
  });

  it('asks for every term within a group the database puts in, a phrase as words in a row', () => {
    expect(scopedQuery(parseSearchQuery('"summer\'s day" Love'))).toBe("'g@xsummer' <-> 'g@xs' <-> 'g@xday' & 'g@xlove'");
    expect(scopedQuery([])).toBe('');
  });

  it('cuts a very long word alike in the line and in the query, within what PostgreSQL takes', () => {
    const long = 'é'.repeat(3000);
    const vector = lineVector(5, 'a', long);
    const word = /'g@x([^']+)'/.exec(scopedQuery([[long]]))![1]!;
    expect(Buffer.byteLength(word)).toBe(2000);
    expect(vector).toBe(`'g5xa':1 'g5x${word}':3`);
  });
});
