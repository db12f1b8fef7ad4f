/**
 * What an IRC user's text means to the chat, through the shared command parser: a line in the
 * channel is read as a terminal user's chatting line (`bye`, `_flip_ ...`, `/who`, `//text`),
 * a private message to the service `ics` as a terminal user's command (`who`, `c peter`, `p 3`).
 * `/me waves` (CTCP ACTION) becomes the chat line `*waves*`; other CTCP requests are refused.
 */
import { parseCommand, type Command } from '../../core/commands.js';
import { plainText } from './text.js';

export type Inbound = Command | { kind: 'ctcp'; name: string };

/** Splits a CTCP request (`\x01NAME args\x01`) or returns null for plain text. */
function ctcp(text: string): { name: string; args: string } | null {
  if (!text.startsWith('\x01')) return null;
  const body = text.slice(1).replace(/\x01$/, '');
  const space = body.indexOf(' ');
  return space < 0 ? { name: body.toUpperCase(), args: '' } : { name: body.slice(0, space).toUpperCase(), args: body.slice(space + 1) };
}

/** A PRIVMSG or NOTICE to the user's own channel. */
export function channelInput(text: string): Inbound {
  const request = ctcp(text);
  if (request) {
    if (request.name !== 'ACTION') return { kind: 'ctcp', name: request.name };
    const action = plainText(request.args).trim();
    return action === '' ? { kind: 'empty' } : { kind: 'send', actions: [{ action: 'exchange', message: `*${action}*` }] };
  }
  return parseCommand(plainText(text), 'chat');
}

/** A PRIVMSG to the service: a command as a terminal user types it (a leading `/` is allowed). */
export function serviceInput(text: string): Inbound {
  const request = ctcp(text);
  if (request) return { kind: 'ctcp', name: request.name };
  return parseCommand(plainText(text).replace(/^\s*\/(?!\/)/, ''), 'command');
}

/** Chat text for a private message to a user (which goes to the group shared with them). */
export function directText(text: string): string {
  const request = ctcp(text);
  if (request?.name === 'ACTION') return `*${plainText(request.args).trim()}*`;
  return plainText(text);
}
