/**
 * What an IRC user's text means to the chat, through the shared command parser: a line in a
 * channel is read as a terminal user's chatting line (`bye`, `_flip_ ...`, `/who`, `//text`)
 * about that channel's group, a private message to the service `ics` as a terminal user's
 * command (`who`, `c peter`, `p 3`, `m bob hi`), a private message to a user as a direct line.
 * `/me waves` (CTCP ACTION) becomes the chat line `*waves*`; other CTCP requests are refused.
 */
import { parseCommand, type Command, type GroupLookup } from '../../core/commands.js';
import type { ClientAction, GroupAction } from '../../core/protocol.js';
import { plainText } from './text.js';

export type Inbound = Command | { kind: 'ctcp'; name: string };

/** The actions about a group: typed in a channel without naming one, they are about that channel's. */
const ABOUT_A_GROUP: Record<GroupAction['action'], true> = { exchange: true, flip: true, disconnect: true, topic: true, kick: true, invite: true, lock: true, mode: true, signal: true, edit: true, delete: true };

const isGroupAction = (action: ClientAction): action is GroupAction => Object.hasOwn(ABOUT_A_GROUP, action.action);

/** The command with every action that names no group made about `group`. */
function about(command: Command, group: number): Command {
  if (command.kind !== 'send') return command;
  return { kind: 'send', actions: command.actions.map((a): ClientAction => (isGroupAction(a) && a.group === undefined ? { ...a, group } : a)) };
}

/** Splits a CTCP request (`\x01NAME args\x01`) or returns null for plain text. */
function ctcp(text: string): { name: string; args: string } | null {
  if (!text.startsWith('\x01')) return null;
  const body = text.slice(1).replace(/\x01$/, '');
  const space = body.indexOf(' ');
  return space < 0 ? { name: body.toUpperCase(), args: '' } : { name: body.slice(0, space).toUpperCase(), args: body.slice(space + 1) };
}

/** A PRIVMSG to one of the user's channels, that of `group`; `lookup` finds the user's other channels (`/bye #b`). */
export function channelInput(text: string, group: number, lookup: GroupLookup): Inbound {
  const request = ctcp(text);
  if (request) {
    if (request.name !== 'ACTION') return { kind: 'ctcp', name: request.name };
    const action = plainText(request.args).trim();
    return action === '' ? { kind: 'empty' } : { kind: 'send', actions: [{ action: 'exchange', message: `*${action}*`, group }] };
  }
  return about(parseCommand(plainText(text), 'chat', lookup), group);
}

/** A PRIVMSG to the service: a command as a terminal user types it (a leading `/` is allowed). */
export function serviceInput(text: string, lookup: GroupLookup): Inbound {
  const request = ctcp(text);
  if (request) return { kind: 'ctcp', name: request.name };
  return parseCommand(plainText(text).replace(/^\s*\/(?!\/)/, ''), 'command', lookup);
}

/** A private message to a user: its text as a direct line (`/me nods` as `*nods*`), or the CTCP request it is. */
export function directInput(text: string): { kind: 'text'; text: string } | { kind: 'ctcp'; name: string } {
  const request = ctcp(text);
  if (!request) return { kind: 'text', text: plainText(text).trim() };
  if (request.name !== 'ACTION') return { kind: 'ctcp', name: request.name };
  const action = plainText(request.args).trim();
  return { kind: 'text', text: action === '' ? '' : `*${action}*` };
}
