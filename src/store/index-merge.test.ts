import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait.js';
import { SqliteHistory } from './sqlite-history.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The search index's segments (each has rows in FTS5's %_idx table), read on a connection of its own. */
function segments(indexFile: string): number {
  const db = new Database(indexFile, { readonly: true });
  try {
    return db.prepare<[], number>('SELECT count(DISTINCT segid) FROM lines_idx_idx').pluck().get()!;
  } finally {
    db.close();
  }
}

/** Resolves once the store's index worker has nothing left to merge. */
async function settled(history: SqliteHistory): Promise<void> {
  await waitFor('the index to have nothing left to merge', () => !history.indexMerging(), 20_000);
}

describe('the search index in quiet times', () => {
  it('merges its segments to at most one a level, and search finds what it found before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ics-merge-'));
    dirs.push(dir);
    const file = join(dir, 'history.db');
    const history = new SqliteHistory(file);
    let seq = 0;
    history.joined('ann', 1, 0);
    /** Twenty lines, then a search: the worker indexes them in one transaction, a segment of their own. */
    const round = (n: number): void => {
      for (let i = 0; i < 20; i++) history.record({ group: 1, sender: 'ann', senderKey: 'ann', text: `line ${seq} of round${n} about tea`, ts: 0, seq: ++seq });
      history.commit();
      history.search('ann', [[`round${n}`]], 1);
    };
    try {
      for (let n = 0; n < 16; n++) round(n);
      const before = history.search('ann', [['tea']], 500);
      await settled(history);
      expect(segments(`${file}-index`)).toBeLessThanOrEqual(2);
      expect(history.search('ann', [['tea']], 500)).toEqual(before);
      expect(before.total).toBe(320);
      // Lines said afterwards add segments (FTS5 alone leaves 16 here); the next quiet time merges them too.
      for (let n = 16; n < 31; n++) round(n);
      await settled(history);
      expect(segments(`${file}-index`)).toBeLessThanOrEqual(2);
      expect(history.search('ann', [['round30']], 50).lines.map((l) => l.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 601 + i));
      expect(history.search('ann', [['tea']], 700).total).toBe(620);
    } finally {
      await history.close();
    }
  });
});
