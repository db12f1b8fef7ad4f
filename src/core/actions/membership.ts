/**
 * Membership actions: joining groups (`connect`, past the group's modes), moving the focus,
 * leaving, and what a group's members and operators may change (topic, kick, invite, lock).
 */
import { joinRefusal } from '../group-rules.js';
import { roomTarget, type Group } from '../groups.js';
import { groupLabel, memberInfos, modeInfo, noticeMembers, roomOf } from '../members.js';
import { nameKey } from '../names.js';
import type { ClientAction, JoinRefusal, MemberInfo, ServerEvent } from '../protocol.js';
import type { OnlineMember } from '../session.js';
import { lineText } from '../text.js';
import type { GroupContext, MaybeGroupContext, OnlineContext } from './context.js';

/** The longest a topic may be. */
const TOPIC_MAX = 300;

/**
 * Adds members to a group and makes it the requester's focus (and the focus of a joining peer
 * who had none); pushes to the others first, then the requester's reply.
 */
function admit(ctx: OnlineContext, group: Group<OnlineMember>, joining: OnlineMember[], peer: string): void {
  const { hub, me } = ctx;
  for (const m of joining) {
    hub.join(m, group);
    if (m !== me && m.focus === null) hub.setFocus(m, group);
  }
  hub.setFocus(me, group);
  // One notice for all the members (two when the joiner is away), so that a front serialises it
  // once; in a large group it names only the joiner (members.ts). One brought in is told everyone.
  // A joiner who is away says so to the members that take events (IRC's away-notify tells it after the JOIN).
  const notice = (list: { members: MemberInfo[] } | { count: number }, away: string | null): ServerEvent => ({
    action: 'connect', status: 'request', from: me.name, front: me.front, group: group.id, ...roomOf(group), ...list, kind: group.kind, ...(away === null ? {} : { away }),
  });
  const listed = noticeMembers(group);
  const plain = notice(listed, null);
  const withAway = me.away === null ? plain : notice(listed, me.away);
  for (const m of group.members) {
    if (m.member === me) continue;
    const away = m.member.features.has('events') ? me.away : null;
    if (joining.includes(m.member) && !('members' in listed)) hub.push(m.member, notice({ members: memberInfos(group) }, away));
    else hub.push(m.member, away === null ? plain : withAway);
  }
  ctx.reply(success(group, peer, me));
}

export function success(group: Group<OnlineMember>, peer: string, me: OnlineMember): ServerEvent {
  return {
    action: 'connect',
    status: 'success',
    peer,
    group: group.id,
    ...roomOf(group),
    ...(group.owner ? { owner: group.owner.name } : {}),
    ...(group.topic ? { topic: group.topic, topicBy: group.topicBy } : {}),
    members: memberInfos(group),
    kind: group.kind,
    ...(group.locked ? { locked: true as const } : {}),
    ...modeInfo(group),
    ...(group.kind === 'direct' ? { peer: groupLabel(group, me) } : {}),
  };
}

/** Why a room or group did not take the user, in words. */
function refusalText(label: string, why: JoinRefusal): string {
  switch (why) {
    case 'invite-only':
      return `${label} is invite-only: ask a member to invite you`;
    case 'key':
      return `${label} needs a key: c ${label} <key>`;
    case 'full':
      return `${label} is full`;
    case 'banned':
      return `you are banned from ${label}`;
  }
}

/** `c #room [key]` opens or joins a room; `c #group-N [key]` joins group N; either focuses it when I am in it already. */
function joinRoom(ctx: OnlineContext, target: string, key: string | undefined): void {
  const { hub, me } = ctx;
  const wanted = roomTarget(target);
  if (wanted.kind === 'invalid') return ctx.reply({ action: 'connect', status: 'no-user', msg: wanted.msg });
  let group = wanted.kind === 'id' ? hub.groups.get(wanted.id) : hub.groups.room(wanted.room);
  // A direct conversation is nobody else's business (never listed): to others its id names no group.
  if (group?.kind === 'direct' && !hub.groups.membership(group, me)) group = undefined;
  // Whoever opens a room is its owner: the lock, key and limit it rested with are for those who come after.
  const opening = !group;
  if (!group) {
    if (wanted.kind === 'id') return ctx.reply({ action: 'connect', status: 'no-user', msg: `there is no group ${wanted.id}` });
    group = hub.keeper.openRoom(wanted.room, me);
  }
  const label = group.room ?? `#group-${group.id}`;
  if (hub.groups.membership(group, me)) {
    hub.setFocus(me, group);
    return ctx.reply(success(group, label, me));
  }
  const refused = opening ? null : joinRefusal(group, me, key);
  if (refused) return ctx.reply({ action: 'connect', status: 'closed', msg: refusalText(label, refused), group: group.id, refused });
  admit(ctx, group, [me], label);
}

// connect <peer> | <#room> | <#group-N>: join the peer's group (their focus) or form one with them; open or join a room.
// A one-group (classic view) session in a group is busy; a many-group session joins as well and moves its focus.
export function connect(ctx: OnlineContext, { target, key }: Extract<ClientAction, { action: 'connect' }>): void {
  const { hub, me } = ctx;
  hub.flushLines();
  const mine = me.focus === null ? undefined : hub.groups.get(me.focus);
  if (mine && !me.rooms) {
    return ctx.reply({ action: 'connect', status: 'busy', msg: `you are already in group ${mine.id}; type bye to leave it first`, group: mine.id });
  }
  const wanted = target.trim();
  if (wanted.startsWith('#')) {
    // The course's client sends whatever followed `c`: `c #room key` arrives as one target.
    const [room = '', typed] = wanted.split(/\s+/, 2);
    return joinRoom(ctx, room, key ?? typed);
  }
  if (nameKey(wanted) === me.key) return ctx.reply({ action: 'connect', status: 'self', msg: 'you cannot connect to yourself' });
  const peer = hub.presence.get(wanted);
  if (!peer) return ctx.reply({ action: 'connect', status: 'no-user', msg: `${wanted.slice(0, 40)} is not online` });
  const theirs = peer.focus === null ? undefined : hub.groups.get(peer.focus);
  if (theirs) {
    if (hub.groups.membership(theirs, me)) {
      hub.setFocus(me, theirs);
      return ctx.reply(success(theirs, peer.name, me));
    }
    const refused = joinRefusal(theirs, me, key);
    if (refused) {
      const label = groupLabel(theirs);
      const where = theirs.kind === 'direct' ? 'in a private conversation' : refused === 'invite-only' ? `in ${label}, which is invite-only` : `in ${label} (${refusalText(label, refused)})`;
      return ctx.reply({ action: 'connect', status: 'closed', msg: `${peer.name} is ${where}: type m ${peer.name} <text> to write to them directly`, ...(theirs.kind === 'direct' ? {} : { refused }) });
    }
    return admit(ctx, theirs, [me], peer.name);
  }
  const created = hub.groups.create({ kind: 'adhoc' });
  hub.history.opened(created.id, 'adhoc', `#group-${created.id}`);
  admit(ctx, created, [me, peer], peer.name);
}

// focus <n> | <#room> | <#group-N> | <name>: my n-th group (as rooms lists them), a room, a group, or my direct conversation with name
export function focus(ctx: OnlineContext, { target }: Extract<ClientAction, { action: 'focus' }>): void {
  const { hub, me } = ctx;
  const mine = hub.groups.of(me);
  const wanted = target.trim();
  const lower = wanted.toLowerCase();
  const group = /^\d{1,4}$/.test(wanted)
    ? mine[Number(wanted) - 1]
    : mine.find((g) => (g.kind === 'direct' ? nameKey(groupLabel(g, me)) === nameKey(wanted) : groupLabel(g).toLowerCase() === lower));
  if (!group) return ctx.fail('not-member', `you are not in ${wanted.slice(0, 40) || 'that group'}: rooms lists your groups`);
  const unread = hub.groups.membership(group, me)!.unread;
  hub.setFocus(me, group);
  ctx.reply({ action: 'focus', group: group.id, title: groupLabel(group, me), kind: group.kind, members: memberInfos(group), unread });
}

// disconnect [reason]: leave the group (nothing to do when I am in none); the others see the reason
export function disconnect(ctx: MaybeGroupContext, { reason }: Extract<ClientAction, { action: 'disconnect' }>): void {
  if (!ctx.group) return;
  ctx.hub.flushLines();
  ctx.hub.leaveGroup(ctx.me, ctx.group, reason ? { reason: lineText(reason) } : {});
}

// topic [text]: show the group's topic, or set it for everyone in the group
export function topic(ctx: GroupContext, { topic: text }: Extract<ClientAction, { action: 'topic' }>): void {
  const { hub, me, group } = ctx;
  if (text === undefined) return ctx.reply({ action: 'topic', group: group.id, topic: group.topic });
  if (group.modes.topicLocked && !hub.groups.membership(group, me)!.op) return ctx.fail('not-allowed', `only operators of ${groupLabel(group)} can set its topic (+t)`);
  hub.groups.setTopic(group, lineText(text.slice(0, TOPIC_MAX)), me.name);
  const event: ServerEvent = { action: 'topic', group: group.id, topic: group.topic, by: me.name };
  for (const m of group.members) hub.push(m.member, event);
}

/**
 * Why the member may not do what only a room's operators may (its owner is one), or null when
 * they may; a server operator may kick in any room.
 */
function notOp(hub: GroupContext['hub'], group: Group<OnlineMember>, me: OnlineMember, what: string, oper = false): string | null {
  if (group.kind !== 'room') return `only rooms (#name) have operators who can ${what}`;
  if (hub.groups.membership(group, me)?.op || (oper && me.oper !== null)) return null;
  return `only operators of ${group.room} can ${what} (${group.owner?.name ?? 'nobody'} owns it)`;
}

// kick <name> [reason]: an operator of a room (or a server operator) removes a member
export function kick(ctx: GroupContext, { target, reason }: Extract<ClientAction, { action: 'kick' }>): void {
  const { hub, me, group } = ctx;
  hub.flushLines();
  const refused = notOp(hub, group, me, 'kick', true);
  if (refused) return ctx.fail('not-allowed', refused);
  const victim = group.members.find((m) => m.member.key === nameKey(target.trim()))?.member;
  if (!victim) return ctx.fail('no-such-member', `${target.trim().slice(0, 40)} is not in ${group.room}`);
  hub.leaveGroup(victim, group, reason ? { by: me.name, reason: lineText(reason) } : { by: me.name });
}

// lock | unlock: an operator of a room makes it invite-only (connecting to a member no longer joins it), or open again
export function lock(ctx: GroupContext, { locked }: Extract<ClientAction, { action: 'lock' }>): void {
  const { hub, me, group } = ctx;
  const refused = notOp(hub, group, me, locked ? 'lock it' : 'unlock it');
  if (refused) return ctx.fail('not-allowed', refused);
  hub.groups.setLocked(group, locked);
  const event: ServerEvent = { action: 'lock', group: group.id, locked, by: me.name };
  for (const m of group.members) hub.push(m.member, event);
}

// invite <name>: ask a user to join the group (which lets them in while it is invite-only)
export function invite(ctx: MaybeGroupContext, { target }: Extract<ClientAction, { action: 'invite' }>): void {
  const { hub, me, group } = ctx;
  if (!group) return ctx.reply({ action: 'invite', status: 'not-chatting', target, msg: 'you are not in a group to invite anyone to' });
  if (group.kind === 'direct') return ctx.reply({ action: 'invite', status: 'not-chatting', target, msg: 'a direct conversation is for two: start a group or a room to talk with more people' });
  const peer = hub.presence.get(target.trim());
  if (!peer) return ctx.reply({ action: 'invite', status: 'no-user', target, msg: `${target.trim().slice(0, 40)} is not online` });
  if (hub.groups.membership(group, peer)) return ctx.reply({ action: 'invite', status: 'member', target: peer.name, msg: `${peer.name} is already in ${groupLabel(group)}` });
  // An invitation lets its holder past the lock: while it holds, only operators hand them out.
  if (group.locked && !hub.groups.membership(group, me)!.op) return ctx.fail('not-allowed', `only operators of ${groupLabel(group)} can invite while it is invite-only`);
  hub.groups.invite(group, peer.key);
  hub.push(peer, { action: 'invite', status: 'request', from: me.name, front: me.front, group: group.id, ...roomOf(group) });
  const told: ServerEvent = { action: 'invite', status: 'invited', from: me.name, front: me.front, target: peer.name, group: group.id, ...roomOf(group) };
  for (const m of group.members) if (m.member !== me && m.member.features.has('events')) hub.push(m.member, told);
  ctx.reply({ action: 'invite', status: 'sent', target: peer.name });
}
