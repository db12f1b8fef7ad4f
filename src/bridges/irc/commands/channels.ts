/**
 * Channel commands. Every group the user is in is a channel of its own (`#group-N`, or a room's
 * `#name`), as many at once as they like (ISUPPORT `CHANLIMIT=#:`); each command acts on the
 * group of the channel it names. A direct conversation is never a channel.
 */
import type { GroupInfo, JoinRefusal } from '../../../core/protocol.js';
import type { IrcClient } from '../client.js';
import type { IrcMessage } from '../message.js';
import { ERR, RPL } from '../numerics.js';
import { channelName, defaultTopic } from '../channel-view.js';
import { rolesOf } from '../roles.js';
import { plainText } from '../text.js';
import { joinReplay } from './history.js';
import { maskTest } from './people.js';

const lower = (name: string): string => name.toLowerCase();

/** Any existing group by its channel name (direct conversations are nobody else's business, so never found). */
export async function findGroup(s: IrcClient, name: string): Promise<GroupInfo | undefined> {
  return (await s.lookup()).groups.find((g) => lower(channelName(g.id, g.room)) === lower(name));
}

/** 442 for a channel that exists without the user, 403 for one that does not. */
export async function notHere(s: IrcClient, name: string): Promise<void> {
  if (await findGroup(s, name)) s.out.numeric(ERR.NOTONCHANNEL, name, "You're not on that channel");
  else s.out.numeric(ERR.NOSUCHCHANNEL, name, 'No such channel');
}

const targets = (param: string | undefined): string[] => (param ?? '').split(',').filter((t) => t !== '');

/** Leaves group `group`; the hub tells the one who leaves nothing, so the client is shown its own PART. */
export async function leave(s: IrcClient, group: number, reason?: string): Promise<void> {
  const answers = await s.ask(reason ? { action: 'disconnect', group, reason } : { action: 'disconnect', group });
  // `not-member`: the group let the user go already (it dissolved meanwhile); the channel goes all the same.
  const failed = answers.filter((e) => e.action !== 'error' || e.code !== 'not-member');
  const name = s.mirror.get(group)?.name;
  for (const event of failed) {
    if (name === undefined) s.tell(event);
    else s.tellIn(name, event);
  }
  if (failed.length === 0) s.mirror.selfPart(group, reason);
}

/** The numeric and words for each reason a channel did not take the user (the hub's words, but IRC's for the key). */
const REFUSED: Record<JoinRefusal, (name: string, why: string) => [code: string, text: string]> = {
  'invite-only': (_, why) => [ERR.INVITEONLYCHAN, `Cannot join channel (+i): ${why}`],
  key: (name) => [ERR.BADCHANNELKEY, `Cannot join channel (+k): /join ${name} <key>`],
  full: (_, why) => [ERR.CHANNELISFULL, `Cannot join channel (+l): ${why}`],
  banned: (_, why) => [ERR.BANNEDFROMCHAN, `Cannot join channel (+b): ${why}`],
};

/** Joins (or opens) one channel by name, with its key if it has one, and mirrors it, or says why not. */
async function joinOne(s: IrcClient, name: string, key: string | undefined): Promise<void> {
  for (const event of await s.ask(key === undefined ? { action: 'connect', target: name } : { action: 'connect', target: name, key })) {
    if (event.action !== 'connect') {
      s.tell(event);
    } else if (event.status === 'success' && event.kind === 'direct') {
      s.out.numeric(ERR.NOSUCHCHANNEL, name, `That is your private conversation with ${event.peer ?? 'someone'}: /msg them to write there`);
    } else if (event.status === 'success') {
      s.mirror.apply(event);
      await joinReplay(s, name);
    } else if (event.status === 'closed') {
      const [code, text] = REFUSED[event.refused ?? 'invite-only'](name, event.msg ?? 'it does not take you');
      s.out.numeric(code, name, text);
    } else if (event.status !== 'request') {
      s.out.numeric(ERR.NOSUCHCHANNEL, name, event.msg ?? 'No such channel');
    }
  }
}

// JOIN <#chan>{,<#chan>} [<key>{,<key>}] | JOIN 0: join groups by id (#group-N) or open/join rooms (#name), each with its key; 0 parts every channel
export async function join(s: IrcClient, m: IrcMessage): Promise<void> {
  if (m.params[0] === '0') {
    for (const view of s.mirror.channels()) await leave(s, view.id);
    return;
  }
  const names = targets(m.params[0]);
  if (names.length === 0) return s.out.numeric(ERR.NEEDMOREPARAMS, 'JOIN', 'Not enough parameters');
  // Keys go with the channels in order; an empty one (`a,,b`) is no key.
  const keys = (m.params[1] ?? '').split(',');
  for (const [i, name] of names.entries()) {
    if (!name.startsWith('#')) s.out.numeric(ERR.NOSUCHCHANNEL, name.slice(0, 40), 'No such channel (channel names start with #)');
    else if (!s.mirror.find(name)) await joinOne(s, name, keys[i] || undefined);
  }
}

// PART <#chan>{,<#chan>} [:reason]: leave those groups only; the others see the reason
export async function part(s: IrcClient, m: IrcMessage): Promise<void> {
  const reason = m.params[1] === undefined ? undefined : plainText(m.params[1]).trim();
  for (const name of targets(m.params[0])) {
    const view = s.mirror.find(name);
    if (view) await leave(s, view.id, reason || undefined);
    else await notHere(s, name);
  }
}

// TOPIC <#chan> [:topic]: show the topic, or set it for everyone in the group
export async function topic(s: IrcClient, m: IrcMessage): Promise<void> {
  const name = m.params[0]!;
  const view = s.mirror.find(name);
  if (!view) return notHere(s, name);
  if (m.params.length < 2) return s.mirror.topicReplies(view);
  for (const event of await s.ask({ action: 'topic', topic: plainText(m.params[1]!), group: view.id })) {
    if (event.action === 'error') s.out.numeric(event.code === 'not-allowed' ? ERR.CHANOPRIVSNEEDED : ERR.NOTONCHANNEL, view.name, event.msg);
  }
}

// NAMES [<#chan>{,<#chan>}]: members of channels (by default, of mine), operators as @, voiced members as +
export async function names(s: IrcClient, m: IrcMessage): Promise<void> {
  const wanted = targets(m.params[0]);
  if (wanted.length === 0) {
    const mine = s.mirror.channels();
    for (const view of mine) s.mirror.channelNames(view);
    if (mine.length === 0) s.out.numeric(RPL.ENDOFNAMES, '*', 'End of /NAMES list');
    return;
  }
  for (const name of wanted) {
    const view = s.mirror.find(name);
    if (view) {
      s.mirror.channelNames(view);
      continue;
    }
    const group = await findGroup(s, name);
    // A secret channel is not listed to those outside it, so it is not found here.
    if (group) s.mirror.namesReplies({ name: channelName(group.id, group.room), members: group.members.map((n) => ({ name: n })), roles: rolesOf(group), secret: false });
    else s.out.numeric(RPL.ENDOFNAMES, name, 'End of /NAMES list');
  }
}

/**
 * LIST's conditions (ELIST=MU): `>n` and `<n` on the member count, all of which must hold; names
 * and masks (`*`, `?`; `!mask` for the channels it does not match), any of which must match.
 */
function listFilter(terms: string[]): (name: string, users: number) => boolean {
  const counts: ((users: number) => boolean)[] = [];
  const names: ((name: string) => boolean)[] = [];
  for (const term of terms) {
    const count = /^([<>])(\d{1,6})$/.exec(term);
    if (count) {
      const n = Number(count[2]);
      counts.push(count[1] === '>' ? (users) => users > n : (users) => users < n);
      continue;
    }
    const negated = term.startsWith('!');
    const test = maskTest(negated ? term.slice(1) : term);
    names.push((name) => test(name) !== negated);
  }
  return (name, users) => counts.every((t) => t(users)) && (names.length === 0 || names.some((t) => t(name)));
}

// LIST [<#chan>|<mask>|>n|<n{,...}]: every group that passes the conditions, with its size and topic
export async function list(s: IrcClient, m: IrcMessage): Promise<void> {
  const passes = listFilter(targets(m.params[0]));
  const groups = (await s.lookup()).groups;
  s.out.numeric(RPL.LISTSTART, 'Channel', 'Users  Name');
  for (const g of groups) {
    const name = channelName(g.id, g.room);
    if (!passes(name, g.members.length)) continue;
    s.out.numeric(RPL.LIST, name, String(g.members.length), g.topic ?? defaultTopic({ id: g.id, isRoom: g.room !== undefined }));
  }
  s.out.numeric(RPL.LISTEND, 'End of /LIST');
}

/** The group a server operator names, in it or not. */
async function anyGroup(s: IrcClient, name: string): Promise<{ id: number; name: string } | undefined> {
  const view = s.mirror.find(name);
  if (view || !s.userModes.has('o')) return view;
  const group = await findGroup(s, name);
  return group && { id: group.id, name: channelName(group.id, group.room) };
}

// KICK <#chan> <nick>{,<nick>} [:reason]: a channel operator (or a server operator, in any channel) removes members
export async function kick(s: IrcClient, m: IrcMessage): Promise<void> {
  const name = m.params[0]!;
  const channel = await anyGroup(s, name);
  if (!channel) return notHere(s, name);
  const reason = m.params[2] === undefined ? undefined : plainText(m.params[2]).trim();
  for (const target of targets(m.params[1])) {
    for (const event of await s.ask(reason ? { action: 'kick', target, reason, group: channel.id } : { action: 'kick', target, group: channel.id })) {
      if (event.action !== 'error') continue;
      if (event.code === 'no-such-member') s.out.numeric(ERR.USERNOTINCHANNEL, target, channel.name, "They aren't on that channel");
      else s.out.numeric(ERR.CHANOPRIVSNEEDED, channel.name, `You're not channel operator: ${event.msg}`);
    }
  }
}

// INVITE <nick> <#chan>: ask someone to join my channel (which lets them in while it is invite-only; then operators only)
export async function invite(s: IrcClient, m: IrcMessage): Promise<void> {
  const [nick, name] = m.params as [string, string];
  const view = s.mirror.find(name);
  if (!view) return notHere(s, name);
  for (const event of await s.ask({ action: 'invite', target: nick, group: view.id })) {
    if (event.action === 'error' && event.code === 'not-allowed') s.out.numeric(ERR.CHANOPRIVSNEEDED, view.name, `You're not channel operator: ${event.msg}`);
    else if (event.action !== 'invite') s.tellIn(view.name, event);
    else if (event.status === 'sent') s.out.numeric(RPL.INVITING, event.target, view.name);
    else if (event.status === 'member') s.out.numeric(ERR.USERONCHANNEL, event.target, view.name, 'is already on channel');
    else if (event.status === 'no-user') s.out.numeric(ERR.NOSUCHNICK, nick, 'No such nick/channel');
    else if (event.status === 'not-chatting') s.out.numeric(ERR.NOTONCHANNEL, name, event.msg ?? "You're not on that channel");
  }
}
