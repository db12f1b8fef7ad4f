/**
 * A graceful restart of the real server process: on SIGTERM every user on every front hears that
 * the server is restarting before their connection closes, the ports refuse newcomers, what was
 * said is kept, and the process exits 0 within its bound even when a client does not read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RESTART_MSG } from '../../src/core/classic.js';
import { FakeDiscord } from '../fakes/discord/fake-discord.js';
import { ClassicClient, classicFrame, dumps } from '../helpers/classic-client.js';
import { discordEnv } from '../helpers/discord.js';
import { RawIrc } from '../helpers/irc-raw.js';
import { Proc } from '../helpers/process.js';
import { ROOT } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { WsClient } from '../helpers/ws-client.js';

/** main.ts's own deadline: a shutdown that reaches it exits 1. */
const SHUTDOWN_DEADLINE_MS = 10_000;

const dirs: string[] = [];
const procs: Proc[] = [];
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) p.kill();
  for (const close of closers.splice(0)) await close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ics-shutdown-'));
  dirs.push(dir);
  return dir;
}

function server(dir: string, env: Record<string, string>): Proc {
  const p = new Proc(process.execPath, [`${ROOT}dist/server/main.js`], { CHAT_HOST: '127.0.0.1', CHAT_PORT: '0', IRC_PORT: '0', WEB_PORT: '0', DATA_DIR: dir, FRONTS: 'tcp', ...env }, ROOT);
  procs.push(p);
  return p;
}

/** The port a front logged that it listens on. */
async function portOf(p: Proc, front: string): Promise<number> {
  const line = await waitFor(`the ${front} front to listen`, () => new RegExp(`${front} front listening on (?:http://)?127\\.0\\.0\\.1:(\\d+)`).exec(p.out), 15_000);
  return Number(line[1]);
}

/** Whether a TCP connection to the port is refused (rather than accepted). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

it('tells every user on every front before closing, keeps what was said, and exits 0', async () => {
  const fake = await FakeDiscord.start();
  closers.push(() => fake.close());
  const dave = fake.user('dave');
  const dir = dataDir();
  const p = server(dir, discordEnv(fake, { FRONTS: 'tcp,irc,web,discord' }));
  const [tcpPort, ircPort, webPort] = [await portOf(p, 'tcp'), await portOf(p, 'irc'), await portOf(p, 'web')];
  await p.expectOut('discord front connected as', 15_000);
  await fake.request('the slash command registration', (r) => r.method === 'PUT' && r.path.endsWith('/commands'), 10_000);

  // alice (the classic protocol, as the course's client speaks it), bob (IRC), carol (web) and dave (Discord) in one group.
  const alice = await ClassicClient.login(tcpPort, 'alice');
  closers.push(() => alice.socket.destroy());
  const bob = await RawIrc.register(ircPort, 'bob');
  closers.push(() => bob.close());
  const carol = await WsClient.login(webPort, 'carol');
  closers.push(() => carol.close());
  alice.send({ action: 'connect', target: 'bob' });
  const group = Number((await alice.next('connect'))['group']);
  const channel = `#group-${group}`;
  await bob.expect(new RegExp(`JOIN :?${channel}$`));
  carol.send({ action: 'connect', target: 'bob' });
  expect(await carol.next('connect')).toMatchObject({ status: 'success', group });
  fake.say(dave, fake.general.id, 'c alice');
  const thread = await waitFor('the group thread', () => fake.threads()[0], 10_000);
  await alice.nextWhere('dave joining', (f) => f.action === 'connect' && f['from'] === 'dave', 10_000);
  await waitFor('dave in the thread', () => thread.members.has(dave.id), 10_000);

  // Each says a line; each line has reached the others (so the hub has it) before the signal.
  alice.send({ action: 'exchange', from: '[alice]', message: 'said on tcp' });
  bob.send(`PRIVMSG ${channel} :said on irc`);
  carol.send({ action: 'exchange', message: 'said on the web' });
  fake.say(dave, thread.id, 'said on discord');
  await waitFor('every line at alice', () => ['irc', 'the web', 'discord'].every((f) => alice.frames.some((x) => x['message'] === `said on ${f}`)), 10_000);
  await bob.expect(/PRIVMSG \S+ :said on tcp$/);
  await carol.nextWhere('the tcp line', (e) => e['message'] === 'said on tcp');

  const signalled = Date.now();
  p.child.kill('SIGTERM');

  // The classic client gets a new action with `from` and `message`, so, chatting, it prints the line; then the close.
  await waitFor('the restart notice at alice', () => alice.frames.some((f) => f.action === 'restart'));
  // The ports are closed before anyone is told.
  expect(await refused(tcpPort)).toBe(true);
  expect(await refused(ircPort)).toBe(true);
  expect(await refused(webPort)).toBe(true);
  await alice.waitClosed();
  expect(alice.frames.at(-1)).toEqual({ action: 'restart', from: '', message: RESTART_MSG });
  expect(alice.raw.at(-1)).toBe(`{"action": "restart", "from": "", "message": "${RESTART_MSG}"}`);

  // IRC: a NOTICE from the service, then ERROR, then the close, as IRC servers do.
  await bob.waitClosed();
  const last = bob.lines.slice(-2);
  expect(last[0]).toBe(`:ics!ics@ics-chat.local NOTICE bob :${RESTART_MSG}`);
  expect(last[1]).toBe('ERROR :Closing Link: bob (Server restarting)');

  // The web: the event, then close code 1001 (going away) with the reason.
  await carol.waitClosed();
  expect(carol.events.at(-1)).toEqual({ action: 'restart', from: '', message: RESTART_MSG });
  expect(carol.closeCode).toBe(1001);
  expect(carol.closeReason).toBe('the server is restarting');

  expect(await p.exited(SHUTDOWN_DEADLINE_MS + 5000)).toBe(0);
  expect(Date.now() - signalled).toBeLessThan(SHUTDOWN_DEADLINE_MS);
  // Discord: the group's thread is told once (not once per member), and archived.
  const told = fake.postedIn(thread.id).filter((m) => m.content.includes('The chat server is restarting'));
  expect(told.map((m) => m.content)).toEqual(['The chat server is restarting; it will be back in a moment. This thread is closed.']);
  expect(thread.archived).toBe(true);

  // After the restart every line is in alice's history.
  const again = server(dir, { FRONTS: 'tcp', CHAT_PORT: String(tcpPort) });
  await portOf(again, 'tcp');
  const back = await ClassicClient.login(tcpPort, 'alice');
  closers.push(() => back.socket.destroy());
  back.send({ action: 'search', target: 'said' });
  const found = String((await back.next('search'))['results']);
  for (const where of ['tcp', 'irc', 'the web', 'discord']) expect(found).toContain(`: said on ${where}`);
  again.child.kill('SIGTERM');
  expect(await again.exited()).toBe(0);
}, 60_000);

it('does not wait past its bound for a client that never reads, and refuses newcomers meanwhile', async () => {
  // Generous limits, so the idle client's unread replies fill every buffer between it and the server.
  const p = server(dataDir(), { FLOOD_BURST: '10000', FLOOD_QUEUE: '0', MAX_OUTBOUND_BYTES: String(256 << 20) });
  const port = await portOf(p, 'tcp');
  const idle = await ClassicClient.login(port, 'idle');
  closers.push(() => idle.socket.destroy());
  const reader = await ClassicClient.login(port, 'reader');
  closers.push(() => reader.socket.destroy());
  idle.socket.pause();
  // About 8 KB a reply: some 64 MB wait for the idle client, more than the socket buffers hold.
  const ask = classicFrame(dumps({ action: 'sonnets', target: 'love' }));
  idle.write(Buffer.concat(Array.from({ length: 8000 }, () => ask)));
  await reader.sync();

  const signalled = Date.now();
  p.child.kill('SIGTERM');
  await reader.next('restart');
  await reader.waitClosed();
  // The idle client still holds the process (its output cannot drain), and the port is closed.
  expect(await refused(port)).toBe(true);
  expect(p.exitCode).toBeNull();
  expect(await p.exited(SHUTDOWN_DEADLINE_MS + 5000)).toBe(0);
  expect(Date.now() - signalled).toBeLessThan(SHUTDOWN_DEADLINE_MS);
  expect(p.out).toContain('INFO stopped');
}, 60_000);

describe('the terminal client', () => {
  function terminal(port: number): Proc {
    const p = new Proc(process.execPath, [`${ROOT}dist/client/main.js`, '-d', `127.0.0.1:${port}`]);
    procs.push(p);
    return p;
  }

  it.each([
    ['SIGTERM', 'The chat server is restarting; it will be back in a moment.\n'],
    ['SIGKILL', ''],
  ] as const)('comes back by itself after the server is stopped with %s and restarted, under the same name', async (signal, notice) => {
    const dir = dataDir();
    const first = server(dir, {});
    const port = await portOf(first, 'tcp');
    const bob = await ClassicClient.login(port, 'bob');
    closers.push(() => bob.socket.destroy());
    const alice = terminal(port);
    alice.type('alice');
    await alice.expectOut('Welcome, alice!\n');
    alice.type('c bob');
    await alice.expectOut('You are connected with bob\n');

    first.child.kill(signal);
    await alice.expectOut(`${notice}The server went away, so group 1 ended; reconnecting... (q quits)\n`);
    await first.exited();
    // While it waits, what is typed is not taken for a name.
    alice.type('carol');
    await alice.expectOut('Not connected: still reconnecting... (q quits)\n');

    const second = server(dir, { CHAT_PORT: String(port) });
    await portOf(second, 'tcp');
    await alice.expectOut('Reconnected, logged in as alice.\n', 15_000);
    const peter = await ClassicClient.login(port, 'peter');
    closers.push(() => peter.socket.destroy());
    peter.send({ action: 'list' });
    expect(String((await peter.next('list'))['results'])).toContain("{'alice': 0, 'peter': 0}");
    peter.send({ action: 'connect', target: 'alice' });
    await alice.expectOut('Request from peter\n');
    alice.type('hello again');
    expect(await peter.next('exchange')).toMatchObject({ from: '[alice]', message: 'hello again' });
    alice.type('bye');
    alice.type('q');
    await alice.expectOut('See you next time!\n');
    expect(await alice.exited()).toBe(0);
  }, 60_000);

  it('logs in again with the password typed for a registered name, and asks for a name taken meanwhile', async () => {
    const dir = dataDir();
    const first = server(dir, { PASSWORD_COST: '12' });
    const port = await portOf(first, 'tcp');
    const alice = terminal(port);
    alice.type('alice');
    await alice.expectOut('Welcome, alice!\n');
    alice.type('register');
    alice.type('tulip garden');
    alice.type('tulip garden');
    await alice.expectOut('alice is registered');
    const guest = terminal(port);
    guest.type('zed');
    await guest.expectOut('Welcome, zed!\n');

    first.child.kill('SIGTERM');
    await alice.expectOut('The server went away; reconnecting... (q quits)\n');
    await guest.expectOut('The server went away; reconnecting... (q quits)\n');
    await first.exited();
    const second = server(dir, { CHAT_PORT: String(port), PASSWORD_COST: '12' });
    await portOf(second, 'tcp');
    // zed is taken before the client is back.
    const taker = await ClassicClient.login(port, 'zed');
    closers.push(() => taker.socket.destroy());
    await alice.expectOut('Reconnected, logged in as alice.\n', 15_000);
    await guest.expectOut('Reconnected.\nDuplicate username, try again\nPlease enter your name: \n', 15_000);
    guest.type('zed2');
    await guest.expectOut('Welcome, zed2!\n');
    expect(alice.out).not.toContain('tulip');
  }, 60_000);

  it.each([
    ['q', (p: Proc) => p.type('q')],
    ['Ctrl-D', (p: Proc) => p.child.stdin.end()],
  ] as const)('exits at once on %s while it waits to reconnect', async (_, leave) => {
    const first = server(dataDir(), {});
    const alice = terminal(await portOf(first, 'tcp'));
    alice.type('alice');
    await alice.expectOut('Welcome, alice!\n');
    first.child.kill('SIGKILL');
    await alice.expectOut('The server went away; reconnecting... (q quits)\n');
    leave(alice);
    await alice.expectOut('See you next time!\n');
    expect(await alice.exited()).toBe(0);
  }, 30_000);
});
