/** Result cards for the log: who is online, my groups, history search, sonnets, help. */
import type { HistoryLine, MembershipInfo, PoemData, SonnetHit, UserInfo, GroupInfo } from '../../../core/protocol.js';
import { h } from './dom.js';
import { count, dayTime, menuRows, nameColour, sonnetTitle, stanzas } from './format.js';
import { frontBadge, type LogView } from './log-view.js';

/** `who`: every user with their front and group, then the groups. */
export function whoCard(log: LogView, users: readonly UserInfo[], groups: readonly GroupInfo[]): void {
  const people = h(
    'ul',
    {},
    ...users.map((u) => h('li', {}, h('span', { class: nameColour(u.name) }, u.name), ' ', frontBadge(u.front), ' ', u.group === undefined ? 'alone' : `in group ${u.group}`)),
  );
  const rooms =
    groups.length === 0
      ? h('p', { class: 'empty' }, 'No groups yet.')
      : h('ul', {}, ...groups.map((g) => h('li', {}, `${g.room ? `${g.room} (group ${g.id})` : `Group ${g.id}`}: ${g.members.join(', ')}${g.topic ? ` · ${g.topic}` : ''}`)));
  log.card('Who is here', count(users.length, 'user online', 'users online'), [people, rooms]);
}

/** `rooms`: the groups I am in, the one I chat in marked, with their unread lines. */
export function roomsCard(log: LogView, groups: readonly MembershipInfo[]): void {
  const items = groups.map((g) =>
    h('li', {}, g.kind === 'direct' ? `Private conversation with ${g.label}` : g.label, g.focus ? ' (here)' : '', g.unread > 0 ? ` · ${count(g.unread, 'unread line', 'unread lines')}` : ''),
  );
  log.card('Your groups', count(groups.length, 'group', 'groups'), [groups.length === 0 ? h('p', { class: 'empty' }, 'You are in no group.') : h('ol', {}, ...items)]);
}

/** `? words`: my matching history lines, oldest first, as a list; `more`: the count of matches stopped at `omitted` older ones. */
export function searchCard(log: LogView, target: string, matches: readonly HistoryLine[], omitted: number, more: boolean): void {
  const now = new Date();
  const title = `Search “${target}”`;
  if (matches.length === 0) {
    log.card(title, 'no matches', [h('p', { class: 'empty' }, 'Nothing in your chat history matches. Every word must appear; put a phrase in "quotes".')], 'search');
    return;
  }
  const items = matches.map((m) => {
    const at = new Date(m.ts);
    return h(
      'li',
      {},
      h('time', { class: 'meta', attrs: { datetime: m.ts, title: at.toLocaleString() } }, dayTime(at, now)),
      h('span', { class: 'meta' }, m.label),
      h('strong', { class: nameColour(m.from) }, m.from),
      ': ',
      m.message,
    );
  });
  const atLeast = more ? 'more than ' : '';
  const left = omitted > 0 ? h('p', { class: 'more' }, `${atLeast}${count(omitted, 'older match', 'older matches')} not shown.`) : null;
  log.card(title, atLeast + count(matches.length + omitted, 'match', 'matches'), [h('ol', { class: 'results' }, ...items), left], 'search');
}

/** `p 18`: the sonnet set as verse, the closing couplet indented. */
export function sonnetCard(log: LogView, poem: PoemData): void {
  const { main, sub } = sonnetTitle(poem.number, poem.title);
  const verse = stanzas(poem.lines).map((s) => h('p', { class: s.couplet ? 'stanza couplet' : 'stanza' }, ...s.lines.map((l) => h('span', {}, l))));
  log.card(main, sub, verse, 'sonnet');
}

/** `s word`: sonnet lines holding the words, each with a button to read its sonnet. */
export function sonnetHitsCard(log: LogView, target: string, hits: readonly SonnetHit[], more: number, read: (n: number) => void): void {
  const title = `Sonnet lines with “${target}”`;
  if (hits.length === 0) {
    log.card(title, 'none', [h('p', { class: 'empty' }, 'No sonnet line holds every word.')]);
    return;
  }
  const items = hits.map((hit) =>
    h(
      'li',
      {},
      h('button', { class: 'link', attrs: { type: 'button', 'aria-label': `Read sonnet ${hit.number}` }, onclick: () => read(hit.number) }, `Sonnet ${hit.number}`),
      h('span', { class: 'meta' }, ` line ${hit.line}`),
      ' ',
      hit.text,
    ),
  );
  const rest = more > 0 ? h('p', { class: 'more' }, `${count(more, 'more line', 'more lines')} not shown.`) : null;
  log.card(title, count(hits.length + more, 'line', 'lines'), [h('ul', {}, ...items), rest]);
}

/** `help`: the shared menu (the terminal client's), as a table of commands. */
export function helpCard(log: LogView, menu: string): void {
  const { rows, notes } = menuRows(menu);
  const table = h('dl', {}, ...rows.flatMap(([cmd, what]) => [h('dt', {}, cmd), h('dd', {}, what)]));
  log.card('Commands', 'the same as in the terminal client', [table, ...notes.map((n) => h('p', { class: 'more' }, n))], 'help');
}
