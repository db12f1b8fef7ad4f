/**
 * What SqliteHistory's main thread and its index worker share: a few 64-bit cells of shared
 * memory (line ids outgrow 32 bits), and the reports the worker posts on a port.
 */

/** The cells, by index. The main thread writes `committed`, `revised`, `wake` and `stop`; the worker the rest. */
export const Cell = {
  /** Every line id up to this one is committed. */
  committed: 0,
  /** Every logged revision up to this one is committed. */
  revised: 1,
  /** How far the index goes (line-indexer.ts Marks). */
  lines: 2,
  revs: 3,
  /** Bumped (and notified) to have the worker catch up now rather than at its next round. */
  wake: 4,
  /** Bumped (and notified) after each attempt to catch up, whatever its outcome. */
  attempts: 5,
  /** 1 while the last attempt failed. */
  failing: 6,
  /** 1: catch up once more, then close. */
  stop: 7,
  /** 1 while the index may have segments to merge, in quiet rounds (index-merge.ts); 0 once a step found none. */
  merging: 8,
} as const;
export const CELLS = 9;

export interface IndexWorkerData {
  file: string;
  indexFile: string;
  /** CELLS BigInt64 cells. */
  cells: SharedArrayBuffer;
  /** Milliseconds between rounds when nobody asks sooner. */
  roundMs: number;
}

/** A failed attempt's error (null: an attempt succeeded after failures), or a merge step's failure. */
export type IndexReport = { error: string | null } | { mergeError: string };
