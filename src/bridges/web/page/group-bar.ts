/**
 * The group bar above the log and the label of the message box: which group the user chats
 * in (a room or an ad-hoc group), its topic and members, and what a typed line does now.
 */
import type { MemberInfo } from '../../../core/protocol.js';
import { h } from './dom.js';
import { nameColour } from './format.js';
import { frontBadge } from './log-view.js';
import type { Elements } from './main.js';

/** The user's group as the bar shows it; `group` null when they chat in none. */
export interface GroupView {
  group: number | null;
  room: string | null;
  topic: string;
  members: readonly MemberInfo[];
  me: string | null;
  chatting: boolean;
}

export function showGroupBar(el: Elements, v: GroupView): void {
  const title = v.room ? `${v.room} · group ${v.group}` : `Group ${v.group}`;
  el.groupTitle.textContent = v.group === null ? 'Not in a group' : title;
  el.topic.textContent = v.topic;
  el.topic.hidden = v.topic === '';
  el.members.replaceChildren(
    ...v.members.map((m) => h('li', {}, h('span', { class: nameColour(m.name) }, m.name, m.name === v.me ? ' (you)' : ''), frontBadge(m.front))),
  );
  el.leave.hidden = v.group === null;
  el.leave.textContent = v.room ? `Leave ${v.room}` : 'Leave group';
  el.lineLabel.textContent = v.chatting ? `Message to ${v.room ?? `group ${v.group}`}` : 'Command';
  el.lineHint.textContent = v.chatting
    ? 'Enter sends. bye leaves; /who, /p 18, /topic text, /invite name run commands; //text says a line starting with /.'
    : 'Try c name to chat, c #room for a room, ? words to search your history, p 18 for a sonnet, or help for every command.';
}
