/** Directory actions: the time, who is online and in which groups, the session's own groups, ping. */
import { classicListText } from '../classic.js';
import { classicTime } from '../clock.js';
import type { Group } from '../groups.js';
import { groupLabel, memberInfos, memberNames, modeInfo, roomOf } from '../members.js';
import type { ClientAction, MembershipInfo } from '../protocol.js';
import type { OnlineMember } from '../session.js';
import type { OnlineContext } from './context.js';

// time: the server's local time
export function time(ctx: OnlineContext): void {
  const { hub } = ctx;
  const now = hub.clock.now();
  ctx.reply({ action: 'time', results: classicTime(now), iso: now.toISOString() });
}

// list: who is online and which groups exist (direct conversations are nobody else's business,
// nor are secret groups to those outside them: someone in one is talking, but only a group the
// asker may see is named)
export function list(ctx: OnlineContext): void {
  const { hub, me } = ctx;
  const visible = (g: Group<OnlineMember>): boolean => g.kind !== 'direct' && (!g.modes.secret || hub.groups.membership(g, me) !== undefined);
  const users = hub.presence.list().map((u) => {
    // talking (1) in any group; the group shown is one the asker may see
    const mine = hub.groups.of(u);
    const about = { ...(u.away === null ? {} : { away: u.away }), ...(u.account || u.identity ? { registered: true as const } : {}), ...(u.oper !== null ? { oper: true as const } : {}) };
    if (mine.length === 0) return { name: u.name, front: u.front, state: 0 as const, ...about };
    const focus = u.focus === null ? undefined : hub.groups.get(u.focus);
    const shown = focus && visible(focus) ? focus : mine.find(visible);
    return { name: u.name, front: u.front, state: 1 as const, ...(shown ? { group: shown.id } : {}), ...about };
  });
  const groups = hub.groups
    .list()
    .filter(visible)
    .map((g) => ({
      id: g.id,
      members: memberNames(g),
      ...roomOf(g),
      ...(g.owner ? { owner: g.owner.name } : {}),
      ...(g.topic ? { topic: g.topic } : {}),
      ...(g.locked ? { locked: true as const } : {}),
      ...modeInfo(g),
    }));
  ctx.reply({ action: 'list', results: classicListText(users, groups), users, groups });
}

// counts: how many users are online and how many rooms and ad-hoc groups exist (direct conversations are nobody's channels)
export function counts(ctx: OnlineContext): void {
  let groups = 0;
  for (const g of ctx.hub.groups.list()) if (g.kind !== 'direct') groups++;
  ctx.reply({ action: 'counts', users: ctx.hub.presence.size, groups });
}

// rooms: the groups I am in, with their unread counts, in the order I joined them
export function rooms(ctx: OnlineContext): void {
  const { hub, me } = ctx;
  const groups = hub.groups.of(me).map((g): MembershipInfo => ({
    group: g.id,
    kind: g.kind,
    label: groupLabel(g, me),
    members: memberInfos(g),
    unread: hub.groups.membership(g, me)!.unread,
    focus: g.id === me.focus,
    locked: g.locked,
    ...(g.topic ? { topic: g.topic } : {}),
    ...(g.owner ? { owner: g.owner.name } : {}),
  }));
  ctx.reply({ action: 'rooms', groups });
}

// ping <text>: answered pong <text>
export function ping(ctx: OnlineContext, { message }: Extract<ClientAction, { action: 'ping' }>): void {
  ctx.reply({ action: 'pong', message });
}
