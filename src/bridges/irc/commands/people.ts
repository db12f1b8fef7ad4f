/**
 * Users as the query commands show them: from the hub's list (every front), with what the IRC
 * front knows of its own users (USER's username and realname, signon and idle time, the account
 * proved). Also the masks and channel lists WHO, WHOIS and LIST share.
 */
import type { GroupInfo, UserInfo } from '../../../core/protocol.js';
import type { IrcClient, ListEvent } from '../client.js';
import { hostOf, type Ident } from '../ident.js';
import { channelName } from '../channel-view.js';
import { IRC_HOST } from '../outbound.js';
import { prefixOf, rolesOf } from '../roles.js';

/** One user as IRC queries show them. */
export interface Person {
  nick: string;
  user: string;
  host: string;
  realname: string;
  front: string;
  away: string | undefined;
  /** The account they are logged in to, if any. */
  account: string | undefined;
  /** A server operator (`*` in WHO and USERHOST, 313 in WHOIS). */
  oper: boolean;
  /** Only for this front's users. */
  ident: Ident | undefined;
}

export function person(s: IrcClient, u: UserInfo): Person {
  const ident = u.front === IRC_HOST ? s.shared.idents.get(u.name) : undefined;
  return {
    nick: u.name,
    user: s.shared.idents.userOf(u.name, u.front),
    host: hostOf(u.front),
    realname: s.shared.idents.realnameOf(u.name, u.front),
    front: u.front,
    away: u.away,
    account: ident ? (ident.account ?? undefined) : u.registered ? u.name : undefined,
    oper: u.oper === true,
    ident,
  };
}

export const lower = (name: string): string => name.toLowerCase();

/** An IRC mask (`*` any run, `?` one character) as a case-insensitive test. */
export function maskTest(mask: string): (text: string) => boolean {
  const re = new RegExp('^' + mask.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'iu');
  return (text) => re.test(text);
}

/** The name a group goes by on IRC. */
export const nameOf = (g: GroupInfo): string => channelName(g.id, g.room);

/** The group whose channel `name` names. */
export const groupNamed = (list: ListEvent, name: string): GroupInfo | undefined => list.groups.find((g) => lower(nameOf(g)) === lower(name));

/** A member's channel prefix: its highest role's (`@` operator, `+` voiced). */
export const prefixIn = (g: GroupInfo, nick: string): string => prefixOf(rolesOf(g), nick, false);

/** Every channel the user is in, each with its prefix. */
export function channelsOf(list: ListEvent, nick: string): string[] {
  return list.groups.filter((g) => g.members.includes(nick)).map((g) => prefixIn(g, nick) + nameOf(g));
}
