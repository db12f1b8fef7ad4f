import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteHistory } from './sqlite-history.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const line = (text: string, seq: number) => ({ group: 1, sender: 'zz', senderKey: 'zz', text, ts: 0, seq });

describe('SqliteHistory health and counts', () => {
  it('counts committed lines, across a reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ics-chat-store-'));
    dirs.push(dir);
    const file = join(dir, 'history.db');
    const store = new SqliteHistory(file);
    store.record(line('one', 1));
    store.record(line('two', 2));
    expect(store.lineCount()).toBe(0);
    store.commit();
    expect(store.lineCount()).toBe(2);
    store.close();
    const again = new SqliteHistory(file);
    expect(again.lineCount()).toBe(2);
    again.close();
  });

  it('reports no problem while it can serve, and says why once it cannot', () => {
    const store = new SqliteHistory(':memory:');
    expect(store.problem()).toBeNull();
    store.close();
    expect(store.problem()).toBe('the database is closed');
  });
});
