/** Account actions: logging in (as a guest, to a password account, or under an identity's name) and registering. */
import type { Identity } from '../accounts.js';
import { enterAccount, ownedReply, passwordLogin, register as registerName } from '../auth.js';
import { deriveName, nameCandidates, nameKey, nameProblem } from '../names.js';
import type { ClientAction } from '../protocol.js';
import type { Member } from '../session.js';
import type { Context, HubState, OnlineContext } from './context.js';

/**
 * The name an identity logs in under: the one bound to it, or else the first free name derived
 * from the handle it asked for, which is bound from then on. Free means nobody owns it, nobody
 * is online under it and no history belongs to it (so no one inherits another's history).
 */
function ownedName(hub: HubState, identity: Identity, handle: string): string | null {
  const bound = hub.accounts.nameOf(identity);
  if (bound !== null) return bound;
  for (const candidate of nameCandidates(deriveName(handle))) {
    const key = nameKey(candidate);
    if (hub.accounts.accountOf(key) || hub.presence.get(candidate) || hub.history.hasUser(key)) continue;
    if (hub.accounts.bind(identity, candidate)) return candidate;
  }
  return null;
}

// login <name> [password]: a free, well-formed name nobody owns, as a guest; a registered name
// with its password; a session with an identity (or a proven account) takes its own name
export function login(ctx: Context<Member>, { name, password, features = [] }: Extract<ClientAction, { action: 'login' }>): void | Promise<void> {
  const { hub, me } = ctx;
  if (me.identity) {
    const own = ownedName(hub, me.identity, name);
    if (own === null) return ctx.reply({ action: 'login', status: 'invalid', msg: `no free name can be made from ${JSON.stringify(name.slice(0, 40))}` });
    for (const f of features) me.features.add(f);
    const account = hub.accounts.accountOf(nameKey(own))!;
    if (!hub.enter(me, own, account.historyKey)) return ctx.reply({ action: 'login', status: 'duplicate', msg: `${own} is already online` });
    return ctx.reply({ action: 'login', status: 'ok', name: own, registered: true });
  }
  if (me.account) return enterAccount(hub, me, me.account, features, (e) => ctx.reply(e));
  const problem = nameProblem(name);
  if (problem) return ctx.reply({ action: 'login', status: 'invalid', msg: problem });
  const account = hub.accounts.accountOf(nameKey(name));
  if (account?.secret && password !== undefined) return passwordLogin(hub, me, name, password, features, (e) => ctx.reply(e));
  if (account) return ctx.reply(ownedReply(account));
  for (const f of features) me.features.add(f);
  if (!hub.enter(me, name.normalize('NFC'))) return ctx.reply({ action: 'login', status: 'duplicate', msg: `${name} is already in use` });
  if (password !== undefined) return ctx.reply({ action: 'login', status: 'ok', msg: `${name} is not registered: you are a guest (register to keep the name)` });
  ctx.reply({ action: 'login', status: 'ok' });
}

// register <password>: the name I hold as a guest becomes mine; from then on it takes the password
export function register(ctx: OnlineContext, { password }: Extract<ClientAction, { action: 'register' }>): Promise<void> {
  const { hub, me } = ctx;
  return registerName(hub, me, password, (e) => ctx.reply(e));
}
