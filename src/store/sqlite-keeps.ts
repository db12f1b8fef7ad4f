/**
 * Kept memberships (core/keeps.ts) in SQLite, in the same database file as the history: one row
 * per user and place. Writes are rare (joins, leaves, logouts of registered users), so each is
 * its own statement.
 */
import Database from 'better-sqlite3';
import type { Kept, KeepStore } from '../core/keeps.js';

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
`;

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

  constructor(file: string) {
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
  }

  put(k: Kept): void {
    this.upsert.run(k.userKey, k.kind, k.place, k.label, k.group, k.seenGroup, k.seenSeq);
  }

  drop(userKey: string, kind: Kept['kind'], place: string): void {
    this.remove.run(userKey, kind, place);
  }

  of(userKey: string): Kept[] {
    return this.byUser.all(userKey).map(kept);
  }

  room(place: string): Kept[] {
    return this.byPlace.all('room', place).map(kept);
  }

  directs(): Kept[] {
    return this.byKind.all('direct').map(kept);
  }

  close(): void {
    this.db.close();
  }
}
