/** What SyncPg's main thread and its worker say to each other. */

/** A value PostgreSQL takes as a parameter. */
export type PgValue = string | number | bigint | boolean | null | Date | readonly (string | number | null)[];

export interface Statement {
  sql: string;
  params?: readonly PgValue[];
}

export type SyncRequest = ({ kind: 'query' } & Statement & { id: number }) | { kind: 'transaction'; steps: readonly Statement[]; id: number };

/** One list of rows per statement (a query has one). */
export type SyncAnswer = { id: number; ok: true; rows: unknown[][] } | { id: number; ok: false; error: string; code?: string };

export interface SyncWorkerData {
  url: string;
  /** A SharedArrayBuffer of one Int32: 1 once an answer is posted. */
  flag: SharedArrayBuffer;
  statementTimeoutMs: number;
}
