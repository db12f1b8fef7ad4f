/** Being away and quick questions about users: AWAY, USERHOST, ISON. */
import type { IrcClient } from '../client.js';
import type { IrcMessage } from '../message.js';
import { RPL } from '../numerics.js';
import { lower, person } from './people.js';

// AWAY [:message]: marks this user away (kept by the hub, so every front sees it) or back
export async function away(s: IrcClient, m: IrcMessage): Promise<void> {
  const message = m.params[0] ?? '';
  for (const event of await s.ask(message.trim() === '' ? { action: 'away' } : { action: 'away', message })) {
    if (event.action !== 'away' || !('status' in event)) continue;
    if (event.status === 'away') s.out.numeric(RPL.NOWAWAY, 'You have been marked as being away');
    else s.out.numeric(RPL.UNAWAY, 'You are no longer marked as being away');
  }
}

// USERHOST <nick>{ <nick>}: up to five nick=+user@host entries (* after an operator's nick, - when away)
export async function userhost(s: IrcClient, m: IrcMessage): Promise<void> {
  const users = (await s.lookup()).users;
  const found = m.params.slice(0, 5).flatMap((nick) => users.filter((u) => lower(u.name) === lower(nick)));
  const entries = found.map((u) => person(s, u)).map((p) => `${p.nick}${p.oper ? '*' : ''}=${p.away === undefined ? '+' : '-'}${p.user}@${p.host}`);
  s.out.numeric(RPL.USERHOST, entries.join(' '));
}

// ISON <nick>{ <nick>}: which of these are online
export async function ison(s: IrcClient, m: IrcMessage): Promise<void> {
  const online = new Map((await s.lookup()).users.map((u) => [lower(u.name), u.name]));
  const asked = m.params.flatMap((p) => p.split(' ')).filter((n) => n !== '');
  s.out.numeric(RPL.ISON, asked.flatMap((n) => online.get(lower(n)) ?? []).join(' '));
}
