/**
 * PostgreSQL behind the stores' synchronous seam. The hub's stores answer at once (SQLite does, in
 * process), so a PostgreSQL store asks a worker thread that holds one `pg` connection and sleeps
 * on a shared flag until the answer is posted: the event loop waits one round trip, as it waits
 * for an SQLite page, and a turn's lines go in one transaction. Every wait is bounded: past
 * `timeoutMs` the worker starts and commits nothing more of the call, the caller throws once any
 * COMMIT sent in time has had a moment to come back, and a late answer is thrown away.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { builtWorker } from '../worker-file.js';
import type { PgValue, Statement, SyncAnswer, SyncRequest, SyncWorkerData } from './sync-protocol.js';

export type { PgValue, Statement } from './sync-protocol.js';

/** PostgreSQL refused or could not be reached; `code` is its SQLSTATE when it answered. */
export class PgError extends Error {
  override readonly name = 'PgError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** How long past a call's deadline its caller still waits for a COMMIT the worker sent in time. */
const COMMIT_GRACE_MS = 1000;

export interface SyncPgOptions {
  /** The longest one call waits, and PostgreSQL's statement timeout; 5 s unless given. */
  timeoutMs?: number;
}

export class SyncPg {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly timeoutMs: number;
  private nextId = 1;
  private closed = false;

  constructor(url: string, options: SyncPgOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: SyncWorkerData & { port: MessagePort } = { url, flag: this.flag.buffer as SharedArrayBuffer, statementTimeoutMs: this.timeoutMs, port: port2 };
    this.worker = new Worker(builtWorker(new URL('./sync-worker.js', import.meta.url)), { workerData: data, transferList: [port2] });
    // The worker never keeps the process alive by itself; its errors surface as failed calls.
    this.worker.unref();
    this.worker.on('error', () => undefined);
  }

  /** Rows of one statement. */
  query<R = Record<string, unknown>>(sql: string, params: readonly PgValue[] = []): R[] {
    return this.call({ kind: 'query', sql, params, id: this.nextId++, deadline: Date.now() + this.timeoutMs })[0] as R[];
  }

  /** Rows of a statement prepared under `name` on the connection: one that costs more to plan than to run is planned once, not on every call. */
  prepared<R = Record<string, unknown>>(name: string, sql: string, params: readonly PgValue[] = []): R[] {
    return this.call({ kind: 'query', name, sql, params, id: this.nextId++, deadline: Date.now() + this.timeoutMs })[0] as R[];
  }

  /** Runs the statements in one transaction (all or nothing); the rows of each. */
  transaction(steps: readonly Statement[]): unknown[][] {
    return this.call({ kind: 'transaction', steps, id: this.nextId++, deadline: Date.now() + this.timeoutMs });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.port.postMessage('close');
    await this.worker.terminate();
  }

  private call(request: SyncRequest): unknown[][] {
    if (this.closed) throw new PgError('the PostgreSQL connection is closed', undefined);
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(request);
    // The worker starts and commits nothing past the request's deadline; a COMMIT sent just
    // before it is waited for a little longer, so that what the caller is told is what happened.
    const deadline = request.deadline + COMMIT_GRACE_MS;
    for (;;) {
      const answer = this.take(request.id);
      if (answer) {
        if (answer.ok) return answer.rows;
        throw new PgError(answer.error, answer.code);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new PgError(`PostgreSQL did not answer within ${this.timeoutMs} ms`, undefined);
      Atomics.wait(this.flag, 0, 0, left);
    }
  }

  /** The answer to request `id` if it has come; older answers (to calls that timed out) are dropped. */
  private take(id: number): SyncAnswer | null {
    for (;;) {
      let message = receiveMessageOnPort(this.port);
      if (message === undefined) {
        // Cleared before looking once more, so an answer posted meanwhile is not slept through.
        Atomics.store(this.flag, 0, 0);
        message = receiveMessageOnPort(this.port);
        if (message === undefined) return null;
      }
      const answer = message.message as SyncAnswer;
      if (answer.id === id) return answer;
    }
  }
}
