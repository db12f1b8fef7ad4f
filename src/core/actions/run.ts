/**
 * The one place an action's precondition is checked before its handler runs (logged in or not;
 * in the group the action names, else the session's focus; a server operator in any group for
 * the actions that allow it), with the context it narrows to.
 */
import type { Group } from '../groups.js';
import type { ActionName, ClientAction, ErrorCode, Label, ServerEvent } from '../protocol.js';
import { isOnline, type Member, type OnlineMember } from '../session.js';
import type { Context, HubState } from './context.js';
import { HANDLERS, type Handler } from './table.js';

/** One request's context for its handler: a plain class, one shape for every action (the chat path runs it for every line). */
class Request<Me extends Member, G extends Group<OnlineMember> | undefined> implements Context<Me, G> {
  constructor(
    readonly hub: HubState,
    readonly me: Me,
    readonly label: Label | undefined,
    private readonly action: string,
    readonly group: G,
  ) {}

  reply(event: ServerEvent): void {
    this.hub.reply(this.me, event, this.label);
  }

  fail(code: ErrorCode, msg: string): void {
    this.hub.fail(this.me, code, msg, this.action, this.label);
  }
}

/** Runs the action's handler when its precondition holds, otherwise answers why not. */
export function runAction(hub: HubState, me: Member, action: ClientAction, label: Label | undefined): void | Promise<void> {
  const handler = HANDLERS[action.action] as Handler<ActionName>;
  const refuse = (code: ErrorCode, msg: string): void => hub.fail(me, code, msg, action.action, label);
  if (handler.when === 'offline') {
    if (me.name !== null) return refuse('already-logged-in', `you are logged in as ${me.name}`);
    return handler.run(new Request(hub, me, label, action.action, undefined), action);
  }
  if (!isOnline(me)) return refuse('not-logged-in', 'log in first');
  if (handler.when === 'online') return handler.run(new Request(hub, me, label, action.action, undefined), action);
  const named = 'group' in action ? action.group : undefined;
  const id = named ?? me.focus;
  const group = id === null ? undefined : hub.groups.get(id);
  const mine = group !== undefined && hub.groups.membership(group, me) !== undefined ? group : undefined;
  // A server operator may act on any group by its id (kick); to the rest it is only theirs.
  if (handler.when === 'any-group' && named !== undefined && group !== undefined && me.oper !== null) {
    return handler.run(new Request(hub, me, label, action.action, group), action);
  }
  if (!mine && named !== undefined) return refuse('not-member', `you are not in group ${named}`);
  if (handler.when === 'maybe-group') return handler.run(new Request(hub, me, label, action.action, mine), action);
  if (!mine) return refuse('not-chatting', 'you are not in a group: connect to someone first');
  return handler.run(new Request(hub, me, label, action.action, mine), action);
}
