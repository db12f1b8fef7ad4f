/**
 * The derived data of committed lines, written into the index file (attached as `idx`): each
 * line's group-scoped words in the search index and its place in `line_pos`, and the revisions
 * logged since (an edit's old words out and its new words in, a deletion's out). One code path
 * for the index worker (index-worker.ts, its own connection) and for an in-memory store (its one
 * connection). A step is one transaction that reads one snapshot of the history file and writes
 * only the index file, so line commits never wait for it; how far it got is stored with what it
 * wrote, so after a kill -9 the next start carries on from there.
 *
 * A revision of a line the index already holds is applied in log order (the log keeps the words
 * each replaced, which a contentless index must be told); one of a line not indexed yet is only
 * passed over, since that line is indexed as it reads in the same snapshot or a later one.
 */
import type Database from 'better-sqlite3';
import { scopedText } from './scoped-index.js';

/** How far the index goes: every line id up to `lines`, every logged revision up to `revs`. */
export interface Marks {
  lines: number;
  revs: number;
}

interface Place {
  id: number;
  grp: number;
  seq: number;
}

interface Indexed extends Place {
  sender: string;
  text: string;
}

interface Revision {
  rev: number;
  id: number;
  grp: number;
  sender: string;
  old_text: string;
  new_text: string | null;
}

/** Lines per transaction: catching up after an upgrade or a crash goes in steps of this many. */
const STEP = 10_000;

/** Attaches the index file as `idx` (WAL, as the history file): its own file, so its writer never holds the history's write lock. */
export function attachIndex(db: Database.Database, indexFile: string): void {
  db.prepare('ATTACH DATABASE ? AS idx').run(indexFile);
  db.pragma('idx.journal_mode = WAL');
  db.pragma('idx.synchronous = NORMAL');
}

export class LineIndexer {
  private readonly step: (upTo: number) => Marks;

  constructor(db: Database.Database) {
    const mark = db.prepare<[string], number>('SELECT value FROM idx.marks WHERE key = ?').pluck();
    const setMark = db.prepare<[string, number]>('INSERT INTO idx.marks (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    const revisions = db.prepare<[number], Revision>('SELECT rev, id, grp, sender, old_text, new_text FROM revised WHERE rev > ? ORDER BY rev');
    const lines = db.prepare<[number, number], Indexed>('SELECT id, grp, seq, sender, text FROM lines WHERE id > ? AND id <= ? ORDER BY id');
    const gone = db.prepare<[number, number], Place>('SELECT id, grp, seq FROM gone WHERE id > ? AND id <= ?');
    const add = db.prepare<[number, string, string]>('INSERT INTO idx.lines_idx (rowid, body, sender) VALUES (?, ?, ?)');
    const remove = db.prepare<[number, string, string]>("INSERT INTO idx.lines_idx (lines_idx, rowid, body, sender) VALUES ('delete', ?, ?, ?)");
    const place = db.prepare<[number, number, number]>('INSERT INTO idx.line_pos (grp, seq, id) VALUES (?, ?, ?)');
    // Deferred (better-sqlite3's default): it locks for writing only the file it writes, the index.
    this.step = db.transaction((upTo: number): Marks => {
      const from = mark.get('lines') ?? 0;
      const logged = mark.get('revs') ?? 0;
      let revs = logged;
      for (const r of revisions.all(revs)) {
        if (r.id <= from) {
          remove.run(r.id, scopedText(r.grp, r.old_text), scopedText(r.grp, r.sender));
          if (r.new_text !== null) add.run(r.id, scopedText(r.grp, r.new_text), scopedText(r.grp, r.sender));
        }
        revs = r.rev;
      }
      const to = Math.max(from, Math.min(upTo, from + STEP));
      const fresh = lines.all(from, to);
      for (const l of fresh) add.run(l.id, scopedText(l.grp, l.text), scopedText(l.grp, l.sender));
      // In key order, so that each group's entries land together (one page per group, not per line).
      for (const p of [...fresh, ...gone.all(from, to)].sort(byPosition)) place.run(p.grp, p.seq, p.id);
      if (to > from) setMark.run('lines', to);
      if (revs > logged) setMark.run('revs', revs);
      return { lines: to, revs };
    });
  }

  /** Indexes every line up to `upTo` (all committed) and every revision logged so far; throws when the index file cannot be written. */
  catchUp(upTo: number): Marks {
    for (;;) {
      const done = this.step(upTo);
      if (done.lines >= upTo) return done;
    }
  }
}

function byPosition(a: Place, b: Place): number {
  return a.grp - b.grp || a.seq - b.seq || a.id - b.id;
}
