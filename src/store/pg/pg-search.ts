/**
 * The text search of the PostgreSQL history: what a line's `tsvector` holds and what a search's
 * `tsquery` asks, both written here as PostgreSQL's literal syntax rather than made by
 * `to_tsvector`. PostgreSQL's own parser splits text otherwise than the other stores do (`foo-bar`,
 * `1.5`, URLs, letters its locale does not know); building the lexemes from the same words
 * (core/sonnets.ts `words`, accents removed) gives the same answers as the SQLite and memory stores.
 * Like the `simple` configuration, nothing is stemmed and no word is dropped.
 *
 * Lexemes are scoped to their group (`g12xword`, as scoped-index.ts does for SQLite), so the GIN
 * postings a search reads are those of the groups the user was in, not of the whole history. The
 * sender's words come first, one position apart from the text's, so a phrase matches within one of
 * them and never across the two. No user text reaches PostgreSQL but as quoted lexemes.
 */
import type { SearchQuery } from '../../core/search-query.js';
import { words } from '../../core/sonnets.js';

/** PostgreSQL's longest lexeme is 2046 bytes; longer words are cut alike in lines and queries, leaving room for the group. */
const MAX_WORD_BYTES = 2000;
/** Stands for the group in a query's lexemes (never in a word: words are letters and digits). */
export const GROUP_MARK = '@';
/** PostgreSQL's largest word position; later words share it (phrases that far in a line may miss). */
const MAX_POSITION = 16383;

/** Text with no accent to remove (most chat lines): its words are as the index holds them already. */
const ASCII = /^[\x00-\x7f]*$/;

/** Words as the index holds them: lower case, accents removed (as SQLite's unicode61 folds them, and the memory store does). */
export function searchWords(text: string): string[] {
  const list = words(text);
  return ASCII.test(text) ? list : list.map((w) => w.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC'));
}

/** A word within its group (or GROUP_MARK), quoted for tsvector and tsquery input. */
function lexeme(group: number | typeof GROUP_MARK, word: string): string {
  // A UTF-16 unit is at most 3 bytes in UTF-8: a word that short is never cut.
  let cut = word;
  if (word.length * 3 > MAX_WORD_BYTES) {
    const bytes = Buffer.from(word, 'utf8');
    if (bytes.length > MAX_WORD_BYTES) cut = bytes.subarray(0, MAX_WORD_BYTES).toString('utf8').replace(/\uFFFD+$/u, '');
  }
  return `'g${group}x${cut.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/** The `tsvector` literal of a line: its sender's words, a gap, then its text's words. */
export function lineVector(group: number, sender: string, text: string): string {
  const positions = new Map<string, number[]>();
  let at = 0;
  const add = (list: string[]): void => {
    for (const w of list) {
      at = Math.min(at + 1, MAX_POSITION);
      const key = lexeme(group, w);
      const seen = positions.get(key);
      if (seen === undefined) positions.set(key, [at]);
      else if (seen[seen.length - 1] !== at) seen.push(at);
    }
  };
  add(searchWords(sender));
  at++;
  add(searchWords(text));
  return [...positions].map(([key, at]) => `${key}:${at.join(',')}`).join(' ');
}

/**
 * The `tsquery` literal of a search within one group, GROUP_MARK standing for the group: every
 * term, each a phrase. The database puts in each of the user's groups (pg-history-reads.ts).
 */
export function scopedQuery(query: SearchQuery): string {
  const terms = query.map((term) => term.flatMap(searchWords)).filter((term) => term.length > 0);
  return terms.map((term) => term.map((w) => lexeme(GROUP_MARK, w)).join(' <-> ')).join(' & ');
}
