/**
 * Reading lines back out of the history database: a row as the core's StoredLine, and the reads
 * of the page algorithm (core/history-page.ts), each served by an index: a user's intervals by
 * seen_by_user, a group's lines by line_pos (a range of its seqs, LIMITed) and then by id, labels
 * by the groups key. line_pos is in the index file (attached as `idx`), complete once the index
 * has caught up with the commits, which every read waits for.
 */
import type Database from 'better-sqlite3';
import type { StoredLine } from '../core/history.js';
import type { PageSource, Span } from '../core/history-page.js';

export interface LineRow {
  id: number;
  grp: number;
  seq: number;
  sender: string;
  sender_key: string;
  text: string;
  ts: number;
}

export function toStored(r: LineRow): StoredLine {
  return { id: r.id, group: r.grp, seq: r.seq, sender: r.sender, senderKey: r.sender_key, text: r.text, ts: r.ts };
}

/** The page algorithm's reads on `db`; `lastOf` gives a group's last seq, counting lines not yet in line_pos. */
export function pageReads(db: Database.Database, lastOf: (group: number) => number): PageSource {
  const spanFields = 's.grp AS "group", s.from_seq AS "from", s.to_seq AS "to"';
  const labelled = `SELECT ${spanFields}, COALESCE(g.label, '#group-' || s.grp) AS label FROM seen AS s LEFT JOIN groups AS g ON g.id = s.grp WHERE s.user = ? AND s.to_seq > s.from_seq`;
  const allSpans = db.prepare<[string], Span & { label: string }>(labelled);
  const groupSpans = db.prepare<[string, number], Span>(`SELECT ${spanFields} FROM seen AS s WHERE s.user = ? AND s.grp = ? AND s.to_seq > s.from_seq`);
  const inGroup = 'FROM idx.line_pos AS p JOIN lines AS l ON l.id = p.id WHERE p.grp = ?';
  const firstFrom = db.prepare<[number, number, number], { seq: number; ts: number }>(`SELECT p.seq, l.ts ${inGroup} AND p.seq >= ? AND p.seq <= ? ORDER BY p.seq LIMIT 1`);
  const range = `SELECT l.* ${inGroup} AND p.seq > ? AND p.seq <= ? ORDER BY p.seq`;
  const oldest = db.prepare<[number, number, number, number], LineRow>(`${range} LIMIT ?`);
  const newest = db.prepare<[number, number, number, number], LineRow>(`${range} DESC LIMIT ?`);
  const labelOf = db.prepare<[number], string>('SELECT label FROM groups WHERE id = ?').pluck();
  return {
    spans: (userKey, place) => {
      if (place && 'group' in place) return groupSpans.all(userKey, place.group);
      const spans = allSpans.all(userKey);
      if (!place) return spans;
      const label = place.label.toLowerCase();
      return spans.filter((s) => s.label.toLowerCase() === label);
    },
    firstFrom: (group, from, upTo) => firstFrom.get(group, from, upTo),
    lastOf,
    linesIn: (group, after, upTo, newestFirst, limit) => {
      const rows = (newestFirst ? newest : oldest).all(group, after, upTo, limit).map(toStored);
      return newestFirst ? rows.reverse() : rows;
    },
    labelOf: (group) => labelOf.get(group) ?? `#group-${group}`,
  };
}
