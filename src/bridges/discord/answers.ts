/**
 * How the hub's answers read on Discord: the shared classic renderers where their text fits,
 * Discord-shaped text from the structured data where it reads better (`who`, sonnets), and
 * whether an answer is private (search results: only the asker may see them).
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
      return event.status === 'success' || event.status === 'request' ? null : refused(plain(event));
    case 'login':
      return event.status === 'ok' ? null : refused(plain(event));
    case 'error':
      return refused(plain(event));
    case 'invite':
      return event.status === 'sent' || event.status === 'request' ? ok(plain(event)) : refused(plain(event));
    case 'time':
    case 'sonnets':
    case 'pong':
    case 'topic':
      return ok(plain(event, target));
    default:
      return null;
  }
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
    'In a bridged channel, type a command (non-commands are ignored there); group chat happens in the thread I open for your group.',
    'Slash commands: /who /time /connect /poem /search /bye /quit /help',
  ].join('\n');
}
