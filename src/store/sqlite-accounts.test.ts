import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { describeAccountsContract } from '../core/accounts-contract.js';
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

describeAccountsContract('SqliteAccounts', () => new SqliteAccounts(':memory:'));

describe('SqliteAccounts', () => {
  it('survives a reopen and shares the file with the history', async () => {
    const file = dbFile();
    const history = new SqliteHistory(file);
    const first = new SqliteAccounts(file);
    first.bind(bob, 'bob');
    first.register('dora', '$scrypt$h', 'dora:1');
    first.close();
    await history.close();
    const again = new SqliteAccounts(file);
    expect(again.nameOf(bob)).toBe('bob');
    expect(again.accountOf('dora')?.historyKey).toBe('dora:1');
    again.close();
  });

  it('upgrades a database from before password accounts: its Discord names keep their history key', () => {
    const file = dbFile();
    const old = new Database(file);
    old.exec(`CREATE TABLE accounts (
      name_key TEXT PRIMARY KEY, name TEXT NOT NULL, provider TEXT NOT NULL, external_id TEXT NOT NULL,
      created INTEGER NOT NULL, UNIQUE (provider, external_id));
      INSERT INTO accounts VALUES ('john_doe', 'john_doe', 'discord', '100', 5);`);
    old.close();
    const accounts = new SqliteAccounts(file);
    expect(accounts.accountOf('john_doe')).toEqual({ name: 'john_doe', identity: alice, historyKey: 'john_doe', secret: null });
    expect(accounts.register('erin', '$scrypt$h', 'erin:1')).toBe(true);
    accounts.close();
    const reopened = new SqliteAccounts(file);
    expect(reopened.accountOf('erin')?.secret).toBe('$scrypt$h');
    reopened.close();
  });
});
