/**
 * The history's part of `migrate-history`: groups and their labels, direct conversations,
 * memberships and lines go from the SQLite file (format 4, store/history-schema.ts) into the
 * PostgreSQL history with the ids they had, so search, pages and direct conversations answer as
 * before. The id sequences are moved past the copied ids before any row is copied, so a server
 * started on the database afterwards never hands one out again.
 *
 * Memberships an unclean stop left open are ended as the SQLite store ends them at start, at their
 * group's last seq. A deleted line is copied as a row without text: its seq still counts.
 */
import type Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../history-schema.js';
import { migrate } from './migrate.js';
import { HISTORY_STEPS } from './pg-history-schema.js';
import { lineVector } from './pg-search.js';
import { inBatches, insertedCount, type CopyPart } from './sqlite-copy.js';
import type { SyncPg } from './sync-client.js';

/** The node name the copy's run is registered under; its memberships belong to that run. */
const COPY_NODE = 'migrate-history';
const BATCH = 2000;
/** `to_seq` of an open membership in the SQLite file (history-queue.ts OPEN). */
const SQLITE_OPEN = Number.MAX_SAFE_INTEGER;

interface SourceLine {
  id: number;
  grp: number;
  seq: number;
  sender: string;
  sender_key: string;
  /** null: a deleted line's place. */
  text: string | null;
  ts: number;
}

/** The history part; `prepare` registers the run its memberships are copied under. */
export function historyCopy(): CopyPart {
  let run = 0;
  return {
    name: 'history',
    prepare(source, target) {
      const version = source.pragma('user_version', { simple: true }) as number;
      if (version !== SCHEMA_VERSION) {
        throw new Error(`the SQLite history is in format ${version}; this version copies format ${SCHEMA_VERSION}: start the server once on it (it upgrades the file), stop it, then copy`);
      }
      migrate(target, 'history', HISTORY_STEPS);
      run = copyRun(target);
      const maxOf = (sql: string): number => (source.prepare(sql).pluck().get() as number | null) ?? 0;
      const lastLine = Math.max(
        maxOf('SELECT MAX(id) FROM lines'),
        maxOf('SELECT MAX(id) FROM gone'),
        maxOf("SELECT MAX(value) FROM meta WHERE key = 'deleted_upto'"),
      );
      reserve(target, 'line', 'history_line_ids', lastLine);
      reserve(target, 'membership', 'history_membership_ids', maxOf('SELECT MAX(id) FROM seen'));
    },
    steps: [
      {
        name: 'groups',
        count: (source) => source.prepare('SELECT COUNT(*) FROM groups').pluck().get() as number,
        copy: (source, target, read) =>
          inBatches(source.prepare<[], { id: number; created: number; kind: string; label: string }>('SELECT id, created, kind, label FROM groups ORDER BY id').iterate(), BATCH, (rows) => {
            read(rows.length);
            return insertedCount(target, 'INSERT INTO history_groups (id, created, kind, label) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING', [
              rows.map((r) => r.id),
              rows.map((r) => r.created),
              rows.map((r) => r.kind),
              rows.map((r) => r.label),
            ]);
          }),
      },
      {
        name: 'direct conversations',
        count: (source) => source.prepare('SELECT COUNT(*) FROM directs').pluck().get() as number,
        copy: (source, target, read) =>
          inBatches(source.prepare<[], { key_a: string; key_b: string; grp: number }>('SELECT key_a, key_b, grp FROM directs').iterate(), BATCH, (rows) => {
            read(rows.length);
            return insertedCount(target, 'INSERT INTO history_directs (key_a, key_b, grp) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) ON CONFLICT DO NOTHING', [
              rows.map((r) => r.key_a),
              rows.map((r) => r.key_b),
              rows.map((r) => r.grp),
            ]);
          }),
      },
      {
        name: 'memberships',
        count: (source) => source.prepare('SELECT COUNT(*) FROM seen').pluck().get() as number,
        copy: (source, target, read) => {
          const last = lastSeqs(source);
          const seen = source.prepare<[], { id: number; user: string; grp: number; from_seq: number; to_seq: number }>('SELECT id, user, grp, from_seq, to_seq FROM seen ORDER BY id');
          return inBatches(seen.iterate(), BATCH, (rows) => {
            read(rows.length);
            const ended = rows.map((r) => (r.to_seq === SQLITE_OPEN ? Math.max(r.from_seq, last.get(r.grp) ?? 0) : r.to_seq));
            return insertedCount(
              target,
              `INSERT INTO history_memberships (id, run, user_key, grp, from_seq, to_seq)
                SELECT id, $6::bigint, user_key, grp, from_seq, to_seq FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[]) AS m (id, user_key, grp, from_seq, to_seq)
                ON CONFLICT DO NOTHING`,
              [rows.map((r) => r.id), rows.map((r) => r.user), rows.map((r) => r.grp), rows.map((r) => r.from_seq), ended, run],
            );
          });
        },
      },
      {
        name: 'lines',
        count: (source) => source.prepare('SELECT (SELECT COUNT(*) FROM lines) + (SELECT COUNT(*) FROM gone)').pluck().get() as number,
        copy: (source, target, read) => {
          const take = (rows: SourceLine[]): number => {
            read(rows.length);
            return insertLines(target, rows);
          };
          const kept = source.prepare<[], SourceLine>('SELECT id, grp, seq, sender, sender_key, text, ts FROM lines ORDER BY id');
          // A deleted line's time is never read (pages skip it); only its seq counts.
          const deleted = source.prepare<[], SourceLine>("SELECT id, grp, seq, '' AS sender, '' AS sender_key, NULL AS text, 0 AS ts FROM gone ORDER BY id");
          return inBatches(kept.iterate(), BATCH, take) + inBatches(deleted.iterate(), BATCH, take);
        },
      },
    ],
  };
}

/**
 * A batch of lines, those PostgreSQL lacks; how many were new. The stored count of lines gains the
 * new ones that kept their text in the same statement, as a commit's does (pg-history-writes.ts).
 */
function insertLines(target: SyncPg, rows: readonly SourceLine[]): number {
  return target.query<{ n: number }>(
    `WITH added AS (
        INSERT INTO history_lines (id, grp, seq, sender, sender_key, text, ts, words)
        SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::tsvector[])
        ON CONFLICT DO NOTHING
        RETURNING text IS NOT NULL AS kept),
      counted AS (UPDATE history_line_count SET lines = lines + (SELECT count(*) FROM added WHERE kept))
      SELECT count(*)::int AS n FROM added`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.grp),
      rows.map((r) => r.seq),
      rows.map((r) => r.sender),
      rows.map((r) => r.sender_key),
      rows.map((r) => r.text),
      rows.map((r) => r.ts),
      rows.map((r) => (r.text === null ? null : lineVector(r.grp, r.sender, r.text))),
    ],
  )[0]!.n;
}

/** Each group's last seq in the file, deleted lines included. */
function lastSeqs(source: Database.Database): Map<number, number> {
  const rows = source.prepare<[], { grp: number; seq: number }>('SELECT grp, MAX(seq) AS seq FROM (SELECT grp, seq FROM gone UNION ALL SELECT grp, seq FROM lines) GROUP BY grp').all();
  return new Map(rows.map((r) => [r.grp, r.seq]));
}

/**
 * The run the copied memberships belong to: the one an earlier copy registered, or a new one. A
 * history that servers have written to already is refused: its ids and the file's would collide.
 */
function copyRun(target: SyncPg): number {
  const [state] = target.query<{ filled: boolean; run: string | null }>(
    `SELECT (EXISTS (SELECT 1 FROM history_lines) OR EXISTS (SELECT 1 FROM history_groups) OR EXISTS (SELECT 1 FROM history_memberships)) AS filled,
       (SELECT min(run) FROM history_runs WHERE node = $1) AS run`,
    [COPY_NODE],
  );
  if (state!.run !== null) return Number(state!.run);
  if (state!.filled) throw new Error('PostgreSQL already holds a history that was not copied from SQLite: copying into it would mix two histories');
  return Number(target.query<{ run: string }>("INSERT INTO history_runs (run, node, started) VALUES (nextval('history_run_ids'), $1, $2) RETURNING run", [COPY_NODE, Date.now()])[0]!.run);
}

/** Moves a block sequence past `last`, and takes back any handed-back ids at or below it. */
function reserve(target: SyncPg, kind: string, sequence: string, last: number): void {
  if (last === 0) return;
  target.transaction([
    { sql: `SELECT setval('${sequence}', GREATEST($1, (SELECT last_value FROM ${sequence})))`, params: [last] },
    { sql: 'DELETE FROM history_free_ids WHERE kind = $1 AND last <= $2', params: [kind, last] },
    { sql: 'UPDATE history_free_ids SET first = $2 + 1 WHERE kind = $1 AND first <= $2', params: [kind, last] },
  ]);
}
