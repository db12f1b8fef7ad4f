/**
 * Password accounts in the hub: proving a password (behind the login limiter, hashing off the
 * event loop) and registering the name a guest holds. Both finish asynchronously: their
 * replies come after `dispatch` returns, and a session closed meanwhile gets nothing.
 * Passwords go to the hasher and nowhere else: no log line, reply or metric holds one.
 */
import { randomUUID } from 'node:crypto';
import type { Account } from './accounts.js';
import type { HubState } from './actions/context.js';
import type { AuthResult, Member, OnlineMember } from './session.js';
import { nameKey, nameProblem } from './names.js';
import { passwordProblem } from './password-rule.js';
import type { Feature, ServerEvent } from './protocol.js';

/** The login reply for a name someone owns, to a session that did not prove it owns it. */
export function ownedReply(account: Account): ServerEvent {
  const credential = account.secret === null ? account.identity.provider : 'password';
  return { action: 'login', status: 'duplicate', msg: 'this name is registered', credential };
}

/**
 * Checks `password` against the password account `name`. On success the session holds the
 * account: its next login takes the account's name, whatever name it asks for.
 */
export async function authenticate(hub: HubState, me: Member, name: string, password: string): Promise<AuthResult> {
  if (me.name !== null || me.identity !== null) return { ok: false, status: 'busy', msg: `you are already logged in as ${me.name ?? 'a Discord user'}` };
  if (me.authenticating) return { ok: false, status: 'busy', msg: 'a login is already in progress on this connection' };
  const shown = name.slice(0, 40);
  const account = nameProblem(name) === null ? hub.accounts.accountOf(nameKey(name)) : null;
  if (account === null) return { ok: false, status: 'unknown', msg: `${shown} is not registered` };
  if (account.secret === null) return { ok: false, status: 'unknown', msg: `${account.name} is registered to a ${account.identity.provider} account, not to a password` };
  const attempt = hub.logins.attempt(nameKey(name), me.address);
  if (!attempt.ok) {
    const seconds = Math.ceil(attempt.retryAfterMs / 1000);
    hub.observer.authenticated(me.front, 'limited');
    hub.log.info('login refused: too many failures', { name: account.name, front: me.front, address: me.address ?? '-' });
    return { ok: false, status: 'limited', msg: `too many failed logins for ${account.name}: try again in ${seconds} s`, retryAfter: seconds };
  }
  me.authenticating = true;
  let ok = false;
  let broken = false;
  try {
    ok = await hub.passwords.verify(password, account.secret);
  } catch (err) {
    broken = true;
    hub.log.error('a password check failed', { name: account.name, err: (err as Error).message });
  } finally {
    me.authenticating = false;
    attempt.done(ok || broken);
  }
  if (broken) return { ok: false, status: 'denied', msg: 'the server could not check the password; try again' };
  hub.observer.authenticated(me.front, ok ? 'ok' : 'wrong-password');
  if (!ok) {
    hub.log.warn('failed login', { name: account.name, front: me.front, address: me.address ?? '-' });
    return { ok: false, status: 'denied', msg: `wrong password for ${account.name}` };
  }
  me.account = account;
  return { ok: true, name: account.name };
}

/** Logs a session that proved its account in, under the account's name. */
export function enterAccount(hub: HubState, me: Member, account: Account, features: readonly Feature[], reply: Reply): void {
  for (const f of features) me.features.add(f);
  if (!hub.enter(me, account.name, account.historyKey)) {
    me.account = null;
    return reply({ action: 'login', status: 'duplicate', msg: `${account.name} is already online` });
  }
  reply({ action: 'login', status: 'ok', name: account.name, registered: true });
}

type Reply = (event: ServerEvent) => void;

/** `login` with a password for a password account: logged in once the password is checked, off the event loop. */
export async function passwordLogin(hub: HubState, me: Member, name: string, password: string, features: readonly Feature[], reply: Reply): Promise<void> {
  const result = await authenticate(hub, me, name, password);
  if (me.closed) return;
  if (result.ok) return me.account ? enterAccount(hub, me, me.account, features, reply) : undefined;
  if (result.status === 'busy') return reply({ action: 'error', code: 'bad-request', msg: result.msg, for: 'login' });
  if (result.status === 'limited') return reply({ action: 'login', status: 'limited', msg: result.msg, retryAfter: result.retryAfter ?? 1 });
  reply({ action: 'login', status: 'denied', msg: result.msg });
}

/** `register`: the guest name this session holds becomes a password account, once the password is hashed. */
export async function register(hub: HubState, me: OnlineMember, password: string, reply: Reply): Promise<void> {
  const refuse = (msg: string): void => reply({ action: 'register', status: 'refused', msg });
  if (me.identity !== null) return refuse(`${me.name} belongs to your ${me.identity.provider} account and needs no password`);
  if (me.account !== null) return refuse(`${me.name} is already registered, and you are logged in to it`);
  const problem = passwordProblem(password);
  if (problem) return reply({ action: 'register', status: 'invalid', msg: problem });
  if (me.authenticating) return refuse('a registration is already in progress on this connection');
  me.authenticating = true;
  try {
    await storeAccount(hub, me, password, reply);
  } catch (err) {
    hub.log.error('registering a name failed', { name: me.name ?? '-', err: String(err) });
    refuse('the server could not store your password; nothing changed, try again');
  }
}

async function storeAccount(hub: HubState, me: OnlineMember, password: string, reply: Reply): Promise<void> {
  let secret: string;
  try {
    secret = await hub.passwords.hash(password);
  } finally {
    me.authenticating = false;
  }
  if (me.closed) return;
  const name = me.name;
  // A fresh history key: what guests saw under this name stays theirs; this session's lines come along.
  const historyKey = `${me.key}:${randomUUID()}`;
  if (!hub.accounts.register(name, secret, historyKey)) return reply({ action: 'register', status: 'refused', msg: `${name} is already registered` });
  hub.history.adopt(me.historyKey, historyKey, me.since);
  hub.scheduleFlush();
  me.historyKey = historyKey;
  me.account = hub.accounts.accountOf(me.key);
  hub.keeper.keepAll(me, hub.groups.of(me));
  hub.log.info('name registered', { name, front: me.front });
  reply({ action: 'register', status: 'ok', name, msg: `${name} is registered: from now on, logging in as ${name} takes your password` });
}
