/**
 * MODE. Channels are `+n` and the ban list is always empty; nothing about a channel can be
 * changed here. Users may set `+i` on themselves, which changes nothing but what MODE shows.
 */
import type { IrcClient } from '../client.js';
import type { IrcMessage } from '../message.js';
import { ERR, RPL } from '../numerics.js';
import { channelName } from '../outbound.js';
import { findGroup } from './channels.js';

/** The name of a channel: the user's own, or any other group's. */
async function channelNamed(s: IrcClient, target: string): Promise<string | undefined> {
  const view = s.mirror.find(target);
  if (view) return view.name;
  const group = await findGroup(s, target);
  return group && channelName(group.id, group.room);
}

async function channelMode(s: IrcClient, target: string, change: string | undefined): Promise<void> {
  const name = await channelNamed(s, target);
  if (name === undefined) return s.out.numeric(ERR.NOSUCHCHANNEL, target, 'No such channel');
  if (change === undefined) return s.out.numeric(RPL.CHANNELMODEIS, name, '+n');
  if (/^\+?b$/.test(change)) return s.out.numeric(RPL.ENDOFBANLIST, name, 'End of channel ban list');
  const letter = change.replace(/^[+-]/, '').charAt(0) || change;
  return s.out.numeric(ERR.UNKNOWNMODE, letter, 'is not a mode you can change here (channels are +n; the room creator is operator)');
}

function userMode(s: IrcClient, target: string, change: string | undefined): void {
  if (target.toLowerCase() !== s.nick!.toLowerCase()) return s.out.numeric(ERR.USERSDONTMATCH, "Can't change mode for other users");
  if (change === undefined) return s.out.numeric(RPL.UMODEIS, '+' + [...s.userModes].join(''));
  const parsed = /^([+-])([a-zA-Z]+)$/.exec(change);
  if (!parsed || [...parsed[2]!].some((c) => c !== 'i')) return s.out.numeric(ERR.UMODEUNKNOWNFLAG, 'Unknown MODE flag (only +i and -i)');
  const adding = parsed[1] === '+';
  if (adding === s.userModes.has('i')) return;
  if (adding) s.userModes.add('i');
  else s.userModes.delete('i');
  s.out.send({ source: s.mask, verb: 'MODE', params: [s.nick!, `${parsed[1]}i`] });
}

// MODE <#chan> [b] | MODE <nick> [+i|-i]: a channel's modes (fixed: +n); a user's own +i
export async function mode(s: IrcClient, m: IrcMessage): Promise<void> {
  const [target, change] = m.params as [string, string | undefined];
  if (target.startsWith('#')) return channelMode(s, target, change);
  userMode(s, target, change);
}
