/** Questions about users and the server: WHO, WHOIS (shows the front and every channel), TIME, MOTD, AWAY, USERHOST, ISON. */
import { nameKey } from '../../../core/names.js';
import type { UserInfo } from '../../../core/protocol.js';
import type { IrcMessage } from '../message.js';
import { ERR, RPL } from '../numerics.js';
import { channelName } from '../outbound.js';
import { prefixOf, rolesOf } from '../roles.js';
import { SERVICE_NICK, type IrcClient, type ListEvent } from '../client.js';
import { sendMotd } from '../welcome.js';

const lower = (name: string): string => name.toLowerCase();

/** A nick mask with `*` and `?` as a case-insensitive test. */
function maskTest(mask: string): (name: string) => boolean {
  const re = new RegExp('^' + mask.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'iu');
  return (name) => re.test(name);
}

const realname = (u: { name: string; front: string }): string => `${u.name} on the ${u.front} front`;

/** A user's channels (with @ where they own the room), the one they are in first as the list shows it. */
function channelsOf(list: ListEvent, user: UserInfo): string[] {
  const theirs = list.groups.filter((g) => g.members.includes(user.name)).sort((a, b) => Number(b.id === user.group) - Number(a.id === user.group));
  return theirs.map((g) => prefixOf(rolesOf(g), user.name, false) + channelName(g.id, g.room));
}

// WHO [<#chan>|<nick mask>]: 352 per user (host = front), then 315
export async function who(s: IrcClient, m: IrcMessage): Promise<void> {
  const mask = m.params[0] ?? '*';
  const list = await s.lookup();
  const byChannel = mask.startsWith('#');
  const mine = byChannel ? s.mirror.find(mask) : undefined;
  const group = byChannel ? list.groups.find((g) => (mine ? g.id === mine.id : lower(channelName(g.id, g.room)) === lower(mask))) : undefined;
  const test = mask === '0' ? () => true : maskTest(mask);
  const users = byChannel ? (group?.members ?? []).flatMap((n) => list.users.filter((u) => u.name === n)) : list.users.filter((u) => test(u.name));
  for (const u of users) {
    // In the channel asked about, or else in the one the list shows them in.
    const shown = group ?? list.groups.find((g) => g.id === u.group);
    const flags = (s.shared.away.has(nameKey(u.name)) ? 'G' : 'H') + (shown ? prefixOf(rolesOf(shown), u.name, false) : '');
    s.out.numeric(RPL.WHOREPLY, shown ? channelName(shown.id, shown.room) : '*', u.name, u.front, s.serverName, u.name, flags, `0 ${realname(u)}`);
  }
  s.out.numeric(RPL.ENDOFWHO, mask, 'End of WHO list');
}

// WHOIS [<server>] <nick>{,<nick>}: who they are, their channels, their front
export async function whois(s: IrcClient, m: IrcMessage): Promise<void> {
  const list = await s.lookup();
  for (const nick of m.params.at(-1)!.split(',').filter((n) => n !== '')) {
    if (lower(nick) === SERVICE_NICK) {
      s.out.numeric(RPL.WHOISUSER, SERVICE_NICK, SERVICE_NICK, s.serverName, '*', 'the chat service: /msg ics help');
      s.out.numeric(RPL.WHOISSERVER, SERVICE_NICK, s.serverName, 'ICS chat');
    } else {
      const user = list.users.find((u) => lower(u.name) === lower(nick));
      if (!user) {
        s.out.numeric(ERR.NOSUCHNICK, nick, 'No such nick/channel');
      } else {
        s.out.numeric(RPL.WHOISUSER, user.name, user.name, user.front, '*', realname(user));
        const channels = channelsOf(list, user);
        if (channels.length > 0) s.out.numeric(RPL.WHOISCHANNELS, user.name, channels.join(' '));
        s.out.numeric(RPL.WHOISSERVER, user.name, s.serverName, `connected through the ${user.front} front`);
        const away = s.shared.away.get(nameKey(user.name));
        if (away !== undefined) s.out.numeric(RPL.AWAY, user.name, away);
      }
    }
    s.out.numeric(RPL.ENDOFWHOIS, nick, 'End of /WHOIS list');
  }
}

// TIME: the server's time, from the hub's clock
export async function time(s: IrcClient): Promise<void> {
  for (const event of await s.ask({ action: 'time' })) {
    if (event.action === 'time') s.out.numeric(RPL.TIME, s.serverName, `${event.results} (${event.iso})`);
  }
}

// MOTD: the message of the day, or 422
export function motd(s: IrcClient): void {
  sendMotd(s);
}

// AWAY [:message]: marks or unmarks this user as away (shown in WHO and WHOIS)
export function away(s: IrcClient, m: IrcMessage): void {
  const text = (m.params[0] ?? '').trim().slice(0, 300);
  const key = nameKey(s.nick!);
  if (text === '') {
    s.shared.away.delete(key);
    return s.out.numeric(RPL.UNAWAY, 'You are no longer marked as being away');
  }
  s.shared.away.set(key, text);
  s.out.numeric(RPL.NOWAWAY, 'You have been marked as being away');
}

// USERHOST <nick>{ <nick>}: up to five nick=+user@host entries
export async function userhost(s: IrcClient, m: IrcMessage): Promise<void> {
  const users = (await s.lookup()).users;
  const found = m.params.slice(0, 5).flatMap((nick) => users.filter((u) => lower(u.name) === lower(nick)));
  const entries = found.map((u) => `${u.name}=${s.shared.away.has(nameKey(u.name)) ? '-' : '+'}${u.name}@${u.front}`);
  s.out.numeric(RPL.USERHOST, entries.join(' '));
}

// ISON <nick>{ <nick>}: which of these are online
export async function ison(s: IrcClient, m: IrcMessage): Promise<void> {
  const online = new Map((await s.lookup()).users.map((u) => [lower(u.name), u.name]));
  const asked = m.params.flatMap((p) => p.split(' ')).filter((n) => n !== '');
  s.out.numeric(RPL.ISON, asked.flatMap((n) => online.get(lower(n)) ?? []).join(' '));
}
