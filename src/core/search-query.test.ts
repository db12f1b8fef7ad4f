import { describe, expect, it } from 'vitest';
import { parseSearchQuery } from './search-query.js';

describe('parseSearchQuery', () => {
  it.each([
    ['love', [['love']]],
    ['  Love  ICS ', [['love'], ['ics']]],
    ['"summer day" fair', [['summer', 'day'], ['fair']]],
    ["don't", [['don', 't']]],
    ['"unclosed phrase', [['unclosed', 'phrase']]],
    ['Zoë!', [['zoë']]],
    ['"" ... ?!', []],
    ['a"b"c', [['a'], ['b'], ['c']]],
    ['NEAR(a b) OR * ^x col:y', [['near', 'a'], ['b'], ['or'], ['x'], ['col', 'y']]],
  ])('%j', (text, terms) => {
    expect(parseSearchQuery(text)).toEqual(terms);
  });
});
