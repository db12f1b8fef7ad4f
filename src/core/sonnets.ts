/**
 * The sonnet book: parses the classic corpus layout (a title line `I.`, a blank line, the
 * verse, blank lines between sonnets), refuses a malformed file, resolves `p 18` / `p xviii`,
 * and answers word searches from an index built once.
 */
import { fromRoman, toRoman } from './roman.js';
import type { PoemData, SonnetHit } from './protocol.js';

export type Sonnet = PoemData;

/** A corpus that cannot be served; the message names the line. */
export class SonnetFormatError extends Error {
  override readonly name = 'SonnetFormatError';
}

const TITLE_RE = /^\s*([IVXLCDM]+)\.\s*$/;
const WORD_RE = /[\p{L}\p{N}]+/gu;

/** Lower-case words of a text, split at anything that is not a letter or digit. */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD_RE) ?? [];
}

/** Parses a whole corpus; titles must run I., II., ... without gaps and every sonnet needs verse. */
export function parseSonnets(text: string): Sonnet[] {
  const sonnets: Sonnet[] = [];
  const lines = text.split(/\r?\n/);
  let current: Sonnet | null = null;
  const finish = (atLine: number): void => {
    if (current && current.lines.length === 0) {
      throw new SonnetFormatError(`sonnet ${current.number} (${current.title}) has no lines (before line ${atLine})`);
    }
  };
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trimEnd();
    const title = TITLE_RE.exec(line);
    if (title) {
      finish(lineNo);
      const expected = sonnets.length + 1;
      const found = fromRoman(title[1]!);
      if (found !== expected) {
        throw new SonnetFormatError(`line ${lineNo}: expected the title ${toRoman(expected)}. (sonnet ${expected}), found ${JSON.stringify(line.trim())}`);
      }
      current = { number: expected, title: `${toRoman(expected)}.`, lines: [] };
      sonnets.push(current);
      return;
    }
    if (line.trim() === '') return;
    if (!current) throw new SonnetFormatError(`line ${lineNo}: verse before the first title (expected "I.")`);
    (current as Sonnet).lines.push(line.trim());
  });
  finish(lines.length);
  if (sonnets.length === 0) throw new SonnetFormatError('no sonnets found (expected a title line "I.")');
  return sonnets;
}

/** The classic poem text: title, empty line, verse, joined by newlines. */
export function poemText(sonnet: Sonnet): string {
  return [sonnet.title, '', ...sonnet.lines].join('\n');
}

export type Resolved = { ok: true; sonnet: Sonnet } | { ok: false; msg: string };

export interface SonnetSearch {
  hits: SonnetHit[];
  total: number;
}

export class SonnetBook {
  /** word -> line references (sonnet index * 64 + line index), ascending. */
  private readonly index = new Map<string, number[]>();

  constructor(private readonly sonnets: readonly Sonnet[]) {
    sonnets.forEach((sonnet, s) => {
      sonnet.lines.forEach((line, l) => {
        for (const word of new Set(words(line))) {
          let refs = this.index.get(word);
          if (!refs) this.index.set(word, (refs = []));
          refs.push(s * 64 + l);
        }
      });
    });
  }

  get count(): number {
    return this.sonnets.length;
  }

  /** `"18"`, `"xviii"` or `"XVIII"` to a sonnet, or why not. */
  resolve(target: string): Resolved {
    const text = target.trim();
    const n = /^\d{1,6}$/.test(text) ? Number(text) : fromRoman(text);
    if (n === null) return { ok: false, msg: `"${text.slice(0, 20)}" is not a sonnet number: give 1-${this.count} or a Roman numeral` };
    const sonnet = this.sonnets[n - 1];
    return sonnet ? { ok: true, sonnet } : { ok: false, msg: `there is no sonnet ${n}: the sonnets run from 1 to ${this.count}` };
  }

  /** Lines holding every word of the query, in book order, at most `limit` of them. */
  search(query: string, limit: number): SonnetSearch {
    const wanted = [...new Set(words(query))];
    if (wanted.length === 0) return { hits: [], total: 0 };
    const lists = wanted.map((w) => this.index.get(w) ?? []).sort((a, b) => a.length - b.length);
    const [shortest, ...rest] = lists;
    const others = rest.map((refs) => new Set(refs));
    const matching = (shortest ?? []).filter((ref) => others.every((set) => set.has(ref)));
    const hits = matching.slice(0, limit).map((ref) => {
      const sonnet = this.sonnets[Math.floor(ref / 64)]!;
      const line = ref % 64;
      return { number: sonnet.number, title: sonnet.title, line: line + 1, text: sonnet.lines[line]! };
    });
    return { hits, total: matching.length };
  }
}
