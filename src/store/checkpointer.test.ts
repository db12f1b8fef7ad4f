import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { Checkpointer } from './checkpointer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * Writes in small transactions, as the hub commits one per busy event-loop turn, while a
 * checkpointer runs: `warmBytes` first, then `moreBytes`; returns how much the log file grew over
 * the second part. The writes are paced at no more than one a millisecond (8 MB/s of rows, some
 * 25 MB/s of log), about what the server writes at 20,000 chat lines a second.
 */
async function steadyWrites(rewindBytes: number, warmBytes: number, moreBytes: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'ics-checkpoint-'));
  dirs.push(dir);
  const file = join(dir, 'history.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('busy_timeout = 2000');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  const commit = db.transaction((n: number) => {
    for (let i = 0; i < n; i++) insert.run(Buffer.alloc(1024, i));
  });
  const checkpointer = new Checkpointer(file, (msg) => expect.fail(msg), 20, 1 << 30, rewindBytes);
  const write = async (bytes: number): Promise<void> => {
    for (let written = 0; written < bytes; written += 8 * 1024) {
      commit(8);
      await pause(1);
    }
  };
  await write(warmBytes);
  const before = statSync(`${file}-wal`).size;
  await write(moreBytes);
  const growth = statSync(`${file}-wal`).size - before;
  await checkpointer.stop();
  db.close();
  return growth;
}

it('rewinds the log under steady writes, so it stops growing instead of growing to the limit', async () => {
  const more = 8 << 20;
  const growth = await steadyWrites(1 << 20, 4 << 20, more);
  // Without the rewind the log keeps everything written since the last idle moment, page by
  // page: it grew by 4 to 23 MB here. With it, the file is reused: it grew by 0.25 MB at most.
  expect(growth).toBeLessThan(more / 4);
}, 60_000);
