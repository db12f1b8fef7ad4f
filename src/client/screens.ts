/**
 * What the terminal client shows of many groups, beyond the classic screens (core/render.ts):
 * an event of a group that is not the focus carries the group's label in front (`#b [alice]hi`,
 * a direct line `[alice → you]hi`), and `rooms` lists the user's groups. While the user is in
 * one group nothing here applies, so every screen is the classic one.
 */
import { classicHistoryLine, omittedLine } from '../core/classic.js';
import type { MembershipInfo, ServerEvent } from '../core/protocol.js';
import type { UserState } from '../core/user-state.js';

/** `help` adds these to the classic menu. */
export const MANY_GROUPS_HELP = [
  'Many groups at once (while chatting, start these with /, e.g. /j #tea):',
  '         m _name_ _text_: to send _name_ a private line',
  '         j #_room_: to join or open #_room_ as well; typed lines then go there',
  '         rooms: to list your groups, * marking the one typed lines go to',
  '         w _n_ | w #_room_ | w _name_: to switch to one of your groups',
  '         bye #_room_: to leave one of your groups; bye leaves the current one',
  '         lock | unlock: to make your room invite-only, or open it again (its owner)',
  '',
].join('\n');

/**
 * The label of the user's group an event is about, when that group is not the focus; null
 * for the focus and for events about no group of theirs (an invitation). Read it before the
 * event changes the state.
 */
export function elsewhere(event: ServerEvent, state: UserState): string | null {
  let group: number;
  switch (event.action) {
    case 'connect':
      // At the menu, a connect request is the classic "Request from" screen.
      if (event.status !== 'request' || state.state !== 'chatting') return null;
      group = event.group;
      break;
    case 'exchange':
    case 'leave':
    case 'topic':
    case 'lock':
      group = event.group;
      break;
    default:
      return null;
  }
  if (group === state.group) return null;
  const room = 'room' in event ? event.room : undefined;
  return state.groups.get(group)?.label ?? room ?? `#group-${group}`;
}

/** A chat line from a group that is not the focus: a direct one marked private, any other after its group's label. */
export function lineElsewhere(event: Extract<ServerEvent, { action: 'exchange' }>, where: string): string {
  return event.direct ? `[${event.name} → you]${event.message}` : `${where} ${event.from}${event.message}`;
}

/** The `rooms` answer: the user's groups numbered as `w <n>` takes them. */
export function roomsText(groups: readonly MembershipInfo[], me: string | null): string {
  if (groups.length === 0) return 'You are in no group: c <name>, j #<room> or m <name> <text> starts one.';
  const lines = groups.map((g, i) => {
    const others = g.members.map((m) => m.name).filter((name) => name !== me);
    const who = g.kind === 'direct' ? '' : `: ${others.length > 0 ? others.join(', ') : 'nobody else'}`;
    const notes = [g.kind === 'direct' ? 'direct' : g.locked ? 'invite-only' : '', g.unread > 0 ? `${g.unread} unread` : ''].filter((x) => x !== '');
    return `${g.focus ? '*' : ' '} ${i + 1}. ${g.label}${who}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
  });
  return ['Your groups (* is where your lines go; w <n> switches):', ...lines].join('\n');
}

/**
 * Search results as the classic screen shows them, from the matches: a many-group session's
 * results name each line's group, which the screen keeps only when the lines come from more
 * than one group. Null when nothing matched (the classic "not found" screen).
 */
export function searchText(event: Extract<ServerEvent, { action: 'search' }>): string | null {
  if (event.matches.length === 0) return null;
  const named = new Set(event.matches.map((m) => m.group)).size > 1;
  const lines = event.matches.map((m) => classicHistoryLine(new Date(m.ts), named ? `${m.label} ${m.from}` : m.from, m.message));
  if (event.omitted > 0) lines.push(omittedLine(event.omitted, event.more === true));
  return `${lines.join('\n')}\n\n`;
}
