/**
 * The main thread's side of the index: who brings it up to date, and how a read waits for it.
 * On disk a worker thread does (index-worker.ts): the main thread only publishes how far the
 * commits go, and a read that needs what the worker has not written yet wakes it and sleeps on
 * the shared cells until it has, for a bounded time, as SyncPg (pg/sync-client.ts) waits for
 * PostgreSQL. An in-memory database has no file a worker could open: its one connection runs the
 * same indexer inline, before a read. Either way a failure is reported once, when it starts, and
 * stands until an attempt succeeds.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { Cell, CELLS, type IndexReport, type IndexWorkerData } from './index-protocol.js';
import type { LineIndexer, Marks } from './line-indexer.js';
import { builtWorker } from './worker-file.js';

export interface IndexHost {
  /** Every line up to `lineId` and every logged revision up to `rev` is committed (waiting, bounded, when the index lags too far). */
  committed(lineId: number, rev: number): void;
  /** Committed lines the index does not hold yet. */
  lag(): number;
  /** Null once the index holds everything committed (waiting, bounded, for it); else why it does not. */
  behind(): string | null;
  /** The logged revisions the index has applied: their log entries can go. */
  revisedUpTo(): number;
  /** The last index write's failure, until one succeeds again. */
  problem(): string | null;
  /** True while the index may have segments to merge in quiet times (index-merge.ts). */
  merging(): boolean;
  close(): Promise<void>;
}

/** The longest a read waits for the worker: past the worker's busy timeout (1 s), so a lock is reported as such. */
const WAIT_MS = 2000;
/**
 * The most committed lines the index may lag behind. The worker runs at the lowest CPU priority
 * (background.ts): on a saturated core it gets no time, and the lines it has not indexed would
 * pile up. A commit that finds it further behind waits for it (bounded, as a read does), which
 * leaves it the core: the index's cost is paid within a second or two, so a rate the event loop
 * holds is one it can keep, and a search never waits for more than this many lines.
 */
export const MAX_INDEX_LAG = 20_000;
/**
 * The worker's round: lines committed meanwhile are indexed in one go (some 2,500 at 10,000
 * lines/s). FTS5 writes a segment per transaction, so larger batches cost less per line (measured:
 * 21 µs a line in batches of 50, 11 in batches of 450, 9 in batches of 2,000); a read never waits
 * for the round, it wakes the worker.
 */
const ROUND_MS = 250;

/** A failure reported once, when it starts. */
class Fault {
  message: string | null = null;

  constructor(private readonly onError: (msg: string) => void) {}

  set(message: string | null): void {
    if (message !== null && this.message === null) this.onError(`search index: ${message}`);
    this.message = message;
  }
}

/** The index of an in-memory database, brought up to date by its own connection before each read. */
export class InlineIndex implements IndexHost {
  private target: Marks;
  private readonly fault: Fault;

  constructor(
    private readonly indexer: LineIndexer,
    private done: Marks,
    onError: (msg: string) => void,
  ) {
    this.target = { ...done };
    this.fault = new Fault(onError);
  }

  committed(lineId: number, rev: number): void {
    this.target = { lines: lineId, revs: rev };
  }

  lag(): number {
    return this.target.lines - this.done.lines;
  }

  behind(): string | null {
    if (this.done.lines >= this.target.lines && this.done.revs >= this.target.revs) return null;
    try {
      this.done = this.indexer.catchUp(this.target.lines);
      this.fault.set(null);
    } catch (err) {
      this.fault.set((err as Error).message);
    }
    return this.fault.message;
  }

  revisedUpTo(): number {
    return this.done.revs;
  }

  problem(): string | null {
    return this.fault.message;
  }

  /** An in-memory index is small: left to FTS5's own merging. */
  merging(): boolean {
    return false;
  }

  /** Nothing to finish: the index goes with the database. */
  async close(): Promise<void> {}
}

/** The index of a database file, written by a worker thread with its own connection. */
export class WorkerIndex implements IndexHost {
  private readonly cells = new BigInt64Array(new SharedArrayBuffer(CELLS * 8));
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly fault: Fault;
  private readonly exited: Promise<void>;
  private target: Marks;
  /** Why the worker is gone, when it went before close(). */
  private lost: string | null = null;
  private closing = false;

  constructor(file: string, indexFile: string, done: Marks, private readonly onError: (msg: string) => void, private readonly maxLag = MAX_INDEX_LAG) {
    this.fault = new Fault(onError);
    this.target = { ...done };
    for (const [cell, value] of [[Cell.committed, done.lines], [Cell.lines, done.lines], [Cell.revised, done.revs], [Cell.revs, done.revs], [Cell.merging, 1]] as const) {
      this.cells[cell] = BigInt(value);
    }
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.port.on('message', (report: IndexReport) => this.report(report));
    this.port.unref();
    const data: IndexWorkerData & { port: MessagePort } = { file, indexFile, cells: this.cells.buffer as SharedArrayBuffer, roundMs: ROUND_MS, port: port2 };
    this.worker = new Worker(builtWorker(new URL('./index-worker.js', import.meta.url)), { workerData: data, transferList: [port2] });
    this.worker.on('error', (err) => this.gone(String(err)));
    this.exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.once('exit', (code) => {
      if (!this.closing) this.gone(`the index worker stopped (exit code ${code})`);
    });
    this.worker.unref();
  }

  committed(lineId: number, rev: number): void {
    this.target = { lines: lineId, revs: rev };
    Atomics.store(this.cells, Cell.committed, BigInt(lineId));
    Atomics.store(this.cells, Cell.revised, BigInt(rev));
    // A worker that fails is reported (and read around) instead: it is not waited for at every commit.
    if (this.lag() > this.maxLag && this.lost === null && Atomics.load(this.cells, Cell.failing) === 0n) this.waitForWorker();
  }

  lag(): number {
    return this.target.lines - Number(Atomics.load(this.cells, Cell.lines));
  }

  behind(): string | null {
    this.drain();
    if (this.caughtUp()) return null;
    if (this.lost !== null) return this.lost;
    return this.waitForWorker();
  }

  /** Wakes the worker and sleeps until it holds everything committed, it fails, or WAIT_MS pass; null when it caught up. */
  private waitForWorker(): string | null {
    const asked = Atomics.load(this.cells, Cell.attempts);
    Atomics.add(this.cells, Cell.wake, 1n);
    Atomics.notify(this.cells, Cell.wake);
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const attempts = Atomics.load(this.cells, Cell.attempts);
      if (this.caughtUp()) break;
      if (attempts !== asked && Atomics.load(this.cells, Cell.failing) === 1n) break;
      const left = deadline - Date.now();
      if (left <= 0) return `the index worker did not catch up within ${WAIT_MS} ms`;
      Atomics.wait(this.cells, Cell.attempts, attempts, left);
    }
    this.drain();
    return this.caughtUp() ? null : (this.fault.message ?? 'the index worker failed');
  }

  revisedUpTo(): number {
    return Number(Atomics.load(this.cells, Cell.revs));
  }

  problem(): string | null {
    this.drain();
    return this.lost ?? this.fault.message;
  }

  merging(): boolean {
    return this.lost === null && Atomics.load(this.cells, Cell.merging) === 1n;
  }

  /** Has the worker catch up once more and close its connection; waits for it to end. */
  async close(): Promise<void> {
    this.closing = true;
    this.worker.ref(); // keep the process alive until the worker has closed its connection
    Atomics.store(this.cells, Cell.stop, 1n);
    Atomics.add(this.cells, Cell.wake, 1n);
    Atomics.notify(this.cells, Cell.wake);
    await this.exited;
    this.drain();
    this.port.close();
  }

  private caughtUp(): boolean {
    return Atomics.load(this.cells, Cell.lines) >= this.target.lines && Atomics.load(this.cells, Cell.revs) >= this.target.revs;
  }

  /** Takes in the reports posted so far, without waiting for the event loop. */
  private drain(): void {
    for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) this.report(m.message as IndexReport);
  }

  /** A merge step's failure only costs search speed: logged (once while it recurs), the index stays readable. */
  private report(report: IndexReport): void {
    if ('mergeError' in report) this.onError(`search index merge: ${report.mergeError}`);
    else this.fault.set(report.error);
  }

  private gone(why: string): void {
    if (this.lost === null) this.fault.set(why);
    this.lost = why;
  }
}
