import { describe, expect, it } from 'vitest';
import { fromRoman, toRoman } from './roman.js';

describe('roman numerals', () => {
  it.each([
    [1, 'I'], [4, 'IV'], [9, 'IX'], [14, 'XIV'], [18, 'XVIII'], [40, 'XL'], [49, 'XLIX'],
    [99, 'XCIX'], [126, 'CXXVI'], [144, 'CXLIV'], [154, 'CLIV'],
  ])('%i is %s both ways', (n, r) => {
    expect(toRoman(n)).toBe(r);
    expect(fromRoman(r)).toBe(n);
    expect(fromRoman(r.toLowerCase())).toBe(n);
  });
  it('round-trips 1..3999', () => {
    for (let n = 1; n < 4000; n++) expect(fromRoman(toRoman(n))).toBe(n);
  });
  it.each(['', 'IIII', 'IC', 'VX', 'XVIIII', 'abc', '12', 'I V'])('rejects %j', (text) => {
    expect(fromRoman(text)).toBeNull();
  });
  it('refuses numbers outside 1..3999', () => {
    expect(() => toRoman(0)).toThrow(RangeError);
    expect(() => toRoman(4000)).toThrow(RangeError);
  });
});
