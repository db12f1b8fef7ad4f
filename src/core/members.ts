/** How groups and their members are described in events: shared by the hub, its actions and the classic view. */
import type { Group } from './groups.js';
import { nameKey } from './names.js';
import type { MemberInfo } from './protocol.js';
import type { OnlineMember } from './session.js';

export function memberInfos(group: Group<OnlineMember>): MemberInfo[] {
  return group.members.map((m) => ({ name: m.member.name, front: m.member.front }));
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
