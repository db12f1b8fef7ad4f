/**
 * The derived data of committed lines, written into the index file (attached as `idx`): each
 * line's group-scoped words in the search index and its place in `line_pos`, and the revisions
 * logged since (an edit's old words out and its new words in, a deletion's out). One code path
 * for the index worker (index-worker.ts, its own connection) and for an in-memory store (its one
 * connection). A step reads a batch from one snapshot of the history file, then writes it into the
 * index file only, so line commits never wait for it; the read is short, as a checkpoint that
 * rewinds the history's log waits for readers and holds the commits meanwhile. How far a step got
 * is stored with what it wrote, so after a kill -9 the next start carries on from there.
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

/** What one step reads: everything logged since the index's marks, and the lines after them up to `to`. */
interface Batch {
  from: number;
  logged: number;
  to: number;
  revisions: Revision[];
  fresh: Indexed[];
  places: Place[];
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
  private readonly read: (upTo: number) => Batch;
  private readonly write: (batch: Batch) => Marks;

  constructor(db: Database.Database) {
    const mark = db.prepare<[string], number>('SELECT value FROM idx.marks WHERE key = ?').pluck();
    const setMark = db.prepare<[string, number]>('INSERT INTO idx.marks (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    const revisions = db.prepare<[number], Revision>('SELECT rev, id, grp, sender, old_text, new_text FROM revised WHERE rev > ? ORDER BY rev');
    const lines = db.prepare<[number, number], Indexed>('SELECT id, grp, seq, sender, text FROM lines WHERE id > ? AND id <= ? ORDER BY id');
    const gone = db.prepare<[number, number], Place>('SELECT id, grp, seq FROM gone WHERE id > ? AND id <= ?');
    const add = db.prepare<[number, string, string]>('INSERT INTO idx.lines_idx (rowid, body, sender) VALUES (?, ?, ?)');
    const remove = db.prepare<[number, string, string]>("INSERT INTO idx.lines_idx (lines_idx, rowid, body, sender) VALUES ('delete', ?, ?, ?)");
    const place = db.prepare<[number, number, number]>('INSERT INTO idx.line_pos (grp, seq, id) VALUES (?, ?, ?)');
    this.read = db.transaction((upTo: number): Batch => {
      const from = mark.get('lines') ?? 0;
      const logged = mark.get('revs') ?? 0;
      const to = Math.max(from, Math.min(upTo, from + STEP));
      const fresh = lines.all(from, to);
      return { from, logged, to, revisions: revisions.all(logged), fresh, places: [...fresh, ...gone.all(from, to)] };
    });
    // Deferred (better-sqlite3's default): it locks for writing only the file it writes, the index.
    this.write = db.transaction((b: Batch): Marks => {
      // Another connection indexed meanwhile (two stores on one file, in tests): its marks stand.
      const now = { lines: mark.get('lines') ?? 0, revs: mark.get('revs') ?? 0 };
      if (now.lines !== b.from || now.revs !== b.logged) return now;
      let revs = b.logged;
      for (const r of b.revisions) {
        if (r.id <= b.from) {
          remove.run(r.id, scopedText(r.grp, r.old_text), scopedText(r.grp, r.sender));
          if (r.new_text !== null) add.run(r.id, scopedText(r.grp, r.new_text), scopedText(r.grp, r.sender));
        }
        revs = r.rev;
      }
      for (const l of b.fresh) add.run(l.id, scopedText(l.grp, l.text), scopedText(l.grp, l.sender));
      // In key order, so that each group's entries land together (one page per group, not per line).
      for (const p of b.places.sort(byPosition)) place.run(p.grp, p.seq, p.id);
      if (b.to > b.from) setMark.run('lines', b.to);
      if (revs > b.logged) setMark.run('revs', revs);
      return { lines: b.to, revs };
    });
  }

  /** Indexes every line up to `upTo` (all committed) and every revision logged so far; throws when the index file cannot be written. */
  catchUp(upTo: number): Marks {
    for (;;) {
      const batch = this.read(upTo);
      const done = batch.to === batch.from && batch.revisions.length === 0 ? { lines: batch.to, revs: batch.logged } : this.write(batch);
      if (done.lines >= upTo) return done;
    }
  }
}

function byPosition(a: Place, b: Place): number {
  return a.grp - b.grp || a.seq - b.seq || a.id - b.id;
}
