/**
 * Where a command typed in a conversation's own place goes: in a group's thread, or in the DM
 * while it follows a group, the group actions name that group (so a line never lands in another
 * group, whatever the focus); in the DM while it follows a direct conversation, a line is a
 * direct line to that person, and `bye` leaves their conversation.
 */
import type { Command } from '../../core/commands.js';
import type { ClientAction, GroupAction } from '../../core/protocol.js';
import type { GroupLookup } from '../../core/commands.js';
import type { Talk } from './user.js';

/** The actions that may name their group (a record, so a new one is a compile error until listed). */
const GROUP_ACTIONS: Record<GroupAction['action'], true> = { exchange: true, flip: true, disconnect: true, topic: true, kick: true, invite: true, lock: true, mode: true, signal: true, edit: true, delete: true };

function aimOne(action: ClientAction, talk: Talk, lookup: GroupLookup): ClientAction | null {
  if (!Object.hasOwn(GROUP_ACTIONS, action.action) || ('group' in action && action.group !== undefined)) return action;
  if (talk.kind === 'group') return { ...action, group: talk.group } as ClientAction;
  if (action.action === 'exchange' || action.action === 'flip') return { action: 'direct', target: talk.peer, message: action.message };
  const group = lookup(talk.peer);
  // `bye` when the conversation has ended already: nothing to leave.
  return group === undefined ? null : ({ ...action, group } as ClientAction);
}

/** The command with its group actions aimed at `talk`. */
export function aim(command: Command, talk: Talk, lookup: GroupLookup): Command {
  if (command.kind !== 'send') return command;
  const actions = command.actions.map((a) => aimOne(a, talk, lookup)).filter((a): a is ClientAction => a !== null);
  return { kind: 'send', actions };
}
