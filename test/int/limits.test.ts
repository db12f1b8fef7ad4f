/**
 * Limits and fairness over real sockets: a rate limit on every front that answers what it
 * refuses (never a silent drop); the connection caps the native, IRC and web fronts share, with
 * the reason in each protocol; and the time a connection may take to log in (long on the native
 * front, whose course client cannot take being closed at its name prompt).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TOO_FAST } from '../../src/bridges/discord/pace.js';
import { ClassicClient, classicFrame, dumps, type Frame } from '../helpers/classic-client.js';
import { startDiscordTest, type DiscordTest } from '../helpers/discord.js';
import { RawIrc } from '../helpers/irc-raw.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { WsClient } from '../helpers/ws-client.js';

let srv: TestServer | null = null;
let discord: DiscordTest | null = null;
const closers: (() => void)[] = [];

async function start(env: Record<string, string>): Promise<TestServer> {
  srv = await startTestServer({ FRONTS: 'tcp,irc,web', ...env });
  return srv;
}

function track<T extends { close(): void }>(client: T): T {
  closers.push(() => client.close());
  return client;
}

afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await srv?.destroy();
  srv = null;
  await discord?.close();
  discord = null;
});

/** An event as `action detail`, to compare sequences at a glance. */
function summary(f: Frame): string {
  if (f.action === 'error') return `error ${String(f['code'])} ${String(f['for'] ?? '')}`.trim();
  if (f.action === 'pong') return `pong ${String(f['message'])}`;
  return `${f.action} ${String(f['status'] ?? '')}`.trim();
}

const connections = () => srv!.server.status.health().report.connections;

/** A burst of 3, then 10 a second, 2 more waiting. */
const PACED = { FLOOD_BURST: '3', FLOOD_RATE: '10', FLOOD_QUEUE: '2' };

describe('rate limits', () => {
  it('native: a burst runs at once, a few requests wait their turn, each one beyond is refused with rate-limited', async () => {
    await start(PACED);
    const c = track(await ClassicClient.open(srv!.tcpPort));
    const pings = Array.from({ length: 8 }, (_, i) => dumps({ action: 'ping', message: `p${i + 1}` }));
    c.write(Buffer.concat([dumps({ action: 'login', name: 'alice' }), ...pings].map(classicFrame)));
    await waitFor('an answer to every request', () => c.frames.length >= 9);
    expect(c.frames.map(summary)).toEqual([
      'login ok',
      'pong p1',
      'pong p2',
      ...Array<string>(4).fill('error rate-limited ping'),
      'pong p3',
      'pong p4',
    ]);
    expect(c.frames[3]!['msg']).toBe('you are sending too fast: your ping request was dropped; wait a moment and send it again');
  });

  it('web: the same, and a refused chat line is named in the refusal', async () => {
    // Messages may arrive in several reads: a slow refill keeps a pause between them from adding a token.
    await start({ ...PACED, FLOOD_RATE: '2' });
    const w = track(await WsClient.open(srv!.webPort));
    w.send({ action: 'login', name: 'wendy' });
    for (let i = 1; i <= 5; i++) w.send({ action: 'ping', message: `p${i}` });
    w.send({ action: 'exchange', message: 'hello there, this line is long enough to be cut short in the refusal' });
    await waitFor('an answer to every request', () => w.events.length >= 7);
    expect(w.events.map(summary)).toEqual(['login ok', 'pong p1', 'pong p2', 'error rate-limited ping', 'error rate-limited exchange', 'pong p3', 'pong p4']);
    expect(w.events[4]!['msg']).toBe(
      'you are sending too fast: your line "hello there, this line is long enough to..." was dropped; wait a moment and send it again',
    );
  });

  it('Discord: per Discord user, every refused message answered (one reply for a run), every refused slash command too', async () => {
    discord = await startDiscordTest({ env: { FLOOD_BURST: '2', FLOOD_RATE: '1' } });
    const { fake } = discord;
    const ann = fake.user('ann');
    const asked = Array.from({ length: 10 }, () => fake.say(ann, fake.general.id, 'time'));
    const replies = () => fake.messages.filter((m) => m.via === 'bot' && asked.includes(m.replyTo ?? ''));
    const refusedIn = (text: string): number => {
      const m = /^You are sending too fast: (that message was|(\d+) messages were) dropped\. Wait a moment and send again\.$/.exec(text);
      return m ? Number(m[2] ?? 1) : 0;
    };
    const answered = () => replies().filter((r) => r.content.startsWith('Time is: ')).length;
    const refused = () => replies().reduce((n, r) => n + refusedIn(r.content), 0);
    await waitFor('an answer for every message', () => answered() + refused() === 10, 10_000);
    expect(answered()).toBeGreaterThanOrEqual(2);
    expect(refused()).toBeGreaterThanOrEqual(3);
    expect(replies().every((r) => r.content.startsWith('Time is: ') || refusedIn(r.content) > 0)).toBe(true);

    const slashes = Array.from({ length: 5 }, () => fake.slash(ann, fake.general, 'time'));
    for (const s of slashes) await fake.responses(s);
    const first = slashes.map((s) => s.responses[0]!);
    expect(first.filter((r) => r.content === TOO_FAST && r.ephemeral).length).toBeGreaterThanOrEqual(2);
    expect(first.every((r) => r.content === TOO_FAST || r.content.startsWith('Time is: '))).toBe(true);
  });
});

describe('connection caps', () => {
  it('count every front against one cap per address, and tell the refused peer why in its protocol', async () => {
    await start({ MAX_CONNECTIONS_PER_ADDRESS: '2' });
    const tina = track(await ClassicClient.login(srv!.tcpPort, 'tina'));
    track(await RawIrc.register(srv!.ircPort, 'ivan'));
    const why = /^too many connections from your address \(2\); close some and try again$/;

    const tcp = track(await ClassicClient.open(srv!.tcpPort));
    expect(await tcp.next('error')).toEqual({ action: 'error', code: 'server-full', msg: expect.stringMatching(why) });
    await tcp.waitClosed();
    const irc = track(await RawIrc.open(srv!.ircPort));
    expect(await irc.expect(/^ERROR /)).toBe('ERROR :Closing Link: * (too many connections from your address (2); close some and try again)');
    await irc.waitClosed();
    const web = track(await WsClient.open(srv!.webPort));
    await web.waitClosed();
    expect([web.closeCode, web.closeReason]).toEqual([1013, expect.stringMatching(why)]);
    expect(connections()).toEqual({ open: 2, pending: 0 });

    tina.socket.destroy();
    await waitFor('the closed connection to leave the count', () => connections().open === 1);
    track(await WsClient.login(srv!.webPort, 'wendy'));
  });

  it('cap the connections that have not logged in yet: the oldest native one gives its place up, IRC and web ones never; logging in frees a place', async () => {
    await start({ MAX_PENDING_LOGINS: '3' });
    const oldest = track(await ClassicClient.open(srv!.tcpPort));
    const older = track(await ClassicClient.open(srv!.tcpPort));
    track(await RawIrc.open(srv!.ircPort));
    await waitFor('three connections waiting to log in', () => connections().pending === 3);
    track(await WsClient.open(srv!.webPort));
    expect(await oldest.next('error')).toEqual({
      action: 'error',
      code: 'login-timeout',
      msg: 'too many connections are waiting to log in and this one has waited longest; closing the connection',
    });
    await oldest.waitClosed();
    const newest = track(await ClassicClient.open(srv!.tcpPort));
    expect(await older.next('error')).toMatchObject({ code: 'login-timeout' });
    await older.waitClosed();
    newest.send({ action: 'login', name: 'tina' });
    expect(await newest.next('login')).toMatchObject({ status: 'ok' });
    track(await RawIrc.open(srv!.ircPort));
    await waitFor('the IRC connection to take the freed place', () => connections().pending === 3);
    const refused = track(await WsClient.open(srv!.webPort));
    await refused.waitClosed();
    expect([refused.closeCode, refused.closeReason]).toEqual([1013, 'too many connections are waiting to log in; try again in a moment']);
    await waitFor('the closed native connections to leave the count', () => connections().open === 4);
    expect(connections()).toEqual({ open: 4, pending: 3 });
    expect(newest.closed).toBe(false);
  });

  it('cap the connections of the whole server', async () => {
    await start({ MAX_CONNECTIONS: '1' });
    track(await WsClient.login(srv!.webPort, 'wendy'));
    const tcp = track(await ClassicClient.open(srv!.tcpPort));
    expect(await tcp.next('error')).toMatchObject({ code: 'server-full', msg: 'the server has no room for more connections (1); try again later' });
    await tcp.waitClosed();
  });

  it('close a connection that does not log in in time, on every front (the native one after its own, longer time), and only those', async () => {
    // Long enough that the member's login certainly beats them, however busy the machine.
    await start({ LOGIN_TIMEOUT_MS: '3000', CHAT_LOGIN_TIMEOUT_MS: '8000' });
    const member = track(await ClassicClient.login(srv!.tcpPort, 'alice'));
    const tcp = track(await ClassicClient.open(srv!.tcpPort));
    const irc = track(await RawIrc.open(srv!.ircPort));
    irc.send('NICK slow');
    const web = track(await WsClient.open(srv!.webPort));

    expect(await irc.expect(/^ERROR /, 20_000)).toBe('ERROR :Closing Link: slow (Registration timed out: log in within 3 seconds of connecting)');
    await irc.waitClosed();
    await web.waitClosed(20_000);
    expect([web.closeCode, web.closeReason]).toEqual([4408, 'log in within 3 seconds of connecting']);
    // Past the IRC and web deadline, the native connection still answers at its name prompt.
    tcp.send({ action: 'time' });
    expect(await tcp.next('error')).toMatchObject({ code: 'not-logged-in' });

    expect(await tcp.next('error', 20_000)).toEqual({ action: 'error', code: 'login-timeout', msg: 'log in within 8 seconds of connecting; closing the connection' });
    await tcp.waitClosed();
    await member.sync();
    expect(member.closed).toBe(false);
    await waitFor('only the member to be counted', () => connections().open === 1 && connections().pending === 0);
  });

  it('count a login whose password is checked asynchronously as a login, on IRC and natively', async () => {
    // The password checks (scrypt on the thread pool) finish well within the login time on a busy machine.
    await start({ LOGIN_TIMEOUT_MS: '5000', CHAT_LOGIN_TIMEOUT_MS: '5000', PASSWORD_COST: '12' });
    const owner = await ClassicClient.login(srv!.tcpPort, 'bea');
    owner.send({ action: 'register', password: 'bees knees' });
    expect(await owner.next('register')).toMatchObject({ status: 'ok' });
    owner.socket.destroy();
    await waitFor('bea to go offline', () => srv!.server.status.health().report.users === 0);

    const irc = track(await RawIrc.open(srv!.ircPort));
    irc.send('PASS :bees knees', 'NICK bea', 'USER bea 0 * :Bea');
    await irc.expect(/ 001 bea /);
    const tcp = track(await ClassicClient.open(srv!.tcpPort));
    tcp.send({ action: 'login', name: 'cy' });
    await tcp.next('login');
    tcp.send({ action: 'register', password: 'cys password' });
    await tcp.next('register');
    const again = track(await ClassicClient.open(srv!.tcpPort));
    tcp.close();
    await waitFor('cy to go offline', () => srv!.server.status.health().report.users === 1);
    again.send({ action: 'login', name: 'cy', password: 'cys password' });
    expect(await again.next('login')).toMatchObject({ status: 'ok', registered: true });

    // Opened last, so when its time is up the others' is too.
    const clock = track(await ClassicClient.open(srv!.tcpPort));
    expect(await clock.next('error', 20_000)).toMatchObject({ code: 'login-timeout' });
    await irc.sync();
    await again.sync();
    expect([irc.closed, again.closed]).toEqual([false, false]);
    expect(connections()).toMatchObject({ pending: 0 });
  });
});
