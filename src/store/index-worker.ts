/**
 * The index worker (index-host.ts starts it): its own connection to the history file, with the
 * index file attached, catching the index up with the committed lines every round (larger
 * batches, fewer transactions) or at once when a read asks. It reads the history file (a WAL
 * reader never blocks the writer) and writes only the index file. Each attempt's outcome goes to
 * the shared cells, and a failure or the recovery after one is posted on the port. In a round that
 * brought few lines, it then merges the index's segments a little (index-merge.ts).
 */
import Database from 'better-sqlite3';
import { workerData, type MessagePort } from 'node:worker_threads';
import { yieldToEventLoop } from './background.js';
import { Cell, type IndexReport, type IndexWorkerData } from './index-protocol.js';
import { IndexMerger } from './index-merge.js';
import { attachIndex, LineIndexer } from './line-indexer.js';

/** A round that indexed at most this many lines is quiet: merging may follow (400 lines/s at 250 ms rounds). */
const QUIET_LINES = 100;
/** The most time a round spends merging (a step may overrun it): a fifth of a 250 ms round, at the lowest CPU priority. */
const MERGE_MS = 50;

const { file, indexFile, cells: buffer, roundMs, port } = workerData as IndexWorkerData & { port: MessagePort };
yieldToEventLoop();
const cells = new BigInt64Array(buffer);
const db = new Database(file);
db.pragma('busy_timeout = 1000');
attachIndex(db, indexFile);
db.pragma(`idx.journal_size_limit = ${64 << 20}`);
const indexer = new LineIndexer(db);
const merger = new IndexMerger(db);
/** The last failure reported, while attempts keep failing: a failure is posted once, however often it recurs. */
let failing: string | null = null;
/** The same for merge steps; a failed step is tried again once more lines are indexed. */
let mergeFailing: string | null = null;

function behind(): boolean {
  return Atomics.load(cells, Cell.committed) > Atomics.load(cells, Cell.lines) || Atomics.load(cells, Cell.revised) > Atomics.load(cells, Cell.revs);
}

/** Catches up; returns how many lines it indexed. */
function attempt(): number {
  const from = Atomics.load(cells, Cell.lines);
  try {
    const done = indexer.catchUp(Number(Atomics.load(cells, Cell.committed)));
    Atomics.store(cells, Cell.lines, BigInt(done.lines));
    Atomics.store(cells, Cell.revs, BigInt(done.revs));
    if (failing !== null) port.postMessage({ error: null } satisfies IndexReport);
    failing = null;
  } catch (err) {
    const message = (err as Error).message;
    if (message !== failing) port.postMessage({ error: message } satisfies IndexReport);
    failing = message;
  }
  // Posted before the cells say so, so that a main thread woken by them finds the report.
  Atomics.store(cells, Cell.failing, failing === null ? 0n : 1n);
  Atomics.add(cells, Cell.attempts, 1n);
  Atomics.notify(cells, Cell.attempts);
  return Number(Atomics.load(cells, Cell.lines) - from);
}

/** Merge steps for up to MERGE_MS, while there is work and nobody asks for the index (a read wakes the worker). */
function mergeAWhile(wake: bigint): void {
  const until = performance.now() + MERGE_MS;
  try {
    while (merger.pending && performance.now() < until && Atomics.load(cells, Cell.wake) === wake && !behind()) {
      merger.step();
      mergeFailing = null;
    }
  } catch (err) {
    // The index stays as it was (a step is a transaction).
    const message = (err as Error).message;
    if (message !== mergeFailing) port.postMessage({ mergeError: message } satisfies IndexReport);
    mergeFailing = message;
  }
}

for (;;) {
  const wake = Atomics.load(cells, Cell.wake);
  const stopping = Atomics.load(cells, Cell.stop) === 1n;
  const indexed = behind() || stopping ? attempt() : 0;
  if (stopping) break;
  if (indexed > 0) merger.indexed();
  if (indexed <= QUIET_LINES && failing === null && (mergeFailing === null || indexed > 0)) mergeAWhile(wake);
  Atomics.store(cells, Cell.merging, merger.pending ? 1n : 0n);
  Atomics.wait(cells, Cell.wake, wake, roundMs);
}
db.close();
port.close();
