/**
 * Who users are as IRC shows them: `nick!user@host`. An IRC user's username is the one its USER
 * gave (`~user` unless it proved an account with SASL or PASS) and its realname is kept as given;
 * a user of another front shows as `name!name@front` (`peter!peter@tcp`), the host naming the
 * front in both cases. Also the bounded record of recently gone nicks that WHOWAS reads.
 */
import { nameKey } from '../../core/names.js';
import { IRC_HOST } from './outbound.js';

/** What USER said of one registered IRC user, and when it came and last spoke. */
export interface Ident {
  /** The username as shown, `~` included when not verified. */
  user: string;
  realname: string;
  /** Registration time, Unix seconds. */
  signon: number;
  /** Last PRIVMSG or NOTICE, Unix seconds (idle time counts from it). */
  active: number;
  /** The account the connection proved, if any. */
  account: string | null;
}

/** The longest username kept (ISUPPORT USERLEN), `~` not counted. */
export const USER_MAX = 10;

/**
 * A username as USER gave it, made fit for a mask: characters that cannot stand in one (space,
 * `!`, `@`, controls) are dropped, the rest is cut to USER_MAX; `~` marks it as unverified.
 */
export function username(given: string, verified: boolean): string {
  const kept = [...given.replace(/[\s!@\p{C}\ufffd~]/gu, '')].slice(0, USER_MAX).join('');
  return `${verified ? '' : '~'}${kept === '' ? 'user' : kept}`;
}

/** The host a user of `front` shows under. */
export const hostOf = (front: string): string => front;

/** The idents of this front's users, by name key. */
export class Idents {
  private readonly byKey = new Map<string, Ident>();

  set(name: string, ident: Ident): void {
    this.byKey.set(nameKey(name), ident);
  }

  get(name: string): Ident | undefined {
    return this.byKey.get(nameKey(name));
  }

  delete(name: string): void {
    this.byKey.delete(nameKey(name));
  }

  /** The user part of anyone's mask: an IRC user's ident, or the name itself for other fronts. */
  userOf(name: string, front: string): string {
    return (front === IRC_HOST ? this.byKey.get(nameKey(name))?.user : undefined) ?? name;
  }

  /** Anyone's realname: an IRC user's as USER gave it; a user of another front, who gave none, is described. */
  realnameOf(name: string, front: string): string {
    return (front === IRC_HOST ? this.byKey.get(nameKey(name))?.realname : undefined) ?? `${name} on the ${front} front`;
  }

  /** Anyone's `nick!user@host`. */
  maskOf(name: string, front: string): string {
    return `${name}!${this.userOf(name, front)}@${hostOf(front)}`;
  }
}

/** A nick as it was when its holder left it (by quitting or by a NICK). */
export interface Gone {
  nick: string;
  user: string;
  host: string;
  realname: string;
  /** When it was given up, Unix seconds. */
  at: number;
}

/** Recently gone nicks, newest first, at most `size` of them (WHOWAS). */
export class WhoWas {
  private readonly gone: Gone[] = [];

  constructor(private readonly size = 200) {}

  add(entry: Gone): void {
    this.gone.unshift(entry);
    if (this.gone.length > this.size) this.gone.length = this.size;
  }

  /** The entries for `nick`, newest first, at most `count` (all when 0 or less). */
  find(nick: string, count: number): Gone[] {
    const key = nameKey(nick);
    const found = this.gone.filter((g) => nameKey(g.nick) === key);
    return count > 0 ? found.slice(0, count) : found;
  }
}
