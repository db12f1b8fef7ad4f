/**
 * A group's members as a client keeps them from join and leave notices: a notice of a small group
 * lists everyone; a large group's names only who came or went (members.ts, NOTICE_MEMBERS), and
 * the client applies that to the list it has.
 */
import type { MemberInfo, ServerEvent } from './protocol.js';

type Notice = Extract<ServerEvent, { action: 'connect'; status: 'request' } | { action: 'leave' }>;

/** The members after `notice`, given those before it. */
export function membersAfter(notice: Notice, before: readonly MemberInfo[]): MemberInfo[] {
  if (notice.members !== undefined) return notice.members;
  if (notice.action === 'leave') return before.filter((m) => m.name !== notice.name);
  return before.some((m) => m.name === notice.from) ? [...before] : [...before, { name: notice.from, front: notice.front }];
}
