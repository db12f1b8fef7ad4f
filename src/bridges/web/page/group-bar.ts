/**
 * The group bar above the log and the label of the message box: which group the user chats
 * in (a room, an ad-hoc group, or a private conversation), its topic and members, and what a
 * typed line does now.
 */
import type { GroupKind, MemberInfo } from '../../../core/protocol.js';
import { h } from './dom.js';
import { nameColour } from './format.js';
import { frontBadge } from './log-view.js';
import type { Elements } from './main.js';

/** The user's group as the bar shows it; `group` null when they chat in none. */
export interface GroupView {
  group: number | null;
  kind: GroupKind | null;
  room: string | null;
  topic: string;
  members: readonly MemberInfo[];
  /** The other person of a private conversation (the classic peer otherwise). */
  peer: string;
  me: string | null;
  chatting: boolean;
}

export function showGroupBar(el: Elements, v: GroupView): void {
  const direct = v.kind === 'direct';
  const title = direct ? `Private conversation with ${v.peer}` : v.room ? `${v.room} · group ${v.group}` : `Group ${v.group}`;
  el.groupTitle.textContent = v.group === null ? 'Not in a group' : title;
  el.topic.textContent = v.topic;
  el.topic.hidden = v.topic === '';
  el.members.replaceChildren(
    ...v.members.map((m) => h('li', {}, h('span', { class: nameColour(m.name) }, m.name, m.name === v.me ? ' (you)' : ''), frontBadge(m.front))),
  );
  el.leave.hidden = v.group === null;
  el.leave.textContent = direct ? 'Leave conversation' : v.room ? `Leave ${v.room}` : 'Leave group';
  el.lineLabel.textContent = !v.chatting ? 'Command' : direct ? `Private message to ${v.peer}` : `Message to ${v.room ?? `group ${v.group}`}`;
  el.lineHint.textContent = v.chatting
    ? 'Enter sends. bye leaves; /who, /p 18, /topic text, /invite name run commands; /m name text writes privately; //text says a line starting with /.'
    : 'Try c name to chat, c #room for a room, m name text for a private line, ? words to search your history, p 18 for a sonnet, or help for every command.';
}
