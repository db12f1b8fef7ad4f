import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteAccounts } from './sqlite-accounts.js';
import { SqliteHistory } from './sqlite-history.js';

const dirs: string[] = [];
function dbFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ics-accounts-'));
  dirs.push(dir);
  return join(dir, 'history.db');
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const alice = { provider: 'discord', id: '100' };
const bob = { provider: 'discord', id: '200' };

describe('SqliteAccounts', () => {
  it('binds a name to an identity once, unique by name in any case and by identity', () => {
    const accounts = new SqliteAccounts(dbFile());
    expect(accounts.nameOf(alice)).toBeNull();
    expect(accounts.bind(alice, 'Alice')).toBe(true);
    expect(accounts.nameOf(alice)).toBe('Alice');
    expect(accounts.ownerOf('alice')).toEqual(alice);
    expect(accounts.bind(bob, 'ALICE')).toBe(false);
    expect(accounts.bind(alice, 'alice2')).toBe(false);
    expect(accounts.ownerOf('alice2')).toBeNull();
    expect(accounts.nameOf({ provider: 'other', id: '100' })).toBeNull();
    accounts.close();
  });

  it('survives a reopen and shares the file with the history', async () => {
    const file = dbFile();
    const history = new SqliteHistory(file);
    const first = new SqliteAccounts(file);
    first.bind(bob, 'bob');
    first.close();
    await history.close();
    const again = new SqliteAccounts(file);
    expect(again.nameOf(bob)).toBe('bob');
    again.close();
  });
});

describe('SqliteHistory.hasUser', () => {
  it('knows a name once it joined a group, before and after the commit', async () => {
    const history = new SqliteHistory(dbFile());
    expect(history.hasUser('carol')).toBe(false);
    history.opened(1);
    history.joined('carol', 1);
    expect(history.hasUser('carol')).toBe(true);
    history.commit();
    expect(history.hasUser('carol')).toBe(true);
    expect(history.hasUser('dave')).toBe(false);
    await history.close();
  });
});
