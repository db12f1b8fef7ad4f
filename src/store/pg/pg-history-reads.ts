/**
 * Reading the PostgreSQL history: rows as the core's lines, and the reads of the page algorithm
 * (core/history-page.ts) each served by an index (memberships by user, a group's lines by
 * (grp, seq), labels by group id); search is pg-search-reads.ts. PostgreSQL hands bigint columns back as strings;
 * they are made numbers here, once (ids, seqs and times stay below 2^53).
 */
import type { StoredLine } from '../../core/history.js';
import type { PageSource, Span } from '../../core/history-page.js';
import type { SyncPg } from './sync-client.js';

/** A bigint: a string in a column, a number inside JSON. */
type Big = string | number;

/** A line as PostgreSQL returns it (a deleted line has no text, and is never read as a line). */
export interface LineRow {
  id: Big;
  grp: Big;
  seq: Big;
  sender: string;
  sender_key: string;
  text: string;
  ts: Big;
}

const LINE_FIELDS = 'id, grp, seq, sender, sender_key, text, ts';

/** A row as the core's line. */
export function toStored(r: LineRow): StoredLine {
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

/** The SQL of a group's label, the group given as SQL. */
export const labelOf = (group: string): string => `COALESCE((SELECT label FROM history_groups WHERE id = ${group}), '#group-' || ${group})`;

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
