/**
 * How the hub's answers read on Discord: the shared classic renderers where their text fits,
 * Discord-shaped text from the structured data where it reads better (`who`, sonnets), and
 * whether an answer is private (searches, and your list of groups: only the asker may see them).
 */
import type { ServerEvent } from '../../core/protocol.js';
import { MENU, renderEvent } from '../../core/render.js';
import { escapeInline, escapeMarkdown } from './format.js';

export interface Answer {
  text: string;
  /** Only the asker may see it (DM or ephemeral). */
  private: boolean;
  /** The request was refused (answered ephemerally to a slash command). */
  failed: boolean;
}

const ok = (text: string, isPrivate = false): Answer => ({ text, private: isPrivate, failed: false });
const refused = (text: string): Answer => ({ text, private: false, failed: true });

function plain(event: ServerEvent, target?: string): string {
  return escapeMarkdown((renderEvent(event, target === undefined ? {} : { target }) ?? '').trim());
}

/** The answer to show for an event, or null when it needs no words (a successful login or connect). */
export function renderAnswer(event: ServerEvent, target?: string): Answer | null {
  switch (event.action) {
    case 'list': {
      const users = event.users.map((u) => `${escapeInline(u.name)} (${u.front})`).join(', ');
      const groups = event.groups.map((g) => `group ${g.id}: ${g.members.map(escapeInline).join(', ')}`);
      return ok([`**Online (${event.users.length}):** ${users}`, groups.length > 0 ? `**Chatting:** ${groups.join('; ')}` : '**Chatting:** nobody'].join('\n'));
    }
    case 'poem':
      if (!event.poem) return refused(plain(event, target));
      return ok([`**Sonnet ${event.poem.number}** (${event.poem.title})`, '', ...event.poem.lines.map(escapeMarkdown)].join('\n'));
    case 'search': {
      const heading = `Your history, searched for ${escapeInline(JSON.stringify(target ?? ''))}:`;
      return ok(event.matches.length > 0 ? `${heading}\n${plain(event, target)}` : plain(event, target), true);
    }
    case 'connect':
      if (event.status === 'success' || event.status === 'request') return null;
      // The shared renderer has no words for `closed` (invite-only, or a private conversation): the hub's explain it.
      return refused(event.status === 'closed' ? `${escapeMarkdown(event.msg ?? 'that group is invite-only')}\nConnection unsuccessful` : plain(event));
    case 'rooms':
      return ok(event.groups.length === 0 ? 'You are in no group.' : event.groups.map(membership).join('\n'), true);
    case 'login':
      return event.status === 'ok' ? null : refused(plain(event));
    case 'error':
      return refused(plain(event));
    case 'invite':
      return event.status === 'sent' || event.status === 'request' ? ok(plain(event)) : refused(plain(event));
    case 'sonnets':
      // A search like `search`: as long as the word is common, so only the asker sees it.
      return ok(plain(event, target), true);
    case 'time':
    case 'pong':
    case 'topic':
      return ok(plain(event, target));
    default:
      return null;
  }
}

/** One of the user's groups as `rooms` lists them: `2. #lobby (here): 3 unread`. */
function membership(g: Extract<ServerEvent, { action: 'rooms' }>['groups'][number], i: number): string {
  const kind = g.kind === 'direct' ? ' (private)' : '';
  return `${i + 1}. ${escapeInline(g.label)}${kind}${g.focus ? ' (here)' : ''}${g.unread > 0 ? `: ${g.unread} unread` : ''}`;
}

/** The copy of a private line the user sent, kept in their DM with the bot (where the answers come). */
export function sentPrivately(target: string, message: string): string {
  return `**[you → ${escapeInline(target)}]** ${escapeMarkdown(message)}`;
}

/** The answer to `register`, which is never carried out on Discord. */
export const REGISTER_ON_DISCORD =
  'Your chat name already belongs to your Discord account, so it needs no password: nobody on another front can use it. (Never type a password into Discord.)';

/** The menu, as a code block so it shows exactly as the terminal shows it. */
export function helpText(): string {
  return [
    '```',
    MENU.trim(),
    '```',
    'In a bridged channel, type a command (non-commands are ignored there). You may be in many groups at once: each has its own thread, and what you type in a thread goes to its group, except bye (leaves that group) and /commands (/who, /topic, /bye...; //text says "/text").',
    'm <name> <text> writes privately to one person, on any front: the conversation goes on in your DM with me, where your plain lines answer the last person you wrote to or who wrote to you first.',
    'Slash commands: /who /time /connect /join /message /rooms /poem /sonnets /search /bye /quit /help',
  ].join('\n');
}
