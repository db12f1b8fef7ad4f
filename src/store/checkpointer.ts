/**
 * WAL checkpoints off the event loop. With `synchronous = NORMAL` the only fsyncs SQLite makes
 * are at checkpoints; run inline (auto-checkpoint) they stall every chat line behind a disk
 * flush. Here a worker thread with its own connection checkpoints passively (never blocking the
 * writer), so commits on the main thread stay memory-speed writes to the WAL.
 *
 * A passive checkpoint copies the log into the database but never rewinds it: under steady
 * writes the log is never caught up at the moment a writer starts, so it would grow until the
 * size limit and a TRUNCATE checkpoint that held every writer for some 100 ms (measured at
 * 10,000 lines/s). So once the log holds more than a few megabytes, the passive checkpoint is
 * followed by a RESTART one: little is left to copy by then, writers wait a few milliseconds,
 * and the next one writes the log from its start. TRUNCATE stays the backstop at the size limit.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The worker's whole program (CommonJS, run with `eval`), so it needs no file of its own. */
const WORKER_SOURCE = `
const { statSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const pageSize = db.pragma('page_size', { simple: true });
const walSize = () => {
  try {
    return statSync(workerData.file + '-wal').size;
  } catch {
    return 0;
  }
};
const timer = setInterval(() => {
  try {
    if (walSize() > workerData.hardLimitBytes) {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } else {
      const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)');
      if (log * pageSize > workerData.rewindBytes) db.pragma('wal_checkpoint(RESTART)');
    }
  } catch (err) {
    parentPort.postMessage({ error: String(err) });
  }
}, workerData.intervalMs);
parentPort.on('message', (msg) => {
  if (msg === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

export class Checkpointer {
  private readonly worker: Worker;
  /** Settles when the worker has exited, whenever that happens (a worker that died early must not make stop() wait forever). */
  private readonly exited: Promise<void>;

  constructor(file: string, onError: (msg: string) => void, intervalMs = 1000, hardLimitBytes = 256 << 20, rewindBytes = 16 << 20) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs, hardLimitBytes, rewindBytes } });
    this.worker.on('message', (msg: { error?: string }) => msg.error && onError(msg.error));
    this.worker.on('error', (err) => onError(String(err)));
    this.exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.unref();
  }

  /** Stops the worker and waits for it to close its connection. */
  async stop(): Promise<void> {
    this.worker.ref(); // keep the process alive until the worker has closed its connection
    this.worker.postMessage('stop');
    await this.exited;
  }
}
