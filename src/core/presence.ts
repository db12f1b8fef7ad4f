/** Who is online, by case-insensitive name, in login order. */
import { nameKey } from './names.js';

/** The presence seam: an in-process table now, a shared engine later. */
export interface Presence<U> {
  /** Adds the user under `name`; false when the name is taken. */
  add(name: string, user: U): boolean;
  remove(name: string, user: U): void;
  get(name: string): U | undefined;
  /** Online users in login order. */
  list(): U[];
  readonly size: number;
}

export class PresenceTable<U> implements Presence<U> {
  private readonly users = new Map<string, U>();

  /** Adds the user under `name`; false when the name is taken. */
  add(name: string, user: U): boolean {
    const key = nameKey(name);
    if (this.users.has(key)) return false;
    this.users.set(key, user);
    return true;
  }

  remove(name: string, user: U): void {
    const key = nameKey(name);
    if (this.users.get(key) === user) this.users.delete(key);
  }

  get(name: string): U | undefined {
    return this.users.get(nameKey(name));
  }

  /** Online users in login order. */
  list(): U[] {
    return [...this.users.values()];
  }

  get size(): number {
    return this.users.size;
  }
}
