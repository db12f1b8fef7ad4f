/**
 * Server operators, from configuration: each a name and a password. Proving one makes a session
 * an operator, who may kick in any group and end anyone's connection. Passwords are compared in
 * constant time (as digests, so their lengths leak nothing either) and never logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** One configured operator. */
export interface OperatorEntry {
  name: string;
  password: string;
}

/** How an operator login went: `none` when no operator is configured under that name. */
export type OperCheck = 'ok' | 'denied' | 'none';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export class Operators {
  private readonly byName = new Map<string, Buffer>();

  constructor(entries: readonly OperatorEntry[]) {
    for (const e of entries) this.byName.set(e.name.toLowerCase(), digest(e.password));
  }

  /** Checks an operator's name (any case) and password. */
  check(name: string, password: string): OperCheck {
    const expected = this.byName.get(name.toLowerCase());
    if (!expected) return 'none';
    return timingSafeEqual(expected, digest(password)) ? 'ok' : 'denied';
  }
}
