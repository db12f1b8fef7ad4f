/**
 * Kept memberships (core/keeps.ts) in PostgreSQL, shared by every node: one row per user and
 * place, and one per resting room. Each call is one statement, so what one node keeps another
 * reads at once, and a resting room wakes on one node only (its row is taken out by a DELETE
 * that returns it). As with the SQLite store, a statement PostgreSQL refuses or does not answer
 * is reported and skipped: a membership left unkept is a smaller fault than a join or a logout
 * that fails halfway. A store owns the connection it is handed.
 */
import { NO_MODES, type GroupModes } from '../../core/groups.js';
import { keptSafely, type Kept, type KeepStore, type RestingRoom } from '../../core/keeps.js';
import { migrate } from './migrate.js';
import type { SyncPg } from './sync-client.js';

/** `id` keeps the order a membership was first kept in: an upsert leaves it as it was. */
const STEPS = [
  `CREATE TABLE kept (
    id bigint GENERATED ALWAYS AS IDENTITY,
    user_key text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('room', 'direct')),
    place text NOT NULL,
    label text NOT NULL,
    grp bigint NOT NULL,
    seen_grp bigint NOT NULL,
    seen_seq bigint NOT NULL,
    PRIMARY KEY (user_key, kind, place)
  )`,
  'CREATE INDEX kept_place ON kept (kind, place, id)',
  `CREATE TABLE resting (
    place text PRIMARY KEY,
    topic text NOT NULL,
    topic_by text NOT NULL,
    locked boolean NOT NULL,
    modes jsonb NOT NULL,
    since bigint NOT NULL
  )`,
];

/** int8 columns come back as text (they may pass 2^53); ids and seqs here never do. */
interface Row {
  user_key: string;
  kind: Kept['kind'];
  place: string;
  label: string;
  grp: string;
  seen_grp: string;
  seen_seq: string;
}

interface RestingRow {
  place: string;
  topic: string;
  topic_by: string;
  locked: boolean;
  modes: Partial<GroupModes>;
  since: string;
}

const COLUMNS = 'user_key, kind, place, label, grp, seen_grp, seen_seq';
const kept = (r: Row): Kept => ({ userKey: r.user_key, kind: r.kind, place: r.place, label: r.label, group: Number(r.grp), seenGroup: Number(r.seen_grp), seenSeq: Number(r.seen_seq) });

/** KeepStore over PostgreSQL; the schema is made or brought up to date when it opens. */
export class PgKeeps implements KeepStore {
  constructor(
    private readonly db: SyncPg,
    private readonly onError: (msg: string) => void = () => {},
  ) {
    migrate(db, 'keeps', STEPS);
  }

  put(k: Kept): void {
    this.safely('keep a membership', undefined, () => {
      this.db.query(
        `INSERT INTO kept (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (user_key, kind, place) DO UPDATE SET label = EXCLUDED.label, grp = EXCLUDED.grp, seen_grp = EXCLUDED.seen_grp, seen_seq = EXCLUDED.seen_seq`,
        [k.userKey, k.kind, k.place, k.label, k.group, k.seenGroup, k.seenSeq],
      );
    });
  }

  drop(userKey: string, kind: Kept['kind'], place: string): void {
    this.safely('drop a membership', undefined, () => void this.db.query('DELETE FROM kept WHERE user_key = $1 AND kind = $2 AND place = $3', [userKey, kind, place]));
  }

  of(userKey: string): Kept[] {
    return this.select('read memberships', 'user_key = $1', [userKey]);
  }

  room(place: string): Kept[] {
    return this.select('read a room', "kind = 'room' AND place = $1", [place]);
  }

  directs(): Kept[] {
    return this.select('read direct conversations', "kind = 'direct'", []);
  }

  rest(room: RestingRoom): void {
    this.safely('let a room rest', undefined, () => {
      this.db.query(
        `INSERT INTO resting (place, topic, topic_by, locked, modes, since) VALUES ($1, $2, $3, $4, $5::jsonb, $6)
         ON CONFLICT (place) DO UPDATE SET topic = EXCLUDED.topic, topic_by = EXCLUDED.topic_by, locked = EXCLUDED.locked, modes = EXCLUDED.modes, since = EXCLUDED.since`,
        [room.place, room.topic, room.topicBy, room.locked, JSON.stringify(room.modes), room.since],
      );
    });
  }

  wake(place: string): RestingRoom | undefined {
    return this.safely('wake a room', undefined, () => {
      const row = this.db.query<RestingRow>('DELETE FROM resting WHERE place = $1 RETURNING place, topic, topic_by, locked, modes, since', [place])[0];
      if (row === undefined) return undefined;
      return { place: row.place, topic: row.topic, topicBy: row.topic_by, locked: row.locked, modes: { ...NO_MODES, ...row.modes }, since: Number(row.since) };
    });
  }

  forget(before: number): void {
    this.safely('forget resting rooms', undefined, () => {
      this.db.query("DELETE FROM resting WHERE since < $1 AND NOT EXISTS (SELECT 1 FROM kept WHERE kind = 'room' AND kept.place = resting.place)", [before]);
    });
  }

  close(): void {
    void this.db.close();
  }

  private select(what: string, where: string, params: readonly string[]): Kept[] {
    return this.safely(what, [], () => this.db.query<Row>(`SELECT ${COLUMNS} FROM kept WHERE ${where} ORDER BY id`, params).map(kept));
  }

  private safely<T>(what: string, fallback: T, run: () => T): T {
    return keptSafely(this.onError, what, fallback, run);
  }
}
