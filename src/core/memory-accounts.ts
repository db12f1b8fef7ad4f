/**
 * Accounts in memory, for tests and a single process that keeps no accounts across restarts;
 * the contract in accounts-contract.ts holds it to what the SQLite store does.
 */
import { PASSWORD_PROVIDER, type Account, type AccountStore, type Identity } from './accounts.js';
import { nameKey } from './names.js';

export class MemoryAccounts implements AccountStore {
  /** Accounts by name key. */
  private readonly byName = new Map<string, Account>();
  /** Name keys by identity (JSON of provider and id). */
  private readonly byIdentity = new Map<string, string>();

  nameOf(identity: Identity): string | null {
    const key = this.byIdentity.get(identityKey(identity));
    return key === undefined ? null : this.byName.get(key)!.name;
  }

  accountOf(key: string): Account | null {
    return this.byName.get(key) ?? null;
  }

  bind(identity: Identity, name: string): boolean {
    const key = nameKey(name);
    return this.add(key, { name, identity: { ...identity }, historyKey: key, secret: null });
  }

  register(name: string, secret: string, historyKey: string): boolean {
    const key = nameKey(name);
    return this.add(key, { name, identity: { provider: PASSWORD_PROVIDER, id: key }, historyKey, secret });
  }

  close(): void {}

  /** Adds the account unless its name or its identity is taken, as SQLite's two unique keys do. */
  private add(key: string, account: Account): boolean {
    const identity = identityKey(account.identity);
    if (this.byName.has(key) || this.byIdentity.has(identity)) return false;
    this.byName.set(key, account);
    this.byIdentity.set(identity, key);
    return true;
  }
}

function identityKey(identity: Identity): string {
  return JSON.stringify([identity.provider, identity.id]);
}
