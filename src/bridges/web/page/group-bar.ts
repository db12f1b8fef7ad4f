/**
 * The group bar above the log and the label of the message box: which conversation is shown (a
 * room, an ad-hoc group, a private conversation, or none), its topic and members, and what a
 * typed line does there.
 */
import { h } from './dom.js';
import { nameColour } from './format.js';
import { live, type Conversation } from './conversations.js';
import { frontBadge } from './log-view.js';
import type { Elements } from './main.js';

/** Whether typed lines are chat lines in the conversation (else commands). */
export const chatting = (c: Conversation | null): c is Conversation => c !== null && (live(c) || c.kind === 'direct');

function title(c: Conversation): string {
  const name = c.kind === 'direct' ? `Private conversation with ${c.label}` : c.kind === 'room' ? `${c.label} · group ${c.group}` : `Group ${c.group}`;
  return c.ended ? `${name} (ended)` : name;
}

export function showGroupBar(el: Elements, c: Conversation | null, me: string | null): void {
  el.groupTitle.textContent = c === null ? 'Not in a group' : title(c);
  const topic = c?.ended && c.kind !== 'direct' ? 'You are no longer in this group: Close it, or type j or c to join one.' : (c?.topic ?? '');
  el.topic.textContent = topic;
  el.topic.hidden = topic === '';
  el.members.replaceChildren(
    ...(live(c) ? c.members : []).map((m) => h('li', {}, h('span', { class: nameColour(m.name) }, m.name, m.name === me ? ' (you)' : ''), m.front && frontBadge(m.front))),
  );
  el.leave.hidden = c === null;
  el.leave.textContent = c === null || !live(c) ? 'Close' : c.kind === 'direct' ? 'Leave conversation' : c.kind === 'room' ? `Leave ${c.label}` : 'Leave group';
  el.lineLabel.textContent = !chatting(c) ? 'Command' : c.kind === 'direct' ? `Private message to ${c.label}` : `Message to ${c.kind === 'room' ? c.label : `group ${c.group}`}`;
  el.lineHint.textContent = chatting(c)
    ? 'Enter sends. bye leaves; /who, /p 18, /topic text, /invite name, /j #room run commands; /m name text writes privately; //text says a line starting with /.'
    : 'Try c name to chat, j #room for a room, m name text for a private line, ? words to search your history, p 18 for a sonnet, or help for every command.';
}
