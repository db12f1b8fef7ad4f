/**
 * Kept memberships (core/keeps.ts) in SQLite, in the same database file as the history: one row
 * per user and place, and one per resting room. Writes are rare (joins, leaves, logouts of registered users), so each is
 * its own statement. A statement the database refuses (a full disk, a lock held too long) is
 * reported and skipped: a membership left unkept is a smaller fault than a join or a logout
 * that fails halfway.
 */
import Database from 'better-sqlite3';
import { NO_MODES, type GroupModes } from '../core/groups.js';
import { keptSafely, type Kept, type KeepStore, type RestingRoom } from '../core/keeps.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS kept (
  user TEXT NOT NULL,
  kind TEXT NOT NULL,
  place TEXT NOT NULL,
  label TEXT NOT NULL,
  grp INTEGER NOT NULL,
  seen_grp INTEGER NOT NULL,
  seen_seq INTEGER NOT NULL,
  PRIMARY KEY (user, kind, place)
);
CREATE INDEX IF NOT EXISTS kept_place ON kept (kind, place);
CREATE TABLE IF NOT EXISTS resting (
  place TEXT PRIMARY KEY,
  topic TEXT NOT NULL,
  topic_by TEXT NOT NULL,
  locked INTEGER NOT NULL,
  modes TEXT NOT NULL,
  since INTEGER NOT NULL
);
`;

interface RestingRow {
  place: string;
  topic: string;
  topic_by: string;
  locked: number;
  modes: string;
  since: number;
}

interface Row {
  user: string;
  kind: Kept['kind'];
  place: string;
  label: string;
  grp: number;
  seen_grp: number;
  seen_seq: number;
}

const COLUMNS = 'user, kind, place, label, grp, seen_grp, seen_seq';
const kept = (r: Row): Kept => ({ userKey: r.user, kind: r.kind, place: r.place, label: r.label, group: r.grp, seenGroup: r.seen_grp, seenSeq: r.seen_seq });

export class SqliteKeeps implements KeepStore {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement<[string, string, string, string, number, number, number]>;
  private readonly remove: Database.Statement<[string, string, string]>;
  private readonly byUser: Database.Statement<[string], Row>;
  private readonly byPlace: Database.Statement<[string, string], Row>;
  private readonly byKind: Database.Statement<[string], Row>;
  private readonly putResting: Database.Statement<[string, string, string, number, string, number]>;
  private readonly getResting: Database.Statement<[string], RestingRow>;
  private readonly dropResting: Database.Statement<[string]>;
  private readonly forgetResting: Database.Statement<[number]>;

  constructor(
    file: string,
    private readonly onError: (msg: string) => void = () => {},
  ) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 2000');
    this.db.exec(SCHEMA);
    this.upsert = this.db.prepare(
      `INSERT INTO kept (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (user, kind, place) DO UPDATE SET label = excluded.label, grp = excluded.grp, seen_grp = excluded.seen_grp, seen_seq = excluded.seen_seq`,
    );
    this.remove = this.db.prepare('DELETE FROM kept WHERE user = ? AND kind = ? AND place = ?');
    this.byUser = this.db.prepare(`SELECT ${COLUMNS} FROM kept WHERE user = ? ORDER BY rowid`);
    this.byPlace = this.db.prepare(`SELECT ${COLUMNS} FROM kept WHERE kind = ? AND place = ? ORDER BY rowid`);
    this.byKind = this.db.prepare(`SELECT ${COLUMNS} FROM kept WHERE kind = ? ORDER BY rowid`);
    this.putResting = this.db.prepare('INSERT OR REPLACE INTO resting (place, topic, topic_by, locked, modes, since) VALUES (?, ?, ?, ?, ?, ?)');
    this.getResting = this.db.prepare('SELECT place, topic, topic_by, locked, modes, since FROM resting WHERE place = ?');
    this.dropResting = this.db.prepare('DELETE FROM resting WHERE place = ?');
    this.forgetResting = this.db.prepare("DELETE FROM resting WHERE since < ? AND NOT EXISTS (SELECT 1 FROM kept WHERE kind = 'room' AND kept.place = resting.place)");
  }

  put(k: Kept): void {
    this.safely('keep a membership', undefined, () => void this.upsert.run(k.userKey, k.kind, k.place, k.label, k.group, k.seenGroup, k.seenSeq));
  }

  drop(userKey: string, kind: Kept['kind'], place: string): void {
    this.safely('drop a membership', undefined, () => void this.remove.run(userKey, kind, place));
  }

  of(userKey: string): Kept[] {
    return this.safely('read memberships', [], () => this.byUser.all(userKey).map(kept));
  }

  room(place: string): Kept[] {
    return this.safely('read a room', [], () => this.byPlace.all('room', place).map(kept));
  }

  directs(): Kept[] {
    return this.safely('read direct conversations', [], () => this.byKind.all('direct').map(kept));
  }

  rest(room: RestingRoom): void {
    this.safely('let a room rest', undefined, () => void this.putResting.run(room.place, room.topic, room.topicBy, room.locked ? 1 : 0, JSON.stringify(room.modes), room.since));
  }

  wake(place: string): RestingRoom | undefined {
    return this.safely('wake a room', undefined, () => {
      const row = this.getResting.get(place);
      if (!row) return undefined;
      this.dropResting.run(place);
      return { place: row.place, topic: row.topic, topicBy: row.topic_by, locked: row.locked === 1, modes: { ...NO_MODES, ...(JSON.parse(row.modes) as Partial<GroupModes>) }, since: row.since };
    });
  }

  forget(before: number): void {
    this.safely('forget resting rooms', undefined, () => void this.forgetResting.run(before));
  }

  private safely<T>(what: string, fallback: T, run: () => T): T {
    return keptSafely(this.onError, what, fallback, run);
  }

  close(): void {
    this.db.close();
  }
}
