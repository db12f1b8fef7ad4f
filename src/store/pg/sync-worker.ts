/**
 * The worker side of SyncPg (sync-client.ts): one `pg` connection, one request at a time. Each
 * answer is posted on the port and then signalled through the shared flag, which is what the
 * waiting main thread sleeps on. A failed connection is dropped and made again on the next request,
 * so the store recovers by itself once PostgreSQL is back.
 */
import pg from 'pg';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { SyncAnswer, SyncRequest, SyncWorkerData } from './sync-protocol.js';

const { url, flag, port, statementTimeoutMs } = workerData as SyncWorkerData & { port: MessagePort };
const signal = new Int32Array(flag);
let client: pg.Client | null = null;

async function connection(): Promise<pg.Client> {
  if (client) return client;
  const fresh = new pg.Client({ connectionString: url, connectionTimeoutMillis: statementTimeoutMs, statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + 1000 });
  fresh.on('error', () => {
    if (client === fresh) client = null;
  });
  await fresh.connect();
  client = fresh;
  return fresh;
}

async function run(request: SyncRequest): Promise<SyncAnswer> {
  try {
    const db = await connection();
    if (request.kind === 'query') {
      const result = await db.query({ text: request.sql, values: request.params as unknown[] });
      return { id: request.id, ok: true, rows: [result.rows] };
    }
    const rows: unknown[][] = [];
    await db.query('BEGIN');
    try {
      for (const step of request.steps) rows.push((await db.query({ text: step.sql, values: step.params as unknown[] })).rows);
      await db.query('COMMIT');
    } catch (err) {
      await db.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    return { id: request.id, ok: true, rows };
  } catch (err) {
    const e = err as { message?: string; code?: string };
    // A broken connection is made again next time; a query's own error leaves it usable.
    if (e.code === undefined || e.code.startsWith('08') || e.code === '57P01') {
      const broken = client;
      client = null;
      await broken?.end().catch(() => undefined);
    }
    return { id: request.id, ok: false, error: e.message ?? String(err), ...(e.code === undefined ? {} : { code: e.code }) };
  }
}

port.on('message', (request: SyncRequest | 'close') => {
  if (request === 'close') {
    void client?.end().catch(() => undefined);
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
