/**
 * Search in the PostgreSQL history, in one round trip. A line read from the table costs a page (a
 * group's lines lie apart there, among everyone's), a line read from the index `history_lines_by_seq`
 * (pg-history-schema.ts) a fraction of one: it holds a group's lines whole, in seq order, so a
 * search reads the table only where the index cannot lead it.
 *
 * - The probe reads the newest lines of the user's intervals from that index, at most
 *   `probeLines` of them. If more than the count covers match (SEARCH_COUNT_BEYOND past the
 *   page), the word is dense: the count is settled ("more than"). If the intervals hold fewer
 *   lines than that, the probe has seen them all, and its count is exact.
 * - A word in one of SPARSE of the probe's lines or more is counted the same way among more of
 *   the newest lines (WIDER times as many), stopping at the count's matches: settled too, unless
 *   that many lines hold fewer matches and there are more lines.
 * - Otherwise the GIN index finds the matches in the user's groups (the query made for each group,
 *   its lexemes scoped to it), kept when an interval of the group covers their seq, and stops one
 *   past what the count covers. A rare word ends there: all its matches are in hand (their pages
 *   read, so the page is taken from the table), the newest are kept.
 * - A word whose count was settled from the newest lines, or with more matches than the count
 *   covers in the GIN index, is walked, each interval's lines newest first, in the index. First
 *   each interval's newest k matches (k is the limit shared among the intervals); the page's cut
 *   is the limit-th newest of those (every match on the page is at least as new, since each of
 *   those is a match); then, in each interval whose k found are all newer than the cut, the
 *   matches below them down to the cut, at most a page of them. That reads about a page of lines
 *   and two or three per interval, not every match.
 *
 * Newest is by id, as in the other stores. Within a group ids grow with seq (SQLite's store makes
 * an interval a range of ids on the same ground), so an interval's newest line by seq is its
 * newest by id, and the cut's id is a seq in each group (the seq of its first line from that id
 * on, read from `history_lines_by_id`).
 */
import { boundedPage, SEARCH_COUNT_BEYOND, type SearchPage } from '../../core/history.js';
import type { SearchQuery } from '../../core/search-query.js';
import { labelOf, toStored, type LineRow } from './pg-history-reads.js';
import { GROUP_MARK, scopedQuery } from './pg-search.js';
import type { SyncPg } from './sync-client.js';
import type { PgValue } from './sync-protocol.js';

/** A found line as json_agg gives it. */
type FoundRow = LineRow & { label: string };

/** How a search counted: from the newest lines, from more of them, or from the GIN index and the table. */
export type SearchWay = 'newest' | 'wider' | 'index';

/** What the search's statement returns: one row. */
export interface SearchRow {
  total: number;
  way: SearchWay;
  lines: FoundRow[];
}

/** Lines of the interval `h`. */
const ofInterval = 'FROM history_lines AS l WHERE l.grp = h.grp AND l.seq > h.from_seq AND l.seq <= h.to_seq';
/** Lines of the interval `h` matching its query. */
const inInterval = `${ofInterval} AND l.words @@ h.q`;
/** The columns of a line the reply needs. */
const columns = 'l.id, l.grp, l.seq, l.sender, l.sender_key, l.text, l.ts';

/**
 * A word in fewer than one of SPARSE of the probe's lines is counted by the GIN index; one in more
 * is counted among up to WIDER times the probe's lines, which hold the count's matches if the
 * word is as frequent in them (WIDER * 2 = SPARSE).
 */
const SPARSE = 16;
const WIDER = 8;

/** The intervals' newest lines, at most `n` in all, each with whether it matches (`m`). */
const newest = (n: string): string => `
  SELECT w.m FROM s AS h CROSS JOIN LATERAL (
    SELECT l.words @@ h.q AS m ${ofInterval} ORDER BY l.seq DESC LIMIT ${n}
  ) AS w LIMIT ${n}`;

// $1 the user, $2 the scoped query, $3 the page's limit, $4 what the count covers ($3 + SEARCH_COUNT_BEYOND), $5 the probe's lines, $6 the wider count's.
const SEARCH = `
  WITH s AS (
    SELECT grp, from_seq, to_seq, replace($2, '${GROUP_MARK}', grp::text)::tsquery AS q
    FROM history_memberships WHERE user_key = $1 AND to_seq > from_seq
  ),
  probe AS (SELECT count(*) FILTER (WHERE m) AS matched, count(*) AS seen FROM (${newest('$5')}) AS x),
  -- The wider count stops at the count's matches; only when it finds fewer is it asked (again,
  -- from pages just read) whether the intervals hold more lines than it read.
  wider AS MATERIALIZED (SELECT count(*) AS matched FROM (SELECT 1 FROM (${newest('$6')}) AS x WHERE m LIMIT $4 + 1) AS y),
  wider_seen AS (SELECT count(*) AS seen FROM (${newest('$6')}) AS x),
  settled AS (
    SELECT CASE
      WHEN p.matched > $4 THEN $4 + 1
      WHEN p.seen < $5 THEN p.matched
      WHEN p.matched * ${SPARSE} < $5 THEN NULL
      WHEN (SELECT matched FROM wider) > $4 THEN $4 + 1
      WHEN (SELECT seen FROM wider_seen) < $6 THEN (SELECT matched FROM wider)
    END AS total,
    CASE WHEN p.matched > $4 OR p.seen < $5 THEN 'newest' ELSE 'wider' END AS way
    FROM probe AS p
  ),
  q AS (SELECT string_agg('(' || replace($2, '${GROUP_MARK}', grp::text) || ')', ' | ')::tsquery AS q FROM (SELECT DISTINCT grp FROM s) AS g),
  found AS MATERIALIZED (
    SELECT l.id FROM history_lines AS l
    WHERE (SELECT total FROM settled) IS NULL AND l.words @@ (SELECT q FROM q)
      AND EXISTS (SELECT 1 FROM s WHERE s.grp = l.grp AND l.seq > s.from_seq AND l.seq <= s.to_seq)
    LIMIT $4 + 1
  ),
  common AS (SELECT (SELECT total FROM settled) IS NOT NULL OR count(*) > $4 AS yes FROM found),
  spans AS MATERIALIZED (SELECT h.* FROM s AS h WHERE (SELECT yes FROM common)),
  k AS (SELECT GREATEST(ceil($3::numeric / GREATEST(count(*), 1)), 1)::int AS k FROM spans),
  firsts AS MATERIALIZED (
    SELECT h.grp, h.from_seq, w.seq, w.id FROM spans AS h CROSS JOIN LATERAL (SELECT l.seq, l.id ${inInterval} ORDER BY l.seq DESC LIMIT (SELECT k FROM k)) AS w
  ),
  cut AS (SELECT COALESCE((SELECT id FROM firsts ORDER BY id DESC OFFSET GREATEST($3 - 1, 0) LIMIT 1), 0) AS id),
  tails AS (
    SELECT h.*, t.oldest FROM spans AS h JOIN (
      SELECT grp, from_seq, min(seq) AS oldest FROM firsts GROUP BY grp, from_seq HAVING count(*) = (SELECT k FROM k) AND min(id) > (SELECT id FROM cut)
    ) AS t USING (grp, from_seq)
  ),
  walked AS (
    SELECT h.grp, w.seq, w.id FROM tails AS h CROSS JOIN LATERAL (
      SELECT l.seq, l.id ${inInterval} AND l.seq < h.oldest
        AND l.seq >= (SELECT c.seq FROM history_lines AS c WHERE c.grp = h.grp AND c.id >= (SELECT id FROM cut) ORDER BY c.id LIMIT 1)
      ORDER BY l.seq DESC LIMIT $3
    ) AS w
  ),
  page AS (
    SELECT ${columns} FROM (SELECT id FROM found WHERE NOT (SELECT yes FROM common) ORDER BY id DESC LIMIT $3) AS t JOIN history_lines AS l USING (id)
    UNION ALL
    SELECT ${columns} FROM (SELECT grp, seq, id FROM firsts UNION SELECT grp, seq, id FROM walked ORDER BY id DESC LIMIT $3) AS t
      JOIN history_lines AS l ON l.grp = t.grp AND l.seq = t.seq
  )
  SELECT COALESCE((SELECT total FROM settled), (SELECT count(*) FROM found))::int AS total,
    CASE WHEN (SELECT total FROM settled) IS NULL THEN 'index' ELSE (SELECT way FROM settled) END AS way,
    COALESCE((
      SELECT json_agg(json_build_object('id', l.id, 'grp', l.grp, 'seq', l.seq, 'sender', l.sender, 'sender_key', l.sender_key,
        'text', l.text, 'ts', l.ts, 'label', ${labelOf('l.grp')}) ORDER BY l.id)
      FROM page AS l
    ), '[]'::json) AS lines`;

/** How many of the intervals' newest lines the probe reads: enough to find the count's matches in them when at least half the lines match. */
export const probeLines = (limit: number): number => 2 * (limit + SEARCH_COUNT_BEYOND + 1);

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
  return { name: 'history_search', text: SEARCH, values: [userKey, scoped, limit, limit + SEARCH_COUNT_BEYOND, probeLines(limit), WIDER * probeLines(limit)] };
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
