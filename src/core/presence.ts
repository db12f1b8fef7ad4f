/** Who is online, by case-insensitive name, in login order. */
import { nameKey } from './names.js';

/** The presence seam: an in-process table now, a shared engine later. */
export interface Presence<U> {
  /** Adds the user under `name`; false when the name is taken. */
  add(name: string, user: U): boolean;
  remove(name: string, user: U): void;
  get(name: string): U | undefined;
  /** Moves the user from `old` to `name`, keeping its place in login order; false when `name` is another's. */
  rename(old: string, name: string, user: U): boolean;
  /** Online users in login order. */
  list(): U[];
  /** The same, without a copy: for a pass over everyone on every login, which must not allocate as many entries as there are users. */
  values(): IterableIterator<U>;
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

  rename(old: string, name: string, user: U): boolean {
    const [from, to] = [nameKey(old), nameKey(name)];
    if (this.users.get(from) !== user) return false;
    if (from === to) return true;
    if (this.users.has(to)) return false;
    // Rebuilt in order: a rename is rare, and who logged in first stays first.
    const entries = [...this.users].map(([key, u]): [string, U] => (key === from ? [to, u] : [key, u]));
    this.users.clear();
    for (const [key, u] of entries) this.users.set(key, u);
    return true;
  }

  /** Online users in login order. */
  list(): U[] {
    return [...this.users.values()];
  }

  values(): IterableIterator<U> {
    return this.users.values();
  }

  get size(): number {
    return this.users.size;
  }
}
