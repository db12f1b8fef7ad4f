/**
 * The contract every AccountStore keeps, as a test suite each implementation runs (in memory,
 * SQLite, and later a shared database). Test-only code; it sits next to the interface it pins down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountStore } from './accounts.js';

const alice = { provider: 'discord', id: '100' };
const bob = { provider: 'discord', id: '200' };

export function describeAccountsContract(name: string, make: () => AccountStore): void {
  describe(`${name} keeps the accounts contract`, () => {
    const open: AccountStore[] = [];
    afterEach(() => {
      for (const a of open.splice(0)) a.close();
    });
    const fresh = (): AccountStore => {
      const a = make();
      open.push(a);
      return a;
    };

    it('binds a name to an identity once, unique by name in any case and by identity', () => {
      const accounts = fresh();
      expect(accounts.nameOf(alice)).toBeNull();
      expect(accounts.bind(alice, 'Alice')).toBe(true);
      expect(accounts.nameOf(alice)).toBe('Alice');
      expect(accounts.accountOf('alice')).toEqual({ name: 'Alice', identity: alice, historyKey: 'alice', secret: null });
      expect(accounts.bind(bob, 'ALICE')).toBe(false);
      expect(accounts.bind(alice, 'alice2')).toBe(false);
      expect(accounts.accountOf('alice2')).toBeNull();
      expect(accounts.nameOf(bob)).toBeNull();
      expect(accounts.nameOf({ provider: 'other', id: '100' })).toBeNull();
    });

    it('registers a password account once per name, in any case, with its own history key', () => {
      const accounts = fresh();
      expect(accounts.register('Carol', '$scrypt$hash', 'carol:1')).toBe(true);
      expect(accounts.accountOf('carol')).toEqual({ name: 'Carol', identity: { provider: 'password', id: 'carol' }, historyKey: 'carol:1', secret: '$scrypt$hash' });
      expect(accounts.nameOf({ provider: 'password', id: 'carol' })).toBe('Carol');
      expect(accounts.register('CAROL', '$scrypt$other', 'carol:2')).toBe(false);
      expect(accounts.bind(bob, 'carol')).toBe(false);
      expect(accounts.accountOf('carol')?.secret).toBe('$scrypt$hash');
      expect(accounts.bind(bob, 'bob')).toBe(true);
      expect(accounts.register('bob', '$scrypt$x', 'bob:1')).toBe(false);
      expect(accounts.accountOf('bob')).toEqual({ name: 'bob', identity: bob, historyKey: 'bob', secret: null });
    });
  });
}
