/**
 * The worker side of SyncPg (sync-client.ts): one `pg` connection, and a second only while a
 * request whose caller gave up on it still runs. Each answer is posted on the port and then
 * signalled through the shared flag, which is what the waiting main thread sleeps on. A failed
 * connection is dropped and made again on the next request, so the store recovers by itself once
 * PostgreSQL is back.
 */
import pg from 'pg';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Statement, SyncAnswer, SyncRequest, SyncWorkerData } from './sync-protocol.js';

const { url, flag, port, statementTimeoutMs } = workerData as SyncWorkerData & { port: MessagePort };
const signal = new Int32Array(flag);
/** The connection no request is using. */
let idle: pg.Client | null = null;
/** Every connection open, for `close`. */
const open = new Set<pg.Client>();

/**
 * A connection of the request's own: the idle one, or a new one when a request is still running
 * (its caller timed out and sent this one). A late request's transaction thus never takes in a
 * newer request's statements; the spare connection is closed once the late request ends.
 */
async function checkOut(): Promise<pg.Client> {
  const ready = idle;
  idle = null;
  if (ready) return ready;
  const fresh = new pg.Client({ connectionString: url, connectionTimeoutMillis: statementTimeoutMs, statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + 1000 });
  fresh.on('error', () => {
    if (idle === fresh) idle = null;
  });
  open.add(fresh);
  try {
    await fresh.connect();
  } catch (err) {
    drop(fresh);
    throw err;
  }
  return fresh;
}

function drop(db: pg.Client): void {
  open.delete(db);
  void db.end().catch(() => undefined);
}

/** Gives the connection back for the next request, or closes it when it is broken or another is idle already. */
function checkIn(db: pg.Client, broken: boolean): void {
  if (broken || idle !== null) drop(db);
  else idle = db;
}

/** Thrown for a call whose caller stopped waiting before it could take effect. */
class GaveUp extends Error {}

function inTime(request: SyncRequest): void {
  if (Date.now() >= request.deadline) throw new GaveUp('the caller stopped waiting before PostgreSQL could run this');
}

/** A statement as `pg` takes it: a named one is parsed once per connection. */
const config = (statement: Statement): pg.QueryConfig => ({ text: statement.sql, values: statement.params as unknown[], ...(statement.name !== undefined && { name: statement.name }) });

async function run(request: SyncRequest): Promise<SyncAnswer> {
  let db: pg.Client | null = null;
  try {
    inTime(request);
    db = await checkOut();
    inTime(request);
    // One statement is a transaction by itself: one round trip, where BEGIN and COMMIT around it would make three.
    const steps: readonly Statement[] = request.kind === 'query' ? [request] : request.steps;
    if (steps.length === 1) {
      const result = await db.query(config(steps[0]!));
      checkIn(db, false);
      return { id: request.id, ok: true, rows: [result.rows] };
    }
    const rows: unknown[][] = [];
    await db.query('BEGIN');
    try {
      for (const step of steps) rows.push((await db.query(config(step))).rows);
      inTime(request);
      await db.query('COMMIT');
    } catch (err) {
      await db.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    checkIn(db, false);
    return { id: request.id, ok: true, rows };
  } catch (err) {
    const e = err as { message?: string; code?: string };
    // A broken connection is made again next time; a query's own error (or a call given up on) leaves it usable.
    if (db) checkIn(db, !(err instanceof GaveUp) && (e.code === undefined || e.code.startsWith('08') || e.code === '57P01'));
    return { id: request.id, ok: false, error: e.message ?? String(err), ...(e.code === undefined ? {} : { code: e.code }) };
  }
}

port.on('message', (request: SyncRequest | 'close') => {
  if (request === 'close') {
    for (const db of open) drop(db);
    port.close();
    return;
  }
  void run(request).then((answer) => {
    port.postMessage(answer);
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
});
parentPort?.postMessage('ready');
