/**
 * Group-scoped search tokens. Every word of a line is indexed as `g<group>x<word>`, so the
 * postings of a word within one group are a short list of their own: a search costs what the
 * user may see, not what the whole history holds. Queries are built from quoted phrases of
 * such tokens only, so no user text can become an FTS5 operator.
 */
import { words } from '../core/sonnets.js';
import type { SearchQuery } from '../core/search-query.js';

function scope(group: number, word: string): string {
  return `g${group}x${word}`;
}

/** The indexed form of a text within a group. */
export function scopedText(group: number, text: string): string {
  return words(text).map((w) => scope(group, w)).join(' ');
}

/** The FTS5 query for `query` within `group`: every term a scoped phrase, in the body or the sender. */
export function scopedQuery(query: SearchQuery, group: number): string {
  return query.map((term) => `{body sender} : "${term.map((w) => scope(group, w)).join(' ').replaceAll('"', '""')}"`).join(' AND ');
}
