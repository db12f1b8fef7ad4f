import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeKeepsContract } from '../core/keeps-contract.js';
import { SqliteKeeps } from './sqlite-keeps.js';

describeKeepsContract('SqliteKeeps', () => new SqliteKeeps(':memory:'));

describe('SqliteKeeps', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('keeps memberships across a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keeps-'));
    dirs.push(dir);
    const file = join(dir, 'history.db');
    const first = new SqliteKeeps(file);
    const row = { userKey: 'a', kind: 'room' as const, place: '#tea', label: '#tea', group: 3, seenGroup: 3, seenSeq: 5 };
    first.put(row);
    first.close();
    const second = new SqliteKeeps(file);
    expect(second.of('a')).toEqual([row]);
    second.close();
  });

  it('reports a statement the database refuses, and goes on', () => {
    const errors: string[] = [];
    const keeps = new SqliteKeeps(':memory:', (msg) => errors.push(msg));
    keeps.close();
    keeps.put({ userKey: 'a', kind: 'room', place: '#tea', label: '#tea', group: 1, seenGroup: 1, seenSeq: 0 });
    expect(keeps.of('a')).toEqual([]);
    expect(keeps.wake('#tea')).toBeUndefined();
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^could not keep a membership: /);
  });
});
