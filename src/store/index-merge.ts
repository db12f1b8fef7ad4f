/**
 * The search index's segments merged in quiet times. FTS5 writes a segment (a b-tree of its own)
 * per transaction and merges them as it goes only once four share a level, so an index grown by
 * rounds keeps about a dozen: a word is looked up in every one, and the first search of a user
 * reads each one's pages from the disk (measured over 1,000,000 lines: 12 segments; a rare word's
 * first search 3-14 ms, the next ones 1-1.5 ms; after these merges 3 segments, 1-8 and 0.5 ms).
 *
 * The index worker takes a step at a time, of a bounded number of pages, when a round brought few
 * lines (quiet), after indexing them and never instead: a merge is FTS5's own `merge` command, which
 * with `usermerge` 2 joins any two segments of a level, so what is left is at most one a level.
 * Each step is its own transaction, so a kill -9 loses at most the step, and a read never waits
 * for one (WAL). The work comes again after each round that indexed lines, as they add segments.
 */
import type Database from 'better-sqlite3';

/** Pages written by one step: some 10 ms of the worker's time. */
const STEP_PAGES = 200;
/** Segments on one level that a step merges: two, so that at most one a level is left. */
const USER_MERGE = 2;

export class IndexMerger {
  /** True while steps may find segments to merge: from each round that indexed lines until a step finds none. */
  pending = true;
  private configured = false;
  private readonly configure: Database.Statement;
  private readonly merge: Database.Statement;
  private readonly total: Database.Statement<[], number>;

  constructor(db: Database.Database) {
    // An option stored with the index; an integer, written as one (bound numbers are reals).
    this.configure = db.prepare(`INSERT INTO idx.lines_idx (lines_idx, rank) VALUES ('usermerge', ${USER_MERGE})`);
    this.merge = db.prepare(`INSERT INTO idx.lines_idx (lines_idx, rank) VALUES ('merge', ${STEP_PAGES})`);
    this.total = db.prepare<[], number>('SELECT total_changes()').pluck();
  }

  /** Lines were indexed: their segments may be merged. */
  indexed(): void {
    this.pending = true;
  }

  /** One step of merging; `pending` turns false once a step finds nothing left to merge (FTS5 then changes fewer than two rows). */
  step(): void {
    if (!this.configured) {
      this.configure.run();
      this.configured = true;
    }
    const before = this.total.get()!;
    this.merge.run();
    if (this.total.get()! - before < 2) this.pending = false;
  }
}
