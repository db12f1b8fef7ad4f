import { describe, expect, it } from 'vitest';
import { parseSonnets, poemText, SonnetBook, SonnetFormatError } from './sonnets.js';

const two = 'I.\n\nFirst line one,\nFirst line two.\n\nII.\n\nSecond sonnet, summer\'s day\nand the summer wind\n';

describe('parseSonnets', () => {
  it('reads titles and verse', () => {
    expect(parseSonnets(two)).toEqual([
      { number: 1, title: 'I.', lines: ['First line one,', 'First line two.'] },
      { number: 2, title: 'II.', lines: ["Second sonnet, summer's day", 'and the summer wind'] },
    ]);
  });
  it('accepts CRLF line ends and extra blank lines', () => {
    expect(parseSonnets('\r\n\r\nI.\r\n\r\n\r\nA line\r\n\r\n\r\n')).toHaveLength(1);
  });
  it.each([
    ['', 'no sonnets found'],
    ['A verse before any title\nI.\n\nx\n', 'line 1: verse before the first title'],
    ['II.\n\nx\n', 'line 1: expected the title I. (sonnet 1), found "II."'],
    ['I.\n\nx\n\nIII.\n\ny\n', 'line 5: expected the title II. (sonnet 2), found "III."'],
    ['I.\n\nx\n\nI.\n\ny\n', 'line 5: expected the title II. (sonnet 2), found "I."'],
    ['I.\n\nII.\n\ny\n', 'sonnet 1 (I.) has no lines (before line 3)'],
    ['I.\n\nx\n\nII.\n\n', 'sonnet 2 (II.) has no lines'],
  ])('refuses %j: %s', (text, msg) => {
    expect(() => parseSonnets(text)).toThrow(SonnetFormatError);
    expect(() => parseSonnets(text)).toThrow(msg);
  });
});

describe('SonnetBook', () => {
  const book = new SonnetBook(parseSonnets(two));

  it('renders the classic poem text', () => {
    expect(poemText(parseSonnets(two)[1]!)).toBe(
      "II.\n\nSecond sonnet, summer's day\nand the summer wind",
    );
  });

  it.each(['2', ' 2 ', '02', 'ii', 'II', 'Ii'])('resolves %j to sonnet 2', (target) => {
    const r = book.resolve(target);
    expect(r.ok && r.sonnet.number).toBe(2);
  });

  it.each([
    ['0', 'there is no sonnet 0: the sonnets run from 1 to 2'],
    ['3', 'there is no sonnet 3'],
    ['1000', 'there is no sonnet 1000'],
    ['-1', '"-1" is not a sonnet number'],
    ['three', '"three" is not a sonnet number'],
    ['', '"" is not a sonnet number'],
    ['1.5', 'is not a sonnet number'],
    ['99999999999999999999', 'is not a sonnet number'],
  ])('explains %j', (target, msg) => {
    const r = book.resolve(target);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.msg).toContain(msg);
  });

  it('finds lines by word, case-insensitively, ignoring punctuation', () => {
    expect(book.search('SUMMER', 10)).toEqual({
      total: 2,
      hits: [
        { number: 2, title: 'II.', line: 1, text: "Second sonnet, summer's day" },
        { number: 2, title: 'II.', line: 2, text: 'and the summer wind' },
      ],
    });
    expect(book.search('summer wind!', 10).hits.map((h) => h.line)).toEqual([2]);
    expect(book.search('first', 1)).toEqual({ total: 2, hits: [{ number: 1, title: 'I.', line: 1, text: 'First line one,' }] });
    expect(book.search('nowhere', 10)).toEqual({ total: 0, hits: [] });
    expect(book.search('  ... ', 10)).toEqual({ total: 0, hits: [] });
  });
});
