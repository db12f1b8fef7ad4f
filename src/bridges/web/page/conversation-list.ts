/**
 * The sidebar's list of the user's conversations: one button each, with its name, its unread
 * count (marked when a line names the reader) and its newest line; the shown one is current.
 */
import type { Conversation } from './conversations.js';
import { h } from './dom.js';
import { count } from './format.js';

/** What the list calls a conversation. */
function listName(c: Conversation): string {
  return c.kind === 'adhoc' ? `Group ${c.group}` : c.label;
}

function item(c: Conversation, shown: boolean, pick: (c: Conversation) => void): HTMLLIElement {
  const { unread, mentions } = c.log;
  const tags = [c.kind === 'direct' ? 'private' : '', c.ended ? 'ended' : ''].filter((t) => t !== '');
  const last = c.last ? `${c.last.name}: ${c.last.text}` : c.group === null ? 'Not written to yet' : 'No lines yet';
  return h(
    'li',
    {},
    h(
      'button',
      { class: `conv${unread > 0 ? ' has-unread' : ''}${c.ended ? ' ended' : ''}`, attrs: { type: 'button', ...(shown ? { 'aria-current': 'true' } : {}) }, onclick: () => pick(c) },
      h(
        'span',
        { class: 'conv-head' },
        h('span', { class: 'conv-name' }, listName(c)),
        ...tags.map((t) => h('span', { class: 'tag' }, t)),
        unread > 0 && h('span', { class: `unread${mentions > 0 ? ' mentioned' : ''}`, attrs: { 'aria-hidden': 'true' } }, mentions > 0 ? `@ ${unread}` : String(unread)),
        unread > 0 && h('span', { class: 'visually-hidden' }, `, ${count(unread, 'unread line', 'unread lines')}${mentions > 0 ? `, ${mentions} naming you` : ''},`),
      ),
      h('span', { class: 'conv-last', attrs: { dir: 'auto' } }, last),
    ),
  );
}

export function showConversationList(list: HTMLElement, conversations: readonly Conversation[], shown: Conversation | null, pick: (c: Conversation) => void): void {
  if (conversations.length === 0) {
    list.replaceChildren(h('li', { class: 'empty hint' }, 'None yet: join a room, or choose someone online.'));
    return;
  }
  list.replaceChildren(...conversations.map((c) => item(c, c === shown, pick)));
}
