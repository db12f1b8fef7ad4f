/** How groups and their members are described in events: shared by the hub, its actions and the classic view. */
import { modeLetters } from './group-rules.js';
import type { Group } from './groups.js';
import { nameKey } from './names.js';
import type { MemberInfo } from './protocol.js';
import type { OnlineMember } from './session.js';

export function memberInfos(group: Group<OnlineMember>): MemberInfo[] {
  return group.members.map((m) => ({ name: m.member.name, front: m.member.front }));
}

/**
 * The most members a join or leave notice lists. A larger group's notices name only who came or
 * went, with the count (`count`): each member keeps the list it got on joining, so a join costs
 * every member the same however large the room (listing everyone, it cost each member the
 * whole room, and forming a room of n cost n³).
 */
export const NOTICE_MEMBERS = 100;

/** What a join or leave notice says of the group's members: all of them while few, else their number. */
export function noticeMembers(group: Group<OnlineMember>): { members: MemberInfo[] } | { count: number } {
  return group.members.length <= NOTICE_MEMBERS ? { members: memberInfos(group) } : { count: group.members.length };
}

export function memberNames(group: Group<OnlineMember>): string[] {
  return group.members.map((m) => m.member.name);
}

/** `{room}` for a room, nothing for other groups (spread into events). */
export function roomOf(group: Group<OnlineMember>): { room?: string } {
  return group.room === undefined ? {} : { room: group.room };
}

/**
 * What users call a group: a room's name, `#group-N` for an ad-hoc group, and for a direct
 * conversation the other person's name (as `viewer` sees it) or both names.
 */
export function groupLabel(group: Group<OnlineMember>, viewer?: OnlineMember): string {
  if (group.kind === 'room') return group.room!;
  if (group.kind === 'adhoc') return `#group-${group.id}`;
  const [a, b] = group.pair!;
  if (viewer === undefined) return `${a}+${b}`;
  return viewer.key === nameKey(a) ? b : a;
}

/**
 * What the group's modes and roles add to a description of it (spread into events): `modes`
 * when any is set beyond `+n` and the lock (which `locked` tells), operators beside the owner,
 * voiced members; nothing for a group that has none of them.
 */
export function modeInfo(group: Group<OnlineMember>): { modes?: string; ops?: string[]; voiced?: string[] } {
  const letters = modeLetters(group).replace(/[in]/g, '');
  const ops = group.members.filter((m) => m.op && m.member !== group.owner).map((m) => m.member.name);
  const voiced = group.members.filter((m) => m.voice).map((m) => m.member.name);
  return {
    ...(letters === '+' ? {} : { modes: letters }),
    ...(ops.length > 0 ? { ops } : {}),
    ...(voiced.length > 0 ? { voiced } : {}),
  };
}
