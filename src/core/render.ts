/**
 * Renderers from events to the classic client's screens, shared by the terminal client and
 * the gateway fronts (IRC notices, Discord replies). Each returns the text a screen shows;
 * requests are passed in where the classic screen repeats what the user typed.
 */
import { classicHistoryLine } from './classic.js';
import type { ServerEvent } from './protocol.js';
import type { Transition } from './user-state.js';

/** The classic menu, followed by the commands this project adds. */
export const MENU = [
  '',
  '++++ Choose one of the following commands',
  '         time: calendar time in the system',
  '         who: to find out who else are there',
  '         c _peer_: to connect to the _peer_ and chat',
  '         c #_room_: to open or join the named room #_room_',
  '         ? _term_: to search your chat logs where _term_ appears',
  '         p _#_: to get number <#> sonnet',
  '         s _word_: to find the sonnets holding _word_',
  '         ping _text_: to hear _text_ back (when not chatting)',
  '         register: to keep your name with a password (asked for without echo)',
  '         help: to show this menu',
  '         q: to leave the chat system',
  '',
  'While chatting: bye to leave the group, _flip_ _words_ to say them backwards,',
  '/_command_ to run a command (e.g. /who), //_text_ to say a line starting with /,',
  '/topic [_text_], /invite _name_, /kick _name_ [_reason_] (room owners) to manage the group.',
  '',
].join('\n');

export const WELCOME = 'Welcome to ICS chat';
export const NAME_PROMPT = 'Please enter your name: ';
export const GOODBYE = 'See you next time!';
const DASHES_CONNECT = '-'.repeat(35);
const DASHES_REQUEST = '-'.repeat(36);

export function welcomeUser(name: string): string {
  return `${MENU}\nWelcome, ${name}!`;
}

/** A topic change, in the words every screen (and the classic view's notes) use. */
export function topicChanged(by: string, topic: string): string {
  return `(${by} set the topic: ${topic})`;
}

/** Someone took another name. */
export function renamed(old: string, name: string): string {
  return `(${old} is now known as ${name})`;
}

/** Someone went away or came back. */
export function awayChanged(name: string, message: string | undefined): string {
  return message === undefined ? `(${name} is back)` : `(${name} is away: ${message})`;
}

/** A member invited someone to the group. */
export function invited(by: string, target: string, where: string): string {
  return `(${by} invited ${target} to ${where})`;
}

/** A group made invite-only or opened again. */
export function lockChanged(by: string, locked: boolean): string {
  return locked ? `(${by} made this group invite-only)` : `(${by} opened this group to everyone)`;
}

/** Modes changed, as IRC writes them (`+o bob`, `+k *`). */
export function modesChanged(by: string, changes: readonly { mode: string; on: boolean; arg?: string }[]): string {
  return `(${by} set ${changes.map((c) => `${c.on ? '+' : '-'}${c.mode}${c.arg === undefined ? '' : ` ${c.arg}`}`).join(' ')})`;
}

/** A group of the user's ended because everyone else left it (a direct conversation's label is the other person). */
export function groupEnded(label: string, direct: boolean): string {
  return direct ? `(${label} left your conversation)` : `(everyone else left ${label})`;
}

/** Screens for what a transition means, independent of any reply text. */
export function renderTransition(t: Transition): string | null {
  switch (t.kind) {
    case 'connected':
      return `You are connected with ${t.peer}\nConnect to ${t.peer}. Chat away!\n\n${DASHES_CONNECT}\n`;
    case 'joined-by':
      return `Request from ${t.peer}\nYou are connected with ${t.peer}. Chat away!\n\n${DASHES_REQUEST}\n`;
    case 'member-joined':
      return `(${t.name} joined)\n`;
    case 'dissolved':
      return MENU;
    case 'left':
      return `You are disconnected from ${t.peer}\n${MENU}`;
    case 'left-group':
      return `You are disconnected from ${t.label}`;
    case 'group-ended':
      return t.kicked ? null : groupEnded(t.label, t.direct);
    case 'focused':
      return `(now in ${t.label}${t.unread > 0 ? `, ${t.unread} unread` : ''}; rooms lists your groups, w <n> switches)`;
    default:
      return null;
  }
}

/** What the user typed for the request a reply answers (the classic screens echo it). */
export interface Asked {
  target?: string;
}

/**
 * A "while you were away" block: what a returning user missed in one conversation, each line as
 * search shows it, between a heading that says how many (and how to search the older ones) and
 * a closing rule.
 */
export function missedText(event: Extract<ServerEvent, { action: 'missed' }>): string {
  const lines = event.lines.map((l) => classicHistoryLine(new Date(l.ts), l.from, l.message));
  return [`-- ${event.msg} --`, ...lines, `-- end of what you missed in ${event.title} --`].join('\n');
}

/** Screen text for an event, or null when the transition alone says it all (or nothing). */
export function renderEvent(event: ServerEvent, asked: Asked = {}): string | null {
  switch (event.action) {
    case 'login':
      if (event.status === 'duplicate') return event.msg?.includes('registered') ? `${event.msg}, try again` : 'Duplicate username, try again';
      if (event.status === 'invalid' || event.status === 'denied') return `${event.msg}, try again`;
      if (event.status === 'limited') return `${event.msg}.`;
      return event.msg ?? null;
    case 'register':
      return event.status === 'ok' ? event.msg : `Not registered: ${event.msg}.`;
    case 'time':
      return `Time is: ${event.results}`;
    case 'list':
      return `Here are all the users in the system:\n${event.results}`;
    case 'poem':
      if (event.results.length > 0) return `${event.results}\n\n`;
      return `Sonnet ${asked.target ?? ''} not found${event.msg ? ` (${event.msg})` : ''}\n\n`;
    case 'sonnets':
      return event.results.length > 0 ? `${event.results}\n` : `${event.msg ?? 'no sonnet line matches'}\n`;
    case 'search': {
      const found = event.results.trim();
      return found.length > 0 ? `${found}\n\n` : `'${asked.target ?? ''}' not found\n\n`;
    }
    case 'connect':
      if (event.status === 'self') return 'Cannot talk to yourself (sick)\nConnection unsuccessful\n';
      if (event.status === 'no-user') return 'User is not online, try again later\nConnection unsuccessful\n';
      if (event.status === 'busy') return `${event.msg ?? 'User is busy. Please try again later'}\nConnection unsuccessful\n`;
      if (event.status === 'closed') return `${event.msg ?? 'That group is invite-only'}\nConnection unsuccessful\n`;
      return null;
    case 'exchange':
      return `${event.from}${event.message}`;
    case 'edit':
      return `${event.from} ${event.message}`;
    case 'pong':
      return `pong ${event.message}`;
    case 'disconnect':
      return event.by ? event.msg : null;
    case 'leave':
      return event.kickedBy ? `(${event.name} was removed by ${event.kickedBy}${event.reason ? `: ${event.reason}` : ''})` : `(${event.name} left)`;
    case 'topic':
      return event.by ? topicChanged(event.by, event.topic) : event.topic ? `Topic: ${event.topic}` : 'No topic is set';
    case 'lock':
      return lockChanged(event.by, event.locked);
    case 'invite':
      if (event.status === 'request') return `${event.from} invites you to join ${event.room ?? `group ${event.group}`}: type c ${event.room ?? `#group-${event.group}`}`;
      if (event.status === 'invited') return invited(event.from, event.target, event.room ?? `#group-${event.group}`);
      return event.status === 'sent' ? `Invited ${event.target}` : (event.msg ?? `Cannot invite ${event.target}`);
    case 'mode':
      if (event.status === 'changed') return modesChanged(event.by, event.changes);
      return [`Modes: ${event.modes}${event.key ? ` (key ${event.key})` : ''}${event.limit ? ` (at most ${event.limit})` : ''}`, ...event.refused.map((r) => `not changed: ${r.msg}`)].join('\n');
    case 'oper':
      return event.msg;
    case 'rename':
      if ('front' in event) return renamed(event.old, event.name);
      return event.status === 'ok' ? `You are now known as ${event.name}` : `Not renamed: ${event.msg ?? event.status}.`;
    case 'away':
      if ('name' in event) return awayChanged(event.name, event.message);
      return event.status === 'away' ? `You are marked as away: ${event.message ?? ''}` : 'You are no longer marked as away';
    case 'restart':
    case 'note':
      return event.message;
    case 'error':
      return `error: ${event.msg}`;
    case 'missed':
      return missedText(event);
    default:
      return null;
  }
}
