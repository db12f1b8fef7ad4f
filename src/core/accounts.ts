/**
 * The accounts seam: names that belong to someone. A name is owned either by an identity a
 * front vouches for (a Discord user) or by a password registered under it; only a session that
 * proves that identity or password may take it, everyone else gets `duplicate`. Names nobody
 * owns stay first come, first served (guests).
 */

/** Who a front vouches a session belongs to, e.g. `{ provider: 'discord', id: '1234' }`. */
export interface Identity {
  provider: string;
  id: string;
}

/** The provider of accounts made with `register` (their id is the name's key). */
export const PASSWORD_PROVIDER = 'password';

export interface Account {
  /** The name as it was registered. */
  name: string;
  identity: Identity;
  /**
   * Whose history this account reads and writes. A name's guests share its name key; an
   * account registered on a name that guests had used gets a key of its own, so neither
   * side ever sees the other's lines.
   */
  historyKey: string;
  /** The password hash (with its parameters) of a password account; null for the others. */
  secret: string | null;
}

export interface AccountStore {
  /** The name bound to this identity, or null if it has none yet. */
  nameOf(identity: Identity): string | null;
  /** The account owning this name (by nameKey), or null when nobody owns it. */
  accountOf(nameKey: string): Account | null;
  /** Binds `name` to an identity that has no name yet (history under the name key); false when either is already bound. */
  bind(identity: Identity, name: string): boolean;
  /** Registers `name` as a password account; false when the name is already owned. */
  register(name: string, secret: string, historyKey: string): boolean;
  close(): void;
}
