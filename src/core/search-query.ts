/**
 * The history search grammar: words (all must match, case-insensitive, punctuation ignored)
 * and "quoted phrases" (matched as consecutive words). Pure; the store turns the result
 * into its own query language, so no user text ever reaches it unescaped.
 */
import { words } from './sonnets.js';

/** Each term is a run of words that must appear consecutively; every term must match. */
export type SearchQuery = string[][];

export function parseSearchQuery(text: string): SearchQuery {
  const terms: SearchQuery = [];
  const re = /"([^"]*)"?|[^\s"]+/g;
  for (const match of text.matchAll(re)) {
    const term = words(match[1] ?? match[0]);
    if (term.length > 0) terms.push(term);
  }
  return terms;
}
