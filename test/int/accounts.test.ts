/**
 * Registered names on every front, over real sockets: the native protocol (the classic client
 * word for word), the WebSocket, IRC through PASS (raw lines) and SASL (irc-framework); history
 * that belongs to the account; failed logins limited per name and per address across fronts;
 * and no password in any log line, reply or metric.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { FrameworkClient } from '../helpers/irc-framework-client.js';
import { RawIrc } from '../helpers/irc-raw.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { WsClient } from '../helpers/ws-client.js';

let srv: TestServer;
const open: { close(): void }[] = [];

/** The cheapest cost the config allows keeps the suite fast; one test runs the default. */
async function start(env: Record<string, string> = {}): Promise<void> {
  srv = await startTestServer({ FRONTS: 'tcp,irc,web', PASSWORD_COST: '12', ...env });
}

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await srv.destroy();
});

function track<T extends { close(): void }>(c: T): T {
  open.push(c);
  return c;
}

async function tcpOpen(): Promise<ClassicClient> {
  return track(await ClassicClient.open(srv.tcpPort));
}

async function tcp(name: string): Promise<ClassicClient> {
  return track(await ClassicClient.login(srv.tcpPort, name));
}

async function web(): Promise<WsClient> {
  return track(await WsClient.open(srv.webPort));
}

let watchers = 0;

/** Returns once the hub no longer lists `name` (its connection's close has been handled). */
async function offline(name: string): Promise<void> {
  const watcher = await tcp(`watcher${++watchers}`);
  for (const deadline = Date.now() + 5000; ; ) {
    watcher.send({ action: 'list' });
    const users = (await watcher.next('list'))['users'] as { name: string }[];
    if (!users.some((u) => u.name.toLowerCase() === name.toLowerCase())) return;
    if (Date.now() > deadline) throw new Error(`${name} stayed online`);
  }
}

/** Logs in as a guest over TCP and registers the name. */
async function registerOverTcp(name: string, password: string): Promise<ClassicClient> {
  const c = await tcp(name);
  c.send({ action: 'register', password });
  expect(await c.next('register')).toMatchObject({ status: 'ok', name });
  return c;
}

async function searchTcp(c: ClassicClient | WsClient, term: string): Promise<string[]> {
  c.send({ action: 'search', target: term });
  const reply = await c.next('search');
  return (reply['matches'] as { message: string }[]).map((m) => m.message);
}

describe('registered names on every front', () => {
  it('refuses the classic client a registered name word for word, and it may pick another', async () => {
    await start();
    const owner = await registerOverTcp('alice', 'alices garden');
    const classic = await tcpOpen();
    classic.send({ action: 'login', name: 'alice' });
    expect(await classic.nextRaw()).toBe('{"action": "login", "status": "duplicate", "msg": "this name is registered", "credential": "password"}');
    owner.close();
    await offline('alice');
    classic.send({ action: 'login', name: 'ALICE' });
    expect(await classic.next('login')).toEqual({ action: 'login', status: 'duplicate', msg: 'this name is registered', credential: 'password' });
    classic.send({ action: 'login', name: 'alicia' });
    expect(await classic.next('login')).toEqual({ action: 'login', status: 'ok' });
  });

  it('takes one password on the native front, the WebSocket, IRC PASS and IRC SASL', async () => {
    await start();
    const ws = await web();
    ws.send({ action: 'login', name: 'Bea', features: ['events'] });
    await ws.next('login');
    ws.send({ action: 'register', password: 'bees knees' });
    expect(await ws.next('register')).toEqual({ action: 'register', status: 'ok', name: 'Bea', msg: 'Bea is registered: from now on, logging in as Bea takes your password' });
    ws.close();
    await offline('bea');

    const native = await tcpOpen();
    native.send({ action: 'login', name: 'bea', password: 'bees knees' });
    expect(await native.next('login')).toEqual({ action: 'login', status: 'ok', name: 'Bea', registered: true });
    native.close();
    await offline('bea');

    const pass = track(await RawIrc.open(srv.ircPort));
    pass.send('PASS :bees knees', 'NICK bea', 'USER bea 0 * :Bea');
    expect(await pass.expect(/ 900 /)).toBe(':ics-chat.local 900 * Bea!bea@irc Bea :You are now logged in as Bea');
    expect(await pass.expect(/ 001 /)).toMatch(/^:ics-chat\.local 001 Bea :Welcome/);
    pass.send('QUIT');
    await offline('bea');

    const sasl = track(await FrameworkClient.connect(srv.ircPort, 'someone', { account: 'bea', password: 'bees knees' }));
    expect(sasl.client.user.nick).toBe('Bea');
    expect(await sasl.next('loggedin')).toMatchObject({ account: 'Bea' });
    expect(sasl.client.network.cap.enabled).toContain('sasl');
  });

  it('answers a wrong password on each front: denied natively, 464 for PASS, 904 for SASL', async () => {
    await start();
    await registerOverTcp('cy', 'cys password');
    const native = await tcpOpen();
    native.send({ action: 'login', name: 'cy', password: 'not cys' });
    expect(await native.next('login')).toEqual({ action: 'login', status: 'denied', msg: 'wrong password for cy' });
    const ws = await web();
    ws.send({ action: 'login', name: 'cy', password: 'not cys either' });
    expect(await ws.next('login')).toEqual({ action: 'login', status: 'denied', msg: 'wrong password for cy' });
    ws.send({ action: 'login', name: 'cyan' });
    expect(await ws.next('login')).toEqual({ action: 'login', status: 'ok' });

    const pass = track(await RawIrc.open(srv.ircPort));
    pass.send('PASS nope-nope', 'NICK cy', 'USER cy 0 * :Cy');
    expect(await pass.expect(/ 464 /)).toBe(':ics-chat.local 464 * :Password incorrect');
    expect(await pass.expect(/^ERROR /)).toBe('ERROR :Closing Link: cy (wrong password for cy)');
    await pass.waitClosed();

    const sasl = track(FrameworkClient.start(srv.ircPort, 'cy', { account: 'cy', password: 'still not it' }));
    expect(await sasl.next('sasl failed')).toMatchObject({ reason: 'fail' });
    expect(await sasl.next('nick in use')).toMatchObject({ nick: 'cy' });
  });

  it('keeps history with the account across fronts: not the guests\' before it, and no guest after it', async () => {
    await start();
    const bob = await tcp('bob');
    const guest = await tcp('dot');
    guest.send({ action: 'connect', target: 'bob' });
    await bob.next('connect');
    guest.send({ action: 'exchange', message: 'daffodils said by an earlier guest' });
    await bob.next('exchange');
    guest.close();
    await bob.next('disconnect');

    const ws = await web();
    ws.send({ action: 'login', name: 'dot', features: ['events'] });
    await ws.next('login');
    expect(await searchTcp(ws, 'daffodils')).toEqual(['daffodils said by an earlier guest']);
    ws.send({ action: 'connect', target: 'bob' });
    await bob.next('connect');
    ws.send({ action: 'exchange', message: 'daffodils before registering' });
    await bob.next('exchange');
    ws.send({ action: 'register', password: 'dots password' });
    await ws.next('register');
    ws.send({ action: 'exchange', message: 'daffodils after registering' });
    await bob.next('exchange');
    bob.send({ action: 'exchange', from: '[bob]', message: 'daffodils from bob' });
    await ws.next('exchange');
    expect(await searchTcp(ws, 'daffodils')).toEqual(['daffodils before registering', 'daffodils after registering', 'daffodils from bob']);
    ws.close();
    await bob.next('disconnect');

    const impostor = await tcpOpen();
    impostor.send({ action: 'login', name: 'dot' });
    expect(await impostor.next('login')).toMatchObject({ status: 'duplicate', credential: 'password' });

    const owner = track(await FrameworkClient.connect(srv.ircPort, 'dot', { account: 'dot', password: 'dots password' }));
    await owner.fromService(/^Hi dot!/);
    owner.client.say('ics', '? daffodils');
    await owner.fromService(/daffodils from bob$/);
    const found = owner.serviceLines().join('\n');
    expect(found).toContain('dot : daffodils before registering');
    expect(found).toContain('dot : daffodils after registering');
    expect(found).not.toContain('earlier guest');
    expect(await searchTcp(bob, 'daffodils')).toHaveLength(4);
  });

  it('limits failed logins per address across fronts, refuses even the right password meanwhile, and says when to retry', async () => {
    await start({ LOGIN_FAILURES_PER_ADDRESS: '3', LOGIN_FAILURES_PER_NAME: '100' });
    await registerOverTcp('eli', 'elis password');
    const native = await tcpOpen();
    native.send({ action: 'login', name: 'eli', password: 'guess one' });
    expect(await native.next('login')).toMatchObject({ status: 'denied' });
    const ws = await web();
    ws.send({ action: 'login', name: 'eli', password: 'guess two' });
    expect(await ws.next('login')).toMatchObject({ status: 'denied' });
    const sasl = track(FrameworkClient.start(srv.ircPort, 'guesser', { account: 'eli', password: 'guess three' }));
    await sasl.next('sasl failed');

    native.send({ action: 'login', name: 'eli', password: 'elis password' });
    const limited = await native.next('login');
    expect(limited).toMatchObject({ action: 'login', status: 'limited', msg: expect.stringMatching(/^too many failed logins for eli: try again in (99|100) s$/) });
    expect(limited['retryAfter']).toBeGreaterThanOrEqual(99);
    ws.send({ action: 'login', name: 'eli', password: 'elis password' });
    expect(await ws.next('login')).toMatchObject({ status: 'limited' });
    const pass = track(await RawIrc.open(srv.ircPort));
    pass.send('PASS :elis password', 'NICK eli', 'USER eli 0 * :Eli');
    expect(await pass.expect(/ 464 /)).toMatch(/^:ics-chat\.local 464 \* :Password incorrect: too many failed logins for eli: try again in (99|100) s$/);
    expect(srv.logs.filter((l) => l.includes('failed login')).length).toBe(3);
    expect(srv.logs.filter((l) => l.includes('login refused: too many failures')).map((l) => l.replace(/^\S+ /, ''))).toEqual([
      'INFO login refused: too many failures name=eli front=tcp address=127.0.0.1',
      'INFO login refused: too many failures name=eli front=web address=127.0.0.1',
      'INFO login refused: too many failures name=eli front=irc address=127.0.0.1',
    ]);
  });

  it('never writes a password into a log line, a reply, an error or a metric', async () => {
    await start();
    const marker = 'Zebra-Quokka';
    const seen: string[] = [];
    const owner = await registerOverTcp('fox', `${marker} 1`);
    owner.close();
    await offline('fox');
    const native = await tcpOpen();
    for (const attempt of [`${marker} 2`, `${marker} 1`]) {
      native.send({ action: 'login', name: 'fox', password: attempt });
      await native.next('login');
    }
    native.send({ action: 'login', name: 'nobody', password: `${marker} 3` });
    native.send({ action: 'register', password: `${marker} ${'x'.repeat(300)}` });
    native.send({ action: 'register', password: 42 });
    await native.sync();
    seen.push(...native.raw);
    const ws = await web();
    ws.send({ action: 'login', name: 'gil', password: `${marker} 4` });
    ws.send({ action: 'register', password: `${marker}\n5` });
    ws.send({ action: 'register', password: `${marker} 6` });
    await ws.next('register');
    await ws.next('register');
    seen.push(JSON.stringify(ws.events));
    const pass = track(await RawIrc.open(srv.ircPort));
    pass.send(`PASS :${marker} 7`, 'NICK fox', 'USER fox 0 * :Fox');
    await pass.waitClosed();
    const irc = track(await RawIrc.register(srv.ircPort, 'hal'));
    irc.send(`PRIVMSG ics :register ${marker} 8`);
    await irc.expect(/is registered/);
    seen.push(...pass.lines, ...irc.lines);
    const metrics = await (await fetch(`http://127.0.0.1:${srv.webPort}/metrics`)).text();
    expect(metrics).toContain('ics_chat_logins_total{front="tcp",outcome="wrong-password"} 1');
    expect(metrics).toContain('ics_chat_logins_total{front="tcp",outcome="ok"} 1');
    expect(metrics).toContain('ics_chat_logins_total{front="irc",outcome="wrong-password"} 1');
    const frames = seen.join('\n');
    expect(frames).toContain('wrong password for fox');
    expect(frames).toContain('must be a string of at most 256 characters');
    for (const text of [...srv.logs, frames, metrics]) expect(text).not.toContain(marker);
  });

  it('checks a password without holding anyone up (the default cost, off the event loop)', async () => {
    srv = await startTestServer({ FRONTS: 'tcp' });
    const owner = await registerOverTcp('ivy', 'ivys password');
    owner.close();
    await offline('ivy');
    const other = await tcp('jon');
    const ivy = await tcpOpen();
    ivy.send({ action: 'login', name: 'ivy', password: 'ivys password' });
    other.send({ action: 'ping', message: 'are you there' });
    await other.next('pong');
    expect(ivy.frames).toEqual([]);
    expect(await ivy.next('login')).toEqual({ action: 'login', status: 'ok', name: 'ivy', registered: true });
  });
});
