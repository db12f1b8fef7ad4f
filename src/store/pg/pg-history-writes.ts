/**
 * A commit of the PostgreSQL history as statements for one transaction: each kind of write goes in
 * as one multi-row statement over arrays (`unnest`), not a statement per row, so a turn's lines cost
 * a handful of statements however many there are. Lines, groups and direct conversations do not
 * depend on each other's order; membership changes do (a join, a leave, a join again), so they run
 * in the order queued, a run of writes of one kind per statement. What a failed commit leaves
 * queued (all but its lines) may have been written after all when only the answer was lost, so
 * those statements may run twice: their keys make the second time do nothing.
 */
import type { HistoryWrite } from '../../core/history-queue.js';
import type { StoredLine } from '../../core/history.js';
import { OPEN_SEQ } from './pg-history-schema.js';
import { lineVector } from './pg-search.js';
import type { Statement } from './sync-client.js';

/** Where a line is and who said it: what its words are scoped by. */
export interface LinePlace {
  group: number;
  sender: string;
}

/** What a commit's statements need besides the writes. */
export interface CommitContext {
  /** The store's run, which owns the memberships it records. */
  run: number;
  /** When the commit happens (groups' creation time). */
  now: number;
  /** The places of committed lines that this commit revises (lines it inserts are known already). */
  places: ReadonlyMap<number, LinePlace>;
}

/** The ids of lines the writes revise that they do not insert: their places must be read first. */
export function revisedElsewhere(writes: readonly HistoryWrite[]): number[] {
  const inserted = new Set(writes.flatMap((w) => (w.kind === 'line' ? [w.line.id] : [])));
  return [...new Set(writes.flatMap((w) => (w.kind === 'revise' && !inserted.has(w.id) ? [w.id] : [])))];
}

/**
 * The statements of one commit, to run in one transaction, in order; edits and deletions, if any,
 * last, returning a row per line revised (`deleted`). The lines inserted and those deleted move
 * the stored count (history_line_count) in the same statements.
 */
export function commitStatements(writes: readonly HistoryWrite[], context: CommitContext): Statement[] {
  const lines: StoredLine[] = [];
  const groups: { id: number; kind: string; label: string }[] = [];
  const directs: { a: string; b: string; group: number }[] = [];
  const revisions = new Map<number, string | null>();
  const steps: Statement[] = [];
  let members: MembershipRun | null = null;
  for (const w of writes) {
    switch (w.kind) {
      case 'line':
        lines.push(w.line);
        break;
      case 'group':
        groups.push({ id: w.group, kind: w.groupKind, label: w.label });
        break;
      case 'direct':
        directs.push({ a: w.pair[0], b: w.pair[1], group: w.group });
        groups.push({ id: w.group, kind: 'direct', label: w.label });
        break;
      case 'revise':
        // A deleted line stays deleted: a later edit finds nothing, as in the other stores.
        if (revisions.get(w.id) !== null) revisions.set(w.id, w.text);
        break;
      case 'join':
      case 'leave':
      case 'adopt':
        if (members?.kind !== w.kind || w.kind === 'adopt') {
          if (members) steps.push(members.statement());
          members = membershipRun(w.kind, context.run);
        }
        members.add(w);
        break;
    }
  }
  if (members) steps.push(members.statement());
  const head: Statement[] = [];
  if (lines.length > 0) head.push(insertLines(lines));
  if (groups.length > 0) {
    head.push({
      sql: 'INSERT INTO history_groups (id, created, kind, label) SELECT id, $4::bigint, kind, label FROM unnest($1::bigint[], $2::text[], $3::text[]) AS g (id, kind, label) ON CONFLICT DO NOTHING',
      params: [groups.map((g) => g.id), groups.map((g) => g.kind), groups.map((g) => g.label), context.now],
    });
  }
  if (directs.length > 0) {
    head.push({
      sql: 'INSERT INTO history_directs (key_a, key_b, grp) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) ON CONFLICT DO NOTHING',
      params: [directs.map((d) => d.a), directs.map((d) => d.b), directs.map((d) => d.group)],
    });
  }
  const tail = revisions.size > 0 ? [revise(revisions, lines, context.places)] : [];
  return [...head, ...steps, ...tail];
}

/**
 * The lines, and the stored count raised by as many, in one statement: a turn of lines alone stays
 * one statement, which PostgreSQL runs as its own transaction (sync-worker.ts).
 */
function insertLines(lines: readonly StoredLine[]): Statement {
  return {
    name: 'history_insert_lines',
    sql: `WITH added AS (
        INSERT INTO history_lines (id, grp, seq, sender, sender_key, text, ts, words)
        SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::tsvector[])
        RETURNING 1)
      UPDATE history_line_count SET lines = lines + (SELECT count(*) FROM added)`,
    params: [
      lines.map((l) => l.id),
      lines.map((l) => l.group),
      lines.map((l) => l.seq),
      lines.map((l) => l.sender),
      lines.map((l) => l.senderKey),
      lines.map((l) => l.text),
      lines.map((l) => l.ts),
      lines.map((l) => lineVector(l.group, l.sender, l.text)),
    ],
  };
}

/** Edits and deletions, each line's last: a deleted line keeps its row (its seq) without text or words. */
function revise(revisions: ReadonlyMap<number, string | null>, lines: readonly StoredLine[], places: ReadonlyMap<number, LinePlace>): Statement {
  const known = new Map<number, LinePlace>(places);
  for (const l of lines) known.set(l.id, { group: l.group, sender: l.sender });
  const ids: number[] = [];
  const texts: (string | null)[] = [];
  const vectors: (string | null)[] = [];
  for (const [id, text] of revisions) {
    const place = known.get(id);
    // A line never stored (or deleted already) has nothing to revise.
    if (place === undefined) continue;
    ids.push(id);
    texts.push(text);
    vectors.push(text === null ? null : lineVector(place.group, place.sender, text));
  }
  // The stored count loses the lines deleted here: a line deleted already is not revised again, so a
  // deletion that runs twice (after a lost answer) is counted once.
  return {
    sql: `WITH revised AS (
        UPDATE history_lines AS l SET text = r.text, words = r.words
        FROM unnest($1::bigint[], $2::text[], $3::tsvector[]) AS r (id, text, words) WHERE l.id = r.id AND l.text IS NOT NULL
        RETURNING r.text IS NULL AS deleted),
      counted AS (
        UPDATE history_line_count SET lines = lines - (SELECT count(*) FROM revised WHERE deleted)
        WHERE EXISTS (SELECT 1 FROM revised WHERE deleted))
      SELECT deleted FROM revised`,
    params: [ids, texts, vectors],
  };
}

type MembershipWrite = Extract<HistoryWrite, { kind: 'join' | 'leave' | 'adopt' }>;

interface MembershipRun {
  kind: MembershipWrite['kind'];
  add(w: MembershipWrite): void;
  statement(): Statement;
}

/** Consecutive membership writes of one kind, as one statement. */
function membershipRun(kind: MembershipWrite['kind'], run: number): MembershipRun {
  const rows: MembershipWrite[] = [];
  const statement = (): Statement => {
    if (kind === 'join') {
      const joins = rows as Extract<MembershipWrite, { kind: 'join' }>[];
      return {
        sql: `INSERT INTO history_memberships (id, run, user_key, grp, from_seq, to_seq)
          SELECT id, $5::bigint, user_key, grp, from_seq, ${OPEN_SEQ}::bigint FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[]) AS j (id, user_key, grp, from_seq)
          ON CONFLICT DO NOTHING`,
        params: [joins.map((j) => j.id), joins.map((j) => j.user), joins.map((j) => j.group), joins.map((j) => j.after), run],
      };
    }
    if (kind === 'leave') {
      // One leave per membership: a second leave with no join between would find it ended already.
      const leaves = new Map<string, Extract<MembershipWrite, { kind: 'leave' }>>();
      for (const l of rows as Extract<MembershipWrite, { kind: 'leave' }>[]) {
        const key = JSON.stringify([l.user, l.group]);
        if (!leaves.has(key)) leaves.set(key, l);
      }
      const list = [...leaves.values()];
      return {
        sql: `UPDATE history_memberships AS m SET to_seq = e.up_to
          FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS e (user_key, grp, up_to)
          WHERE m.user_key = e.user_key AND m.grp = e.grp AND m.to_seq = ${OPEN_SEQ}`,
        params: [list.map((l) => l.user), list.map((l) => l.group), list.map((l) => l.upTo)],
      };
    }
    // Only this run's memberships: another process's ids are not ordered against this one's mark.
    const adopt = rows[0] as Extract<MembershipWrite, { kind: 'adopt' }>;
    return { sql: 'UPDATE history_memberships SET user_key = $1 WHERE user_key = $2 AND id > $3 AND run = $4', params: [adopt.to, adopt.from, adopt.since, run] };
  };
  return { kind, add: (w) => void rows.push(w), statement };
}
