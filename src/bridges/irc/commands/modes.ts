/**
 * MODE. Channels are `+n`; a room's owner makes it invite-only with `+i` (the hub's `lock`) and
 * open again with `-i`; the ban list is always empty. Users may set `+i` on themselves, which
 * changes nothing but what MODE shows.
 */
import type { IrcClient } from '../client.js';
import type { IrcMessage } from '../message.js';
import { ERR, RPL } from '../numerics.js';
import { channelName } from '../outbound.js';
import { findGroup } from './channels.js';

/** A channel the user is not in, as far as MODE shows it. */
async function elsewhere(s: IrcClient, target: string): Promise<{ name: string; locked: boolean } | undefined> {
  const group = await findGroup(s, target);
  return group && { name: channelName(group.id, group.room), locked: group.locked === true };
}

async function channelMode(s: IrcClient, target: string, change: string | undefined): Promise<void> {
  const view = s.mirror.find(target);
  const shown = view ?? (await elsewhere(s, target));
  if (!shown) return s.out.numeric(ERR.NOSUCHCHANNEL, target, 'No such channel');
  const { name, locked } = shown;
  if (change === undefined) return s.out.numeric(RPL.CHANNELMODEIS, name, locked ? '+in' : '+n');
  if (/^\+?b$/.test(change)) return s.out.numeric(RPL.ENDOFBANLIST, name, 'End of channel ban list');
  const lock = /^([+-])i$/.exec(change);
  if (!lock) {
    const letter = change.replace(/^[+-]/, '').charAt(0) || change;
    return s.out.numeric(ERR.UNKNOWNMODE, letter, 'is not a mode you can change here (+i makes a room invite-only; the room creator is operator)');
  }
  if (!view) return s.out.numeric(ERR.NOTONCHANNEL, name, "You're not on that channel");
  // The change comes back to every member, this user included, as a MODE from the owner.
  for (const event of await s.ask({ action: 'lock', locked: lock[1] === '+', group: view.id })) {
    if (event.action === 'error') s.out.numeric(ERR.CHANOPRIVSNEEDED, name, event.msg);
  }
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

// MODE <#chan> [+i|-i|b] | MODE <nick> [+i|-i]: show a channel's modes, lock or unlock a room; a user's own +i
export async function mode(s: IrcClient, m: IrcMessage): Promise<void> {
  const [target, change] = m.params as [string, string | undefined];
  if (target.startsWith('#')) return channelMode(s, target, change);
  userMode(s, target, change);
}
