/**
 * Channel commands: a channel is the user's group (`#group-N`) or a room (`#name`). A user is in
 * one group at a time, so JOIN while in a channel is refused with 405 (PART it first).
 */
import type { GroupInfo } from '../../../core/protocol.js';
import type { IrcClient } from '../client.js';
import type { IrcMessage } from '../message.js';
import { ERR, RPL } from '../numerics.js';
import { channelName, type ChannelView } from '../outbound.js';
import { plainText } from '../text.js';

const lower = (name: string): string => name.toLowerCase();

/** The user's channel when `name` names it. */
export function myChannel(s: IrcClient, name: string): ChannelView | null {
  const view = s.mirror.view;
  if (!view) return null;
  const id = /^#group-(\d{1,9})$/i.exec(name);
  return lower(view.name) === lower(name) || (id !== null && Number(id[1]) === view.id) ? view : null;
}

/** Any existing group by its channel name. */
export async function findGroup(s: IrcClient, name: string): Promise<GroupInfo | undefined> {
  return (await s.lookup()).groups.find((g) => lower(channelName(g.id, g.room)) === lower(name));
}

/** 442 for a channel that exists without the user, 403 for one that does not. */
async function notHere(s: IrcClient, name: string): Promise<void> {
  if (await findGroup(s, name)) s.out.numeric(ERR.NOTONCHANNEL, name, "You're not on that channel");
  else s.out.numeric(ERR.NOSUCHCHANNEL, name, 'No such channel');
}

/** Leaves the user's group; the hub tells the one who leaves nothing, so the client is shown its own PART. */
export async function leave(s: IrcClient, reason?: string): Promise<void> {
  for (const event of await s.ask(reason ? { action: 'disconnect', reason } : { action: 'disconnect' })) s.tell(event);
  s.mirror.selfPart(reason);
}

const targets = (param: string | undefined): string[] => (param ?? '').split(',').filter((t) => t !== '');

// JOIN <#chan>[,<#chan>] | JOIN 0: join a group by id (#group-N) or open/join a room (#name)
export async function join(s: IrcClient, m: IrcMessage): Promise<void> {
  if (m.params[0] === '0') {
    if (s.mirror.view) await leave(s);
    return;
  }
  const names = targets(m.params[0]);
  if (names.length === 0) return s.out.numeric(ERR.NEEDMOREPARAMS, 'JOIN', 'Not enough parameters');
  for (const name of names) {
    if (!name.startsWith('#')) {
      s.out.numeric(ERR.NOSUCHCHANNEL, name.slice(0, 40), 'No such channel (channel names start with #)');
      continue;
    }
    if (myChannel(s, name)) continue;
    const view = s.mirror.view;
    if (view) {
      // Clients tend to show 405 in words of their own, so the service says what to do as well.
      s.out.numeric(ERR.TOOMANYCHANNELS, name, `You can be in one channel at a time here and you are in ${view.name}: /part ${view.name} first`);
      s.out.service(`You can be in one channel at a time and you are in ${view.name}: /part ${view.name} first, then /join ${name}`);
      continue;
    }
    for (const event of await s.ask({ action: 'connect', target: name })) {
      if (event.action === 'connect' && event.status === 'success') s.mirror.apply(event);
      else if (event.action === 'connect' && event.status === 'busy') s.out.numeric(ERR.TOOMANYCHANNELS, name, event.msg ?? 'You are in a channel already');
      else s.out.numeric(ERR.NOSUCHCHANNEL, name, 'msg' in event && event.msg ? event.msg : 'No such channel');
    }
  }
}

// PART <#chan>[,<#chan>] [:reason]: leave the group; the others see the reason
export async function part(s: IrcClient, m: IrcMessage): Promise<void> {
  const reason = m.params[1] === undefined ? undefined : plainText(m.params[1]).trim();
  for (const name of targets(m.params[0])) {
    if (myChannel(s, name)) await leave(s, reason || undefined);
    else await notHere(s, name);
  }
}

// TOPIC <#chan> [:topic]: show the topic, or set it for everyone in the group
export async function topic(s: IrcClient, m: IrcMessage): Promise<void> {
  const name = m.params[0]!;
  const view = myChannel(s, name);
  if (!view) return notHere(s, name);
  if (m.params.length < 2) return s.mirror.topicReplies(view);
  for (const event of await s.ask({ action: 'topic', topic: plainText(m.params[1]!) })) {
    if (event.action === 'error') s.out.numeric(ERR.NOTONCHANNEL, name, event.msg);
  }
}

// NAMES [<#chan>[,<#chan>]]: members of a channel, the room's owner as @
export async function names(s: IrcClient, m: IrcMessage): Promise<void> {
  const wanted = targets(m.params[0]);
  if (wanted.length === 0) {
    if (s.mirror.view) return s.mirror.namesReplies(s.mirror.view);
    return s.out.numeric(RPL.ENDOFNAMES, '*', 'End of /NAMES list');
  }
  for (const name of wanted) {
    const view = myChannel(s, name);
    if (view) {
      s.mirror.namesReplies(view);
      continue;
    }
    const group = await findGroup(s, name);
    if (group) s.mirror.namesReplies({ name: channelName(group.id, group.room), members: group.members.map((n) => ({ name: n })), owner: group.owner });
    else s.out.numeric(RPL.ENDOFNAMES, name, 'End of /NAMES list');
  }
}

// LIST [<#chan>[,<#chan>]]: every group, with its size and topic
export async function list(s: IrcClient, m: IrcMessage): Promise<void> {
  const wanted = new Set(targets(m.params[0]).map(lower));
  const groups = (await s.lookup()).groups;
  s.out.numeric(RPL.LISTSTART, 'Channel', 'Users  Name');
  for (const g of groups) {
    const name = channelName(g.id, g.room);
    if (wanted.size > 0 && !wanted.has(lower(name))) continue;
    const about = g.topic ?? (g.room === undefined ? `ad-hoc group of ${g.members.join(', ')}` : '');
    s.out.numeric(RPL.LIST, name, String(g.members.length), about);
  }
  s.out.numeric(RPL.LISTEND, 'End of /LIST');
}

// KICK <#chan> <nick>[,<nick>] [:reason]: the room's owner removes members
export async function kick(s: IrcClient, m: IrcMessage): Promise<void> {
  const name = m.params[0]!;
  if (!myChannel(s, name)) return notHere(s, name);
  const reason = m.params[2] === undefined ? undefined : plainText(m.params[2]).trim();
  for (const target of targets(m.params[1])) {
    for (const event of await s.ask(reason ? { action: 'kick', target, reason } : { action: 'kick', target })) {
      if (event.action !== 'error') continue;
      if (event.code === 'no-such-member') s.out.numeric(ERR.USERNOTINCHANNEL, target, name, event.msg);
      else s.out.numeric(ERR.CHANOPRIVSNEEDED, name, event.msg);
    }
  }
}

// INVITE <nick> <#chan>: ask someone to join my channel
export async function invite(s: IrcClient, m: IrcMessage): Promise<void> {
  const [nick, name] = m.params as [string, string];
  if (!myChannel(s, name)) return notHere(s, name);
  for (const event of await s.ask({ action: 'invite', target: nick })) {
    if (event.action !== 'invite') s.tell(event);
    else if (event.status === 'sent') s.out.numeric(RPL.INVITING, event.target, name);
    else if (event.status === 'no-user') s.out.numeric(ERR.NOSUCHNICK, nick, 'No such nick/channel');
    else if (event.status !== 'request') s.out.numeric(ERR.NOTONCHANNEL, name, "You're not on that channel");
  }
}

// MODE <#chan> [b] | MODE <nick> [+i|-i]: channel modes are fixed (+n); +i is accepted for users
export async function mode(s: IrcClient, m: IrcMessage): Promise<void> {
  const [target, change] = m.params as [string, string | undefined];
  if (target.startsWith('#')) {
    const view = myChannel(s, target);
    const name = view?.name ?? ((await findGroup(s, target)) ? target : null);
    if (name === null) return s.out.numeric(ERR.NOSUCHCHANNEL, target, 'No such channel');
    if (change === undefined) return s.out.numeric(RPL.CHANNELMODEIS, name, '+n');
    if (/^\+?b$/.test(change)) return s.out.numeric(RPL.ENDOFBANLIST, name, 'End of channel ban list');
    const letter = change.replace(/^[+-]/, '').charAt(0) || change;
    return s.out.numeric(ERR.UNKNOWNMODE, letter, 'is not a mode you can change here (channels are +n; the room creator is operator)');
  }
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
