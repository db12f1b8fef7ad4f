/** The shipped corpus, read by the server's own loader, checked line by line against the published checksums. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSonnets, SonnetBook } from './sonnets.js';

const root = new URL('../../', import.meta.url);
const sonnets = parseSonnets(readFileSync(new URL('data/sonnets.txt', root), 'utf8'));
const expected = readFileSync(new URL('test/fixtures/sonnets-lines.tsv', root), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((row) => row.split('\t'))
  .map(([s, l, h]) => ({ sonnet: Number(s), line: Number(l), hash: h! }));

/** The checksum file's normalisation: lower-case, keep a-z, whitespace to a space, collapse, trim. */
function checksum(line: string): string {
  const normal = line.toLowerCase().replace(/\s/g, ' ').replace(/[^a-z ]/g, '').replace(/ +/g, ' ').trim();
  return createHash('sha256').update(normal).digest('hex').slice(0, 16);
}

describe('data/sonnets.txt', () => {
  it('holds 154 sonnets of 14 lines, except 99 (15) and 126 (12)', () => {
    expect(sonnets).toHaveLength(154);
    const odd = sonnets.filter((s) => s.lines.length !== 14).map((s) => [s.number, s.lines.length]);
    expect(odd).toEqual([[99, 15], [126, 12]]);
    expect(sonnets.reduce((n, s) => n + s.lines.length, 0)).toBe(2155);
  });

  it('matches all 2,155 line checksums', () => {
    expect(expected).toHaveLength(2155);
    const differing = expected
      .filter(({ sonnet, line, hash }) => {
        const text = sonnets[sonnet - 1]?.lines[line - 1];
        return text === undefined || checksum(text) !== hash;
      })
      .map(({ sonnet, line }) => `sonnet ${sonnet} line ${line}: ${JSON.stringify(sonnets[sonnet - 1]?.lines[line - 1] ?? null)}`);
    expect(differing).toEqual([]);
  });

  it('finds the one about a summer\'s day', () => {
    const book = new SonnetBook(sonnets);
    expect(book.search("summer's day", 5).hits[0]).toMatchObject({ number: 18, line: 1 });
  });
});
