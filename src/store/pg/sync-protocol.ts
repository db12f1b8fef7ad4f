/** What SyncPg's main thread and its worker say to each other. */

/** A value PostgreSQL takes as a parameter. */
export type PgValue = string | number | bigint | boolean | null | Date | readonly (string | number | null)[];

export interface Statement {
  sql: string;
  params?: readonly PgValue[];
  /** Names a statement PostgreSQL prepares once per connection, and plans once it has seen a few. */
  name?: string;
}

/**
 * A call, with the time (Date.now()) after which its caller no longer waits: the worker starts
 * nothing and commits nothing past it, so a call the caller gave up on never takes effect later.
 */
export type SyncRequest = (({ kind: 'query' } & Statement) | { kind: 'transaction'; steps: readonly Statement[] }) & { id: number; deadline: number };

/** One list of rows per statement (a query has one). */
export type SyncAnswer = { id: number; ok: true; rows: unknown[][] } | { id: number; ok: false; error: string; code?: string };

export interface SyncWorkerData {
  url: string;
  /** A SharedArrayBuffer of one Int32: 1 once an answer is posted. */
  flag: SharedArrayBuffer;
  statementTimeoutMs: number;
}
