/**
 * Search in the PostgreSQL history, in one round trip. Reading a match costs a page of the table
 * (a group's lines lie apart, among everyone's), so a search reads as few as it can:
 *
 * - The GIN index finds the matches in the user's groups (the query made for each group, its
 *   lexemes scoped to it), kept when an interval of the group covers their seq, and stops one past
 *   what the count covers (SEARCH_COUNT_BEYOND past the page). A rare word ends there: all its
 *   matches are in hand, the newest are taken from them.
 * - A common word has more: its newest matches are found by walking each interval's lines newest
 *   first instead. First each interval's newest k matches (by (grp, seq); k is the limit shared
 *   among the intervals); the page's cut is the limit-th newest of those (every match on the page
 *   is at least as new, since each of those is a match); then, in each interval whose k found
 *   are all newer than the cut, the matches below them down to the cut (by (grp, id)), at most a
 *   page of them. That reads about a page of lines and two or three per interval, not every match.
 *
 * Newest is by id, as in the other stores. Within a group ids grow with seq (SQLite's store makes
 * an interval a range of ids on the same ground), so an interval's newest line by seq is its
 * newest by id, and the id of the line it starts after bounds the walk below.
 */
import { boundedPage, SEARCH_COUNT_BEYOND, type SearchPage } from '../../core/history.js';
import type { SearchQuery } from '../../core/search-query.js';
import { labelOf, toStored, type LineRow } from './pg-history-reads.js';
import { GROUP_MARK, scopedQuery } from './pg-search.js';
import type { SyncPg } from './sync-client.js';
import type { PgValue } from './sync-protocol.js';

/** A found line as json_agg gives it. */
type FoundRow = LineRow & { label: string };

/** What the search's statement returns: one row. */
export interface SearchRow {
  total: number;
  lines: FoundRow[];
}

/** Lines of the interval `h` matching its query. */
const inInterval = 'FROM history_lines AS l WHERE l.grp = h.grp AND l.seq > h.from_seq AND l.seq <= h.to_seq AND l.words @@ h.q';

const SEARCH = `
  WITH s AS (
    SELECT grp, from_seq, to_seq, replace($2, '${GROUP_MARK}', grp::text)::tsquery AS q
    FROM history_memberships WHERE user_key = $1 AND to_seq > from_seq
  ),
  q AS (SELECT string_agg('(' || replace($2, '${GROUP_MARK}', grp::text) || ')', ' | ')::tsquery AS q FROM (SELECT DISTINCT grp FROM s) AS g),
  found AS MATERIALIZED (
    SELECT l.id FROM history_lines AS l
    WHERE l.words @@ (SELECT q FROM q) AND EXISTS (SELECT 1 FROM s WHERE s.grp = l.grp AND l.seq > s.from_seq AND l.seq <= s.to_seq)
    LIMIT $4 + 1
  ),
  common AS (SELECT count(*) > $4 AS yes FROM found),
  spans AS MATERIALIZED (
    SELECT h.*, CASE WHEN h.from_seq = 0 THEN 0 ELSE (SELECT id FROM history_lines WHERE grp = h.grp AND seq <= h.from_seq ORDER BY seq DESC LIMIT 1) END AS from_id
    FROM s AS h WHERE (SELECT yes FROM common)
  ),
  k AS (SELECT GREATEST(ceil($3::numeric / GREATEST(count(*), 1)), 1)::int AS k FROM spans),
  firsts AS MATERIALIZED (
    SELECT h.grp, h.from_seq, w.id FROM spans AS h CROSS JOIN LATERAL (SELECT l.id ${inInterval} ORDER BY l.seq DESC LIMIT (SELECT k FROM k)) AS w
  ),
  cut AS (SELECT COALESCE((SELECT id FROM firsts ORDER BY id DESC OFFSET GREATEST($3 - 1, 0) LIMIT 1), 0) AS id),
  tails AS (
    SELECT h.*, t.oldest FROM spans AS h JOIN (
      SELECT grp, from_seq, min(id) AS oldest FROM firsts GROUP BY grp, from_seq HAVING count(*) = (SELECT k FROM k) AND min(id) > (SELECT id FROM cut)
    ) AS t USING (grp, from_seq)
  ),
  walked AS (
    SELECT w.id FROM tails AS h CROSS JOIN LATERAL (
      SELECT l.id ${inInterval} AND l.id < h.oldest AND l.id >= GREATEST((SELECT id FROM cut), h.from_id) ORDER BY l.id DESC LIMIT $3
    ) AS w
  ),
  top AS (
    SELECT id FROM (SELECT id FROM found WHERE NOT (SELECT yes FROM common) UNION SELECT id FROM firsts UNION SELECT id FROM walked) AS t ORDER BY id DESC LIMIT $3
  )
  SELECT (SELECT count(*) FROM found)::int AS total,
    COALESCE((
      SELECT json_agg(json_build_object('id', l.id, 'grp', l.grp, 'seq', l.seq, 'sender', l.sender, 'sender_key', l.sender_key,
        'text', l.text, 'ts', l.ts, 'label', ${labelOf('l.grp')}) ORDER BY l.id)
      FROM top JOIN history_lines AS l ON l.id = top.id
    ), '[]'::json) AS lines`;

/** The search's one statement, named to be prepared once per connection. */
export interface SearchStatement {
  name: string;
  text: string;
  values: PgValue[];
}

/** The statement that finds the user's newest `limit` matches and counts them; null when the query holds no word to look for. */
export function searchStatement(userKey: string, query: SearchQuery, limit: number): SearchStatement | null {
  const scoped = scopedQuery(query);
  if (scoped === '') return null;
  return { name: 'history_search', text: SEARCH, values: [userKey, scoped, limit, limit + SEARCH_COUNT_BEYOND] };
}

/** The page the statement's one row makes: the matches oldest first, and how many there are, counted up to SEARCH_COUNT_BEYOND past the page. */
export function searchPage(row: SearchRow, limit: number): SearchPage {
  return boundedPage(
    row.lines.map((r) => ({ ...toStored(r), label: r.label })),
    row.total,
    limit,
  );
}

/** The user's newest `limit` matches, on the store's connection. */
export function searchLines(db: SyncPg, userKey: string, query: SearchQuery, limit: number): SearchPage {
  const statement = searchStatement(userKey, query, limit);
  if (statement === null) return { lines: [], total: 0 };
  const [row] = db.prepared<SearchRow>(statement.name, statement.text, statement.values);
  return searchPage(row!, limit);
}
