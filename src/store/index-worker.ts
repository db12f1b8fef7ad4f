/**
 * The index worker (index-host.ts starts it): its own connection to the history file, with the
 * index file attached, catching the index up with the committed lines every round (larger
 * batches, fewer transactions) or at once when a read asks. It reads the history file (a WAL
 * reader never blocks the writer) and writes only the index file. Each attempt's outcome goes to
 * the shared cells, and a failure or the recovery after one is posted on the port.
 */
import Database from 'better-sqlite3';
import { workerData, type MessagePort } from 'node:worker_threads';
import { yieldToEventLoop } from './background.js';
import { Cell, type IndexReport, type IndexWorkerData } from './index-protocol.js';
import { attachIndex, LineIndexer } from './line-indexer.js';

const { file, indexFile, cells: buffer, roundMs, port } = workerData as IndexWorkerData & { port: MessagePort };
yieldToEventLoop();
const cells = new BigInt64Array(buffer);
const db = new Database(file);
db.pragma('busy_timeout = 1000');
attachIndex(db, indexFile);
db.pragma(`idx.journal_size_limit = ${64 << 20}`);
const indexer = new LineIndexer(db);
/** The last failure reported, while attempts keep failing: a failure is posted once, however often it recurs. */
let failing: string | null = null;

function behind(): boolean {
  return Atomics.load(cells, Cell.committed) > Atomics.load(cells, Cell.lines) || Atomics.load(cells, Cell.revised) > Atomics.load(cells, Cell.revs);
}

function attempt(): void {
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
}

for (;;) {
  const wake = Atomics.load(cells, Cell.wake);
  const stopping = Atomics.load(cells, Cell.stop) === 1n;
  if (behind() || stopping) attempt();
  if (stopping) break;
  Atomics.wait(cells, Cell.wake, wake, roundMs);
}
db.close();
port.close();
