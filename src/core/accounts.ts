/**
 * The accounts seam: names that belong to someone. A name bound to an identity (a Discord
 * user today, a password later) can only be taken by a session that proves that identity;
 * everyone else gets `duplicate`. Names nobody owns stay first come, first served.
 */

/** Who a front vouches a session belongs to, e.g. `{ provider: 'discord', id: '1234' }`. */
export interface Identity {
  provider: string;
  id: string;
}

export interface AccountStore {
  /** The name bound to this identity, or null if it has none yet. */
  nameOf(identity: Identity): string | null;
  /** The identity owning this name (by nameKey), or null when nobody owns it. */
  ownerOf(nameKey: string): Identity | null;
  /** Binds `name` to an identity that has no name yet; false when either is already bound. */
  bind(identity: Identity, name: string): boolean;
  close(): void;
}
