/**
 * The classic server's text formats, carried under "results" for the classic client:
 * the `list` text (Python reprs of the member and group dicts) and history lines.
 */
import { classicTime } from './clock.js';
import type { GroupInfo, UserInfo } from './protocol.js';

/** Python's repr of a str (names hold no quotes or backslashes, but stay correct if they ever do). */
function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const body = text.replaceAll('\\', '\\\\').replaceAll(quote, '\\' + quote);
  return quote + body + quote;
}

/** The 4-line `list` text: users (name -> 0 alone / 1 talking, login order) and groups (id -> members). */
export function classicListText(users: readonly UserInfo[], groups: readonly GroupInfo[]): string {
  const members = users.map((u) => `${pyRepr(u.name)}: ${u.state}`).join(', ');
  const grouped = groups.map((g) => `${g.id}: [${g.members.map(pyRepr).join(', ')}]`).join(', ');
  return `Users: ------------\n{${members}}\nGroups: -----------\n{${grouped}}\n`;
}

/** One history line as the classic search printed it: `(dd.mm.yy,HH:MM) sender : message`. */
export function classicHistoryLine(ts: Date, sender: string, message: string): string {
  return `(${classicTime(ts)}) ${sender} : ${message}`;
}

/** The last line of a search's results when matches were left out; `more`: the count stopped there (core/history.ts SEARCH_COUNT_BEYOND). */
export function omittedLine(omitted: number, more: boolean): string {
  return `(${more ? 'more than ' : ''}${omitted} older matches not shown)`;
}

/** What `_flip_ what said is true` becomes: the words in reverse order. */
export function flipWords(text: string): string {
  return text.trim().split(/\s+/).reverse().join(' ');
}

export const FLIP_PREFIX = '_flip_';

/** What a line becomes when said: a `flip`, or an exchange starting `_flip_ `, has its words reversed after the marker. */
export function spokenLine(kind: 'exchange' | 'flip', message: string): { text: string; flipped: boolean } {
  if (kind === 'flip') return { text: `${FLIP_PREFIX} ${flipWords(message)}`, flipped: true };
  if (!message.startsWith(FLIP_PREFIX + ' ')) return { text: message, flipped: false };
  return { text: `${FLIP_PREFIX} ${flipWords(message.slice(FLIP_PREFIX.length))}`, flipped: true };
}
export const ALONE_MSG = 'everyone left, you are alone';
/** What every user is told when the server stops to restart. */
export const RESTART_MSG = 'The chat server is restarting; it will be back in a moment.';
