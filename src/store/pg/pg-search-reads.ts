/**
 * Search in the PostgreSQL history, in one round trip. Reading a match costs a page of the table
 * (a group's lines lie apart, among everyone's), so a search reads as few as it can:
 *
 * - The GIN index finds the matches in the user's groups (the query made for each group, its
 *   lexemes scoped to it), kept when an interval of the group covers their seq, and stops one past
 *   what the count covers (SEARCH_COUNT_BEYOND past the page). A rare word ends there: all its
 *   matches are in hand, the newest are taken from them.
 * - A common word has more: its newest matches are found by walking each interval's lines newest
 *   first by (grp, id) instead. First each interval's newest match; the page's cut is the limit-th
 *   newest of those (every match on the page is at least as new, since each of those is a match),
 *   then each interval's matches down to the cut, at most a page of them. That reads about a page
 *   of lines and two or three per interval, not every match.
 *
 * Newest is by id, as in the other stores. An interval's seqs are made a range of ids as SQLite's
 * store makes them (the id of its last line at or below each bound: ids grow with seq within a
 * group); the seqs are checked as well.
 */
import { boundedPage, SEARCH_COUNT_BEYOND, type SearchPage } from '../../core/history.js';
import type { SearchQuery } from '../../core/search-query.js';
import { labelOf, toStored, type LineRow } from './pg-history-reads.js';
import { OPEN_SEQ } from './pg-history-schema.js';
import { GROUP_MARK, scopedQuery } from './pg-search.js';
import type { SyncPg } from './sync-client.js';

/** A found line as json_agg gives it. */
type FoundRow = LineRow & { label: string };

/** The id of the group's line at or below seq `bound` (the interval `s`'s group), in SQL; NULL when none. Not looked up for an interval from the group's start or still open. */
const idAt = (bound: string): string => `(SELECT id FROM history_lines WHERE grp = s.grp AND seq <= ${bound} ORDER BY seq DESC LIMIT 1)`;

/** Lines of the interval `h` matching its query, newest first by the (grp, id) index. */
const inInterval = 'FROM history_lines AS l WHERE l.grp = h.grp AND l.id > h.from_id AND l.seq > h.from_seq AND l.seq <= h.to_seq AND l.words @@ h.q';

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
    SELECT s.*, CASE WHEN s.from_seq = 0 THEN 0 ELSE COALESCE(${idAt('s.from_seq')}, 0) END AS from_id,
      CASE WHEN s.to_seq = ${OPEN_SEQ} THEN ${OPEN_SEQ} ELSE ${idAt('s.to_seq')} END AS to_id
    FROM s WHERE (SELECT yes FROM common)
  ),
  heads AS MATERIALIZED (
    SELECT h.*, (SELECT l.id ${inInterval} AND l.id <= h.to_id ORDER BY l.id DESC LIMIT 1) AS head FROM spans AS h WHERE h.to_id IS NOT NULL
  ),
  cut AS (SELECT COALESCE((SELECT head FROM heads WHERE head IS NOT NULL ORDER BY head DESC OFFSET GREATEST($3 - 1, 0) LIMIT 1), 0) AS id),
  walked AS (
    SELECT w.id FROM heads AS h CROSS JOIN LATERAL (
      SELECT l.id ${inInterval} AND l.id <= h.head AND l.id >= (SELECT id FROM cut) ORDER BY l.id DESC LIMIT $3
    ) AS w
    WHERE h.head IS NOT NULL
  ),
  top AS (
    SELECT id FROM (SELECT id FROM found WHERE NOT (SELECT yes FROM common) UNION SELECT id FROM walked) AS t ORDER BY id DESC LIMIT $3
  )
  SELECT (SELECT count(*) FROM found)::int AS total,
    COALESCE((
      SELECT json_agg(json_build_object('id', l.id, 'grp', l.grp, 'seq', l.seq, 'sender', l.sender, 'sender_key', l.sender_key,
        'text', l.text, 'ts', l.ts, 'label', ${labelOf('l.grp')}) ORDER BY l.id)
      FROM top JOIN history_lines AS l ON l.id = top.id
    ), '[]'::json) AS lines`;

/** The user's newest `limit` matches, oldest first, and how many there are, counted up to SEARCH_COUNT_BEYOND past the page. */
export function searchLines(db: SyncPg, userKey: string, query: SearchQuery, limit: number): SearchPage {
  const scoped = scopedQuery(query);
  if (scoped === '') return { lines: [], total: 0 };
  const [row] = db.query<{ total: number; lines: FoundRow[] }>(SEARCH, [userKey, scoped, limit, limit + SEARCH_COUNT_BEYOND]);
  return boundedPage(
    row!.lines.map((r) => ({ ...toStored(r), label: r.label })),
    row!.total,
    limit,
  );
}
