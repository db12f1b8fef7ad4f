/**
 * Reading the PostgreSQL history: rows as the core's lines, the reads of the page algorithm
 * (core/history-page.ts) each served by an index (memberships by user, a group's lines by
 * (grp, seq), labels by group id), and search. PostgreSQL hands bigint columns back as strings;
 * they are made numbers here, once (ids, seqs and times stay below 2^53).
 */
import type { SearchPage, StoredLine } from '../../core/history.js';
import type { PageSource, Span } from '../../core/history-page.js';
import type { SearchQuery } from '../../core/search-query.js';
import { GROUP_MARK, scopedQuery } from './pg-search.js';
import type { SyncPg } from './sync-client.js';

/** A bigint: a string in a column, a number inside JSON. */
type Big = string | number;

/** A line as PostgreSQL returns it (a deleted line has no text, and is never read as a line). */
interface LineRow {
  id: Big;
  grp: Big;
  seq: Big;
  sender: string;
  sender_key: string;
  text: string;
  ts: Big;
}

const LINE_FIELDS = 'id, grp, seq, sender, sender_key, text, ts';

function toStored(r: LineRow): StoredLine {
  return { id: Number(r.id), group: Number(r.grp), seq: Number(r.seq), sender: r.sender, senderKey: r.sender_key, text: r.text, ts: Number(r.ts) };
}

/** The line `id` as it reads now; undefined when never stored or deleted. */
export function readLine(db: SyncPg, id: number): StoredLine | undefined {
  const row = db.query<LineRow>(`SELECT ${LINE_FIELDS} FROM history_lines WHERE id = $1 AND text IS NOT NULL`, [id])[0];
  return row ? toStored(row) : undefined;
}

/** The group's highest committed seq, deleted lines included; 0 when none. */
export function lastSeqOf(db: SyncPg, group: number): number {
  return Number(db.query<{ seq: string }>('SELECT COALESCE(max(seq), 0) AS seq FROM history_lines WHERE grp = $1', [group])[0]!.seq);
}

const labelOf = (group: string): string => `COALESCE((SELECT label FROM history_groups WHERE id = ${group}), '#group-' || ${group})`;

/** The page algorithm's reads. */
export function pageReads(db: SyncPg): PageSource {
  type SpanRow = { grp: string; from_seq: string; to_seq: string; label: string };
  const span = (r: SpanRow): Span => ({ group: Number(r.grp), from: Number(r.from_seq), to: Number(r.to_seq) });
  const mine = 'FROM history_memberships AS m WHERE m.user_key = $1 AND m.to_seq > m.from_seq';
  const live = 'FROM history_lines WHERE grp = $1 AND text IS NOT NULL';
  return {
    spans: (userKey, place) => {
      if (place && 'group' in place) return db.query<SpanRow>(`SELECT grp, from_seq, to_seq ${mine} AND m.grp = $2`, [userKey, place.group]).map(span);
      const rows = db.query<SpanRow>(`SELECT grp, from_seq, to_seq, ${labelOf('m.grp')} AS label ${mine}`, [userKey]);
      // Compared in JavaScript's lower case, as the other stores compare labels.
      const label = place?.label.toLowerCase();
      return rows.filter((r) => label === undefined || r.label.toLowerCase() === label).map(span);
    },
    firstFrom: (group, from, upTo) => {
      const row = db.query<{ seq: string; ts: string }>(`SELECT seq, ts ${live} AND seq >= $2 AND seq <= $3 ORDER BY seq LIMIT 1`, [group, from, upTo])[0];
      return row && { seq: Number(row.seq), ts: Number(row.ts) };
    },
    lastOf: (group) => lastSeqOf(db, group),
    linesIn: (group, after, upTo, newest, limit) => {
      const rows = db.query<LineRow>(`SELECT ${LINE_FIELDS} ${live} AND seq > $2 AND seq <= $3 ORDER BY seq ${newest ? 'DESC' : ''} LIMIT $4`, [group, after, upTo, limit]).map(toStored);
      return newest ? rows.reverse() : rows;
    },
    labelOf: (group) => db.query<{ label: string }>(`SELECT ${labelOf('$1::bigint')} AS label`, [group])[0]!.label,
  };
}

/**
 * The user's newest matches, oldest first, and how many there are in all, in one round trip: the
 * query is made for each group the user was in, its lexemes scoped to that group, so the GIN index
 * hands back only matches in those groups (written as a filter before the intervals, so the
 * planner reads the index rather than every line of the groups); a match is kept when an interval
 * of its group covers its seq. Newest is
 * by id, as in the other stores: the order lines were recorded in, within one process; across
 * processes, by blocks.
 */
export function searchLines(db: SyncPg, userKey: string, query: SearchQuery, limit: number): SearchPage {
  const scoped = scopedQuery(query);
  if (scoped === '') return { lines: [], total: 0 };
  const [row] = db.query<{ total: number; lines: FoundRow[] }>(
    `WITH s AS (SELECT grp, from_seq, to_seq FROM history_memberships WHERE user_key = $1 AND to_seq > from_seq),
     q AS (SELECT string_agg('(' || replace($2, '${GROUP_MARK}', grp::text) || ')', ' | ')::tsquery AS q FROM (SELECT DISTINCT grp FROM s) AS g),
     m AS MATERIALIZED (
       SELECT l.id FROM history_lines AS l
       WHERE l.words @@ (SELECT q FROM q) AND EXISTS (SELECT 1 FROM s WHERE s.grp = l.grp AND l.seq > s.from_seq AND l.seq <= s.to_seq)
     ),
     top AS (SELECT id FROM m ORDER BY id DESC LIMIT $3)
     SELECT (SELECT count(*) FROM m)::int AS total,
       COALESCE((
         SELECT json_agg(json_build_object('id', l.id, 'grp', l.grp, 'seq', l.seq, 'sender', l.sender, 'sender_key', l.sender_key,
           'text', l.text, 'ts', l.ts, 'label', ${labelOf('l.grp')}) ORDER BY l.id)
         FROM top JOIN history_lines AS l ON l.id = top.id
       ), '[]'::json) AS lines`,
    [userKey, scoped, limit],
  );
  return { total: row!.total, lines: row!.lines.map((r) => ({ ...toStored(r), label: r.label })) };
}

/** A found line as json_agg gives it. */
type FoundRow = LineRow & { label: string };
