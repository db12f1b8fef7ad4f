import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, OWN_POSTGRES_NEED, ownPostgres } from '../../../test/helpers/engines.js';
import { describeNeeds } from '../../../test/helpers/needs.js';
import { describeAccountsContract } from '../../core/accounts-contract.js';
import type { LocalPostgres } from '../../engines/postgres.js';
import { PgAccounts } from './pg-accounts.js';
import { PgError, SyncPg } from './sync-client.js';

const alice = { provider: 'discord', id: '100' };
const bob = { provider: 'discord', id: '200' };

describeNeeds(OWN_POSTGRES_NEED)('PgAccounts', () => {
  let engine: LocalPostgres;
  let url = '';
  const open: PgAccounts[] = [];
  const store = (): PgAccounts => {
    const accounts = new PgAccounts(new SyncPg(url));
    open.push(accounts);
    return accounts;
  };

  beforeAll(async () => {
    engine = await ownPostgres();
    url = (await freshDatabase('accounts', engine)).url;
  });
  afterAll(async () => {
    for (const a of open) a.close();
    await engine?.destroy();
  });

  // Each contract test starts from no accounts; the suite closes the stores it makes.
  describeAccountsContract('PgAccounts', () => {
    const db = new SyncPg(url);
    const accounts = new PgAccounts(db);
    db.query('TRUNCATE accounts');
    return accounts;
  });

  describe('shared by several nodes', () => {
    it('shows each store the names another bound or registered, unique in any case across both', () => {
      const [one, two] = [store(), store()];
      expect(one.bind(alice, 'Alice')).toBe(true);
      expect(two.nameOf(alice)).toBe('Alice');
      expect(two.bind(bob, 'aLiCe')).toBe(false);
      expect(two.bind(alice, 'other')).toBe(false);
      expect(two.register('Dora', '$scrypt$d', 'dora:1')).toBe(true);
      expect(one.register('DORA', '$scrypt$x', 'dora:2')).toBe(false);
      expect(one.bind(bob, 'dora')).toBe(false);
      expect(one.accountOf('dora')).toEqual({ name: 'Dora', identity: { provider: 'password', id: 'dora' }, historyKey: 'dora:1', secret: '$scrypt$d' });
    });

    it('keeps accounts across a restart of PostgreSQL and a reopen of the store', async () => {
      const first = store();
      expect(first.register('Erin', '$scrypt$e', 'erin:1')).toBe(true);
      first.close();
      await engine.stop();
      await engine.start();
      const again = store();
      expect(again.accountOf('erin')).toEqual({ name: 'Erin', identity: { provider: 'password', id: 'erin' }, historyKey: 'erin:1', secret: '$scrypt$e' });
      expect(again.nameOf(alice)).toBe('Alice');
    });

    it('throws while PostgreSQL is away, as a store that cannot answer must', async () => {
      const accounts = store();
      await engine.stop();
      try {
        expect(() => accounts.accountOf('alice')).toThrow(PgError);
      } finally {
        await engine.start();
      }
      expect(accounts.accountOf('alice')?.name).toBe('Alice');
    });
  });
});
