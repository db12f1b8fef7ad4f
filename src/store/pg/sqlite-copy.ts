/**
 * Copying an embedded SQLite database into PostgreSQL (`npm run migrate-history`), one part per
 * store: the history here (copy-history.ts); accounts, Discord bindings and kept memberships are
 * further parts of the same shape. A part prepares its schema and checks the target first, then
 * copies its tables step by step, in batches of rows that each insert only what PostgreSQL lacks,
 * so a second run, or a run after an interrupted one, copies only what is missing.
 */
import type Database from 'better-sqlite3';
import type { SyncPg } from './sync-client.js';

/** One table (or rows that go together) of a part. */
export interface CopyStep {
  /** What it copies, plural, as the progress bar and the count name it (`lines`). */
  name: string;
  /** How many rows the source holds. */
  count(source: Database.Database): number;
  /** Copies them, telling `read(n)` after each batch of n source rows; returns how many were new to PostgreSQL. */
  copy(source: Database.Database, target: SyncPg, read: (n: number) => void): number;
}

/** What one store copies. */
export interface CopyPart {
  /** The store, as messages name it (`history`). */
  name: string;
  /** Brings the target's schema up to date and makes it ready to receive the rows (throws when it must not). */
  prepare(source: Database.Database, target: SyncPg): void;
  steps: readonly CopyStep[];
}

/** Where the copy is: the step under way, the source rows it has read, and how many it holds. */
export interface CopyProgress {
  step: string;
  done: number;
  total: number;
}

/** What one step found in the source and copied. */
export interface CopiedCount {
  step: string;
  /** Rows the source holds. */
  found: number;
  /** Rows that were new to PostgreSQL. */
  copied: number;
}

/** Runs every part in order; the count of each step. */
export function copyParts(source: Database.Database, target: SyncPg, parts: readonly CopyPart[], progress: (p: CopyProgress) => void): CopiedCount[] {
  const counts: CopiedCount[] = [];
  for (const part of parts) {
    part.prepare(source, target);
    for (const step of part.steps) {
      const total = step.count(source);
      let done = 0;
      progress({ step: step.name, done, total });
      const copied = step.copy(source, target, (n) => progress({ step: step.name, done: (done += n), total }));
      counts.push({ step: step.name, found: total, copied });
    }
  }
  return counts;
}

/** Insert statements over arrays, wrapped to say how many rows were new: `WITH ins AS (<insert> RETURNING 1)`. */
export function insertedCount(target: SyncPg, insert: string, params: Parameters<SyncPg['query']>[1]): number {
  return target.query<{ n: number }>(`WITH ins AS (${insert} RETURNING 1) SELECT count(*)::int AS n FROM ins`, params)[0]!.n;
}

/** Reads a source query in batches of `size` rows, handing each to `take`; the sum of what `take` returns. */
export function inBatches<R>(rows: Iterable<R>, size: number, take: (batch: R[]) => number): number {
  let sum = 0;
  let batch: R[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length === size) {
      sum += take(batch);
      batch = [];
    }
  }
  if (batch.length > 0) sum += take(batch);
  return sum;
}
