import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait.js';
import type { Identity } from './accounts.js';
import { Hub } from './hub.js';
import { MemoryAccounts } from './memory-accounts.js';
import { MemoryHistory } from './memory-history.js';
import type { Session } from './session.js';
import type { Logger } from './log.js';
import { ScryptHasher } from './passwords.js';
import type { ServerEvent } from './protocol.js';
import { parseSonnets, SonnetBook } from './sonnets.js';

const logs: string[] = [];
const log = (msg: string, fields?: object): number => logs.push(`${msg} ${JSON.stringify(fields ?? {})}`);
const logger: Logger = { debug: log, info: log, warn: log, error: log };

let hub: Hub;
let history: MemoryHistory;
let accounts: MemoryAccounts;
let now: number;

beforeEach(() => {
  logs.length = 0;
  now = Date.UTC(2026, 0, 1);
  history = new MemoryHistory();
  accounts = new MemoryAccounts();
  hub = new Hub({
    history,
    accounts,
    sonnets: new SonnetBook(parseSonnets('I.\n\nx\n')),
    clock: { now: () => new Date(now) },
    log: logger,
    // A cheap cost keeps the suite fast; the cost is stored with each hash.
    passwords: new ScryptHasher({ logN: 10, r: 8, p: 1 }),
    loginLimits: { perName: { burst: 3, refillMs: 60_000 }, perAddress: { burst: 5, refillMs: 10_000 } },
  });
});

afterEach(async () => {
  await history.close();
  accounts.close();
});

interface User {
  session: Session;
  events: ServerEvent[];
  /** The next event of an action after those already taken (waits for asynchronous replies). */
  next(action: string): Promise<ServerEvent>;
}

function open(options: { identity?: Identity; address?: string } = {}): User {
  const events: ServerEvent[] = [];
  const session = hub.open({ front: 'test', deliver: (e) => events.push(e), ...options });
  let taken = 0;
  return {
    session,
    events,
    next: (action) =>
      waitFor(`a ${action} event`, () => {
        const at = events.findIndex((e, i) => i >= taken && e.action === action);
        if (at < 0) return undefined;
        taken = at + 1;
        return events[at];
      }),
  };
}

const discord = (id: string): Identity => ({ provider: 'discord', id });

async function guest(name: string, address = '10.0.0.1'): Promise<User> {
  const u = open({ address });
  u.session.dispatch({ action: 'login', name });
  expect(await u.next('login')).toMatchObject({ status: 'ok' });
  return u;
}

async function registered(name: string, password: string): Promise<void> {
  const u = await guest(name);
  u.session.dispatch({ action: 'register', password });
  expect(await u.next('register')).toMatchObject({ status: 'ok', name });
  u.session.close();
}

async function login(name: string, password: string, address = '10.0.0.2'): Promise<{ user: User; reply: ServerEvent }> {
  const user = open({ address });
  user.session.dispatch({ action: 'login', name, password });
  return { user, reply: await user.next('login') };
}

describe('login with an identity', () => {
  it('derives the name from the handle, binds it, and keeps it on the next login', () => {
    const a = open({ identity: discord('1') });
    a.session.dispatch({ action: 'login', name: 'john.doe' });
    expect(a.events).toEqual([{ action: 'login', status: 'ok', name: 'john_doe', registered: true }]);
    expect(a.session.name).toBe('john_doe');
    a.session.close();
    const again = open({ identity: discord('1') });
    again.session.dispatch({ action: 'login', name: 'renamed.later' });
    expect(again.session.name).toBe('john_doe');
  });

  it('gives a suffix when the derived name is owned, online, or has history of its own', async () => {
    const owner = open({ identity: discord('1') });
    owner.session.dispatch({ action: 'login', name: 'peter' });
    const online = open();
    online.session.dispatch({ action: 'login', name: 'peter2' });
    history.opened(1, 'adhoc', '#group-1');
    history.joined('peter3', 1, 0);
    await registered('peter4', 'a good password');
    const late = open({ identity: discord('2') });
    late.session.dispatch({ action: 'login', name: 'Peter' });
    expect(late.session.name).toBe('Peter5');
  });

  it('refuses a bound name to a session without that identity, even when its owner is offline', () => {
    const owner = open({ identity: discord('1') });
    owner.session.dispatch({ action: 'login', name: 'alice' });
    owner.session.close();
    const classic = open();
    classic.session.dispatch({ action: 'login', name: 'ALICE' });
    expect(classic.events).toEqual([{ action: 'login', status: 'duplicate', msg: 'this name is registered', credential: 'discord' }]);
    const withPassword = open();
    withPassword.session.dispatch({ action: 'login', name: 'alice', password: 'guessing it' });
    expect(withPassword.events).toEqual([{ action: 'login', status: 'duplicate', msg: 'this name is registered', credential: 'discord' }]);
    const other = open({ identity: discord('9') });
    other.session.dispatch({ action: 'login', name: 'alice' });
    expect(other.session.name).toBe('alice2');
  });

  it('answers duplicate when the same identity is already online', () => {
    open({ identity: discord('1') }).session.dispatch({ action: 'login', name: 'zed' });
    const twice = open({ identity: discord('1') });
    twice.session.dispatch({ action: 'login', name: 'zed' });
    expect(twice.events).toEqual([{ action: 'login', status: 'duplicate', msg: 'zed is already online' }]);
    expect(twice.session.name).toBeNull();
  });

  it('does not let a Discord user register a password', async () => {
    const a = open({ identity: discord('1') });
    a.session.dispatch({ action: 'login', name: 'zed' });
    a.session.dispatch({ action: 'register', password: 'a good password' });
    expect(await a.next('register')).toEqual({ action: 'register', status: 'refused', msg: 'zed belongs to your discord account and needs no password' });
  });
});

describe('register and log in with a password', () => {
  it('registers the guest name; from then on the name takes its password, online or not', async () => {
    const carol = await guest('Carol');
    carol.session.dispatch({ action: 'register', password: 'correct horse' });
    expect(await carol.next('register')).toEqual({
      action: 'register',
      status: 'ok',
      name: 'Carol',
      msg: 'Carol is registered: from now on, logging in as Carol takes your password',
    });
    expect(carol.session.name).toBe('Carol');
    const classic = open();
    classic.session.dispatch({ action: 'login', name: 'carol' });
    expect(classic.events).toEqual([{ action: 'login', status: 'duplicate', msg: 'this name is registered', credential: 'password' }]);
    const early = await login('carol', 'correct horse');
    expect(early.reply).toEqual({ action: 'login', status: 'duplicate', msg: 'Carol is already online' });
    carol.session.close();
    classic.session.dispatch({ action: 'login', name: 'CAROL' });
    expect(classic.events.at(-1)).toEqual({ action: 'login', status: 'duplicate', msg: 'this name is registered', credential: 'password' });
    const back = await login('CAROL', 'correct horse');
    expect(back.reply).toEqual({ action: 'login', status: 'ok', name: 'Carol', registered: true });
    expect(back.user.session.name).toBe('Carol');
  });

  it('answers a wrong password with denied, and the same connection may try again', async () => {
    await registered('dave', 'open sesame');
    const { user, reply } = await login('dave', 'open sesam');
    expect(reply).toEqual({ action: 'login', status: 'denied', msg: 'wrong password for dave' });
    expect(user.session.name).toBeNull();
    user.session.dispatch({ action: 'login', name: 'dave', password: 'open sesame' });
    expect(await user.next('login')).toMatchObject({ status: 'ok', name: 'dave' });
    expect(logs.filter((l) => l.startsWith('failed login'))).toEqual(['failed login {"name":"dave","front":"test","address":"10.0.0.2"}']);
  });

  it('logs a password for a name nobody registered in as a guest, and says so', async () => {
    const { reply } = await login('erin', 'whatever it is');
    expect(reply).toEqual({ action: 'login', status: 'ok', msg: 'erin is not registered: you are a guest (register to keep the name)' });
  });

  it('checks the password off the event loop: dispatch returns first, and the loop keeps turning', async () => {
    hub = new Hub({ history, accounts, sonnets: new SonnetBook(parseSonnets('I.\n\nx\n')), clock: { now: () => new Date() }, log: logger });
    await registered('fay', 'slow to check');
    const u = open();
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    u.session.dispatch({ action: 'login', name: 'fay', password: 'slow to check' });
    expect(u.events).toEqual([]);
    await u.next('login');
    clearInterval(ticker);
    expect(turns).toBeGreaterThan(0);
    expect(u.session.name).toBe('fay');
  });

  it('runs a second login on a connection after the first is checked, in order', async () => {
    await registered('gus', 'password one');
    const u = open();
    void u.session.dispatch({ action: 'login', name: 'gus', password: 'password one' });
    void u.session.dispatch({ action: 'login', name: 'gus', password: 'password one' });
    expect(await u.next('login')).toMatchObject({ status: 'ok' });
    expect(await u.next('error')).toEqual({ action: 'error', code: 'already-logged-in', msg: 'you are logged in as gus', for: 'login' });
  });

  it('says nothing to a session that closed while its password was checked, and keeps the name free', async () => {
    await registered('hal', 'password two');
    const u = open();
    u.session.dispatch({ action: 'login', name: 'hal', password: 'password two' });
    u.session.close();
    const { reply } = await login('hal', 'password two');
    expect(reply).toMatchObject({ status: 'ok' });
    expect(u.events).toEqual([]);
  });

  it('holds passwords to the rule, and refuses a second registration', async () => {
    const ivy = await guest('ivy');
    for (const [password, msg] of [
      ['short', 'a password has at least 8 characters'],
      [' padded password', 'a password may not start or end with a space'],
      ['tab\there!', 'a password may not hold control characters'],
      ['x'.repeat(129), 'a password has at most 128 characters'],
    ] as const) {
      ivy.session.dispatch({ action: 'register', password });
      expect(await ivy.next('register')).toEqual({ action: 'register', status: 'invalid', msg });
    }
    ivy.session.dispatch({ action: 'register', password: 'long enough' });
    expect(await ivy.next('register')).toMatchObject({ status: 'ok' });
    ivy.session.dispatch({ action: 'register', password: 'another one' });
    expect(await ivy.next('register')).toEqual({ action: 'register', status: 'refused', msg: 'ivy is already registered, and you are logged in to it' });
  });

  it('proves an account before logging in (SASL): the login then takes the account name', async () => {
    await registered('jo', 'password three');
    const u = open();
    expect(await u.session.authenticate('nobody', 'x')).toEqual({ ok: false, status: 'unknown', msg: 'nobody is not registered' });
    expect(await u.session.authenticate('JO', 'wrong one')).toEqual({ ok: false, status: 'denied', msg: 'wrong password for jo' });
    expect(await u.session.authenticate('JO', 'password three')).toEqual({ ok: true, name: 'jo' });
    u.session.dispatch({ action: 'login', name: 'someone-else' });
    expect(u.events).toEqual([{ action: 'login', status: 'ok', name: 'jo', registered: true }]);
    expect(await u.session.authenticate('jo', 'password three')).toMatchObject({ ok: false, status: 'busy' });
  });

  it('never writes a password into a log line or a reply', async () => {
    await registered('kim', 'secret-kim-1');
    await login('kim', 'secret-kim-2');
    await login('kim', 'secret-kim-1');
    await login('nobody', 'secret-kim-3');
    const u = await guest('lee');
    u.session.dispatch({ action: 'register', password: 'secret-kim-4' });
    await u.next('register');
    const all = [...logs, JSON.stringify(u.events)].join('\n');
    expect(all).not.toMatch(/secret-kim/);
  });
});

describe('brute force', () => {
  it('limits failures per name: then even the right password is refused, with when to retry', async () => {
    await registered('mia', 'the right one');
    for (let i = 0; i < 3; i++) expect((await login('mia', `wrong ${i}`, `10.0.1.${i}`)).reply).toMatchObject({ status: 'denied' });
    const limited = await login('MIA', 'the right one', '10.0.2.1');
    expect(limited.reply).toEqual({ action: 'login', status: 'limited', msg: 'too many failed logins for mia: try again in 60 s', retryAfter: 60 });
    now += 30_000;
    expect((await login('mia', 'the right one')).reply).toMatchObject({ retryAfter: 30 });
    now += 30_000;
    expect((await login('mia', 'wrong again')).reply).toMatchObject({ status: 'denied' });
    expect((await login('mia', 'the right one')).reply).toMatchObject({ status: 'limited' });
    now += 60_000;
    expect((await login('mia', 'the right one')).reply).toMatchObject({ status: 'ok' });
  });

  it('never slows the right password: successes use up no budget', async () => {
    await registered('ned', 'the right one');
    for (let i = 0; i < 10; i++) {
      const { user, reply } = await login('ned', 'the right one', '10.0.0.9');
      expect(reply).toMatchObject({ status: 'ok' });
      user.session.close();
    }
  });

  it('limits failures per address across names, and other addresses are not affected', async () => {
    for (const name of ['oda', 'pia', 'quin']) await registered(name, 'the right one');
    const tries = ['oda', 'oda', 'pia', 'pia', 'quin'];
    for (const name of tries) expect((await login(name, 'wrong', '192.0.2.7')).reply).toMatchObject({ status: 'denied' });
    expect((await login('quin', 'the right one', '::ffff:192.0.2.7')).reply).toEqual({
      action: 'login',
      status: 'limited',
      msg: 'too many failed logins for quin: try again in 10 s',
      retryAfter: 10,
    });
    expect((await login('quin', 'the right one', '192.0.2.8')).reply).toMatchObject({ status: 'ok' });
  });

  it('counts attempts in flight, so a burst cannot outrun the checks', async () => {
    await registered('ros', 'the right one');
    const users = [0, 1, 2, 3, 4].map(() => open({ address: '10.9.9.9' }));
    for (const u of users) u.session.dispatch({ action: 'login', name: 'ros', password: 'wrong' });
    const replies = await Promise.all(users.map((u) => u.next('login')));
    expect(replies.map((r) => (r as { status: string }).status).sort()).toEqual(['denied', 'denied', 'denied', 'limited', 'limited']);
  });
});

describe('history belongs to the account', () => {
  const search = async (u: User, term: string): Promise<string[]> => {
    u.session.dispatch({ action: 'search', target: term });
    const reply = (await u.next('search')) as Extract<ServerEvent, { action: 'search' }>;
    return reply.matches.map((m) => m.message);
  };

  it('keeps guests and the account that registers their name apart, both ways', async () => {
    const bob = await guest('bob');
    const first = await guest('sam');
    first.session.dispatch({ action: 'connect', target: 'bob' });
    first.session.dispatch({ action: 'exchange', message: 'secret of the first guest' });
    first.session.close();

    const second = await guest('sam');
    expect(await search(second, 'secret')).toEqual(['secret of the first guest']);
    second.session.dispatch({ action: 'connect', target: 'bob' });
    second.session.dispatch({ action: 'exchange', message: 'secret before registering' });
    second.session.dispatch({ action: 'register', password: 'sams password' });
    await second.next('register');
    expect(await search(second, 'secret')).toEqual(['secret before registering']);
    second.session.dispatch({ action: 'exchange', message: 'secret after registering' });
    bob.session.dispatch({ action: 'exchange', message: 'secret from bob' });
    second.session.close();

    const owner = (await login('sam', 'sams password')).user;
    expect(await search(owner, 'secret')).toEqual(['secret before registering', 'secret after registering', 'secret from bob']);
    expect(await search(bob, 'secret')).toEqual(['secret of the first guest', 'secret before registering', 'secret after registering', 'secret from bob']);
  });
});
