/**
 * The action table: for every client action, when it may run and its handler. The hub checks
 * that once, centrally, and resolves the group an action is about (the one it names, else the
 * session's focus) before any handler runs; a missing handler is a compile error.
 */
import type { ActionName, ClientAction } from '../protocol.js';
import type { Member } from '../session.js';
import * as account from './account.js';
import type { Context, GroupContext, MaybeGroupContext, OnlineContext } from './context.js';
import * as chat from './chat.js';
import * as directory from './directory.js';
import * as history from './history.js';
import * as identity from './identity.js';
import * as library from './library.js';
import * as membership from './membership.js';
import * as modes from './modes.js';
import * as operators from './operators.js';
import * as resume from './resume.js';

type Act<K extends ActionName> = Extract<ClientAction, { action: K }>;
type Outcome = void | Promise<void>;

/**
 * When an action may run: `offline` before login; `online` once logged in; `group`, logged in
 * and about a group the session is in (its own, or the focus); `maybe-group`, the same but
 * also without one; `any-group`, about a group the session is in or, for a server operator,
 * any group.
 */
export type Handler<K extends ActionName> =
  | { when: 'offline'; run(ctx: Context<Member>, action: Act<K>): Outcome }
  | { when: 'online'; run(ctx: OnlineContext, action: Act<K>): Outcome }
  | { when: 'group'; run(ctx: GroupContext, action: Act<K>): Outcome }
  | { when: 'maybe-group'; run(ctx: MaybeGroupContext, action: Act<K>): Outcome }
  | { when: 'any-group'; run(ctx: GroupContext, action: Act<K>): Outcome };

export const HANDLERS: { [K in ActionName]: Handler<K> } = {
  login: { when: 'offline', run: account.login },
  register: { when: 'online', run: account.register },
  time: { when: 'online', run: directory.time },
  list: { when: 'online', run: directory.list },
  counts: { when: 'online', run: directory.counts },
  ping: { when: 'online', run: directory.ping },
  rooms: { when: 'online', run: directory.rooms },
  poem: { when: 'online', run: library.poem },
  sonnets: { when: 'online', run: library.sonnets },
  search: { when: 'online', run: library.search },
  history: { when: 'online', run: history.history },
  conversations: { when: 'online', run: history.conversations },
  connect: { when: 'online', run: membership.connect },
  focus: { when: 'online', run: membership.focus },
  resume: { when: 'online', run: resume.resume },
  disconnect: { when: 'maybe-group', run: membership.disconnect },
  invite: { when: 'maybe-group', run: membership.invite },
  topic: { when: 'group', run: membership.topic },
  kick: { when: 'any-group', run: membership.kick },
  mode: { when: 'group', run: modes.mode },
  oper: { when: 'online', run: operators.oper },
  kill: { when: 'online', run: operators.kill },
  lock: { when: 'group', run: membership.lock },
  exchange: { when: 'group', run: chat.exchange },
  signal: { when: 'group', run: chat.signal },
  flip: { when: 'group', run: chat.flip },
  direct: { when: 'online', run: chat.direct },
  edit: { when: 'group', run: chat.edit },
  delete: { when: 'group', run: chat.unsay },
  rename: { when: 'online', run: identity.rename },
  away: { when: 'online', run: identity.away },
};
