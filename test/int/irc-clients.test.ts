/**
 * Debian's own IRC clients against the gateway: ii (no CAP at all, files and FIFOs), irssi
 * under tmux (CAP LS, the `JOIN :` probe that needs 451, then registration) and
 * weechat-headless (CAP LS 302, SASL), set up with the README's own commands. All are
 * installed by scripts/install-test-deps.sh; without them these tests say so (see needs.ts).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { weechat, type Cleanups } from '../helpers/irc-programs.js';
import { describeNeeds, programsNeed } from '../helpers/needs.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const describeWithIi = describeNeeds(programsNeed(['ii'], 'ii registers without CAP and chats through the gateway'));
const describeWithIrssi = describeNeeds(programsNeed(['irssi', 'tmux'], 'irssi gets through CAP and the 451 probe and chats through the gateway'));
const describeWithWeechat = describeNeeds(programsNeed(['weechat-headless'], "WeeChat works with the README's commands, SASL included"));

let srv: TestServer;
let dir: string;
const cleanups: Cleanups = [];

beforeEach(async () => {
  srv = await startTestServer({ FRONTS: 'tcp,irc' });
  dir = mkdtempSync(join(tmpdir(), 'ics-chat-irc-client-'));
});

afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
  await srv.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');

async function tcp(name: string): Promise<ClassicClient> {
  const c = await ClassicClient.login(srv.tcpPort, name);
  cleanups.push(() => void c.socket.destroy());
  return c;
}

/** Registers `name` from a terminal and leaves, so an IRC client can log in to it. */
async function registered(name: string, password: string): Promise<void> {
  const owner = await tcp(name);
  owner.send({ action: 'register', password });
  expect(await owner.next('register')).toMatchObject({ status: 'ok' });
  owner.socket.destroy();
  await waitFor(`${name} to go offline`, () => srv.server.hub.onlineCount() === 0);
}

describeWithIi('ii', () => {
  it('registers without CAP, connects to a terminal user, chats both ways and quits', async () => {
    const ii: ChildProcess = spawn('ii', ['-s', '127.0.0.1', '-p', String(srv.ircPort), '-n', 'iris', '-i', dir], { stdio: 'ignore' });
    cleanups.push(() => void ii.kill());
    const server = join(dir, '127.0.0.1');
    await waitFor('ii to register', () => /Welcome to the ICS chat IRC gateway, iris![^@\s]+@irc/.test(read(join(server, 'out'))));
    const peter = await tcp('peter');
    appendFileSync(join(server, 'in'), '/j ics c peter\n');
    expect(await peter.next('connect')).toMatchObject({ status: 'request', from: 'iris', front: 'irc' });
    const channel = join(server, '#group-1');
    await waitFor('the JOIN in ii', () => /iris\([^@\s]+@irc\) has joined #group-1/.test(read(join(channel, 'out'))));
    peter.send({ action: 'exchange', message: 'hello ii' });
    await waitFor("peter's line in ii", () => read(join(channel, 'out')).includes('<peter> hello ii'));
    appendFileSync(join(channel, 'in'), 'hello peter\n');
    expect(await peter.next('exchange')).toMatchObject({ name: 'iris', message: 'hello peter' });
    appendFileSync(join(server, 'in'), '/j ics who\n');
    await waitFor('the who listing', () => read(join(server, 'ics', 'out')).includes("{'iris': 1, 'peter': 1}"));
    appendFileSync(join(server, 'in'), '/q\n');
    expect(await peter.next('disconnect')).toMatchObject({ msg: 'everyone left, you are alone' });
    await waitFor('ii to exit', () => ii.exitCode !== null);
  });
});

describeWithIrssi('irssi', () => {
  it('gets through CAP and the 451 probe, registers, and talks to the service', async () => {
    const sock = `ics-chat-test-${process.pid}-${Date.now()}`;
    const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', sock, ...args], { encoding: 'utf8' });
    // irssi paces its own commands (about 2 s apart); a test has no flood to fear.
    writeFileSync(join(dir, 'config'), 'settings = { "irc/core" = { cmd_queue_speed = "10msec"; cmds_max_at_once = "100"; }; };\n');
    tmux('new-session', '-d', '-x', '200', '-y', '50', `irssi --home=${dir} -n ivy -c 127.0.0.1 -p ${srv.ircPort}`);
    cleanups.push(() => {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    });
    const screen = (): string => tmux('capture-pane', '-p', '-J');
    await waitFor('irssi to register', () => /Welcome to the ICS chat IRC gateway, ivy![^@\s]+@irc/.test(screen()), 15_000);
    expect(screen()).toContain('Capabilities acknowledged: multi-prefix extended-join setname invite-notify away-notify chghost account-notify server-time');
    await tcp('peter');
    tmux('send-keys', '/msg ics who', 'Enter');
    // irssi opens a query window for ics; only the active window is on screen.
    tmux('send-keys', '/window goto ics', 'Enter');
    await waitFor('the who listing in irssi', () => screen().includes("{'ivy': 0, 'peter': 0}"), 15_000);
  });

  it('logs in to a registered nick through SASL PLAIN, configured as irssi users do', async () => {
    await registered('iona', 'irssi-garden-9');
    const sock = `ics-chat-test-${process.pid}-${Date.now()}`;
    const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', sock, ...args], { encoding: 'utf8' });
    writeFileSync(
      join(dir, 'config'),
      [
        'settings = { "irc/core" = { cmd_queue_speed = "10msec"; cmds_max_at_once = "100"; }; };',
        'chatnets = { ics = { type = "IRC"; sasl_mechanism = "PLAIN"; sasl_username = "iona"; sasl_password = "irssi-garden-9"; }; };',
        `servers = ( { address = "127.0.0.1"; port = "${srv.ircPort}"; chatnet = "ics"; use_tls = "no"; } );`,
        '',
      ].join('\n'),
    );
    tmux('new-session', '-d', '-x', '200', '-y', '50', `irssi --home=${dir} -n guest -c ics`);
    cleanups.push(() => {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    });
    const screen = (): string => tmux('capture-pane', '-p', '-J');
    await waitFor('irssi to log in', () => /Welcome to the ICS chat IRC gateway, iona![^@\s]+@irc/.test(screen()), 15_000);
    expect(screen()).toContain('You are now logged in as iona');
    expect(screen()).not.toContain('irssi-garden-9');
  });
});

describeWithWeechat('weechat', () => {
  it("connects with the README's commands, lists users, is connected to by a terminal user and chats both ways", async () => {
    const wee = await weechat(dir, [`/server add ics 127.0.0.1/${srv.ircPort} -notls -nicks=wendy`, '/connect ics'], cleanups);
    const server = 'irc.server.ics';
    await waitFor('WeeChat to register', () => /Welcome to the ICS chat IRC gateway, wendy![^@\s]+@irc/.test(wee.log(server)), 15_000);
    const peter = await tcp('peter');
    wee.run(server, '/msg ics who');
    await waitFor('the who listing in WeeChat', () => wee.log(server).includes("ics (ics@ics-chat.local): {'wendy': 0, 'peter': 0}"), 15_000);
    peter.send({ action: 'connect', target: 'wendy' });
    expect(await peter.next('connect')).toMatchObject({ status: 'success' });
    const channel = 'irc.ics.#group-1';
    await waitFor('the JOIN in WeeChat', () => /wendy (\([^)]*\) )?\([^@\s]+@irc\) has joined #group-1/.test(wee.log(channel)), 15_000);
    await waitFor('the names in WeeChat', () => wee.log(channel).includes('Channel #group-1: 2 nicks'), 15_000);
    peter.send({ action: 'exchange', message: 'hello weechat' });
    await waitFor("peter's line in WeeChat", () => wee.log(channel).includes('\tpeter\thello weechat'), 15_000);
    wee.run(channel, 'hello peter');
    expect(await peter.next('exchange', 15_000)).toMatchObject({ name: 'wendy', message: 'hello peter' });
    wee.run(server, '/quit');
    expect(await peter.next('disconnect', 15_000)).toMatchObject({ msg: 'everyone left, you are alone' });
    await waitFor('WeeChat to exit', () => wee.process.exitCode !== null, 15_000);
  });

  it("logs in to a registered nick through SASL PLAIN with the README's /set lines", async () => {
    await registered('wren', 'weechat-garden-9');
    const wee = await weechat(dir, [
      `/server add ics 127.0.0.1/${srv.ircPort} -notls -nicks=wren`,
      '/set irc.server.ics.sasl_mechanism plain',
      '/set irc.server.ics.sasl_username wren',
      '/set irc.server.ics.sasl_password weechat-garden-9',
      '/connect ics',
    ], cleanups);
    const server = 'irc.server.ics';
    await waitFor('WeeChat to register', () => wee.log(server).includes('Welcome to the ICS chat IRC gateway, '), 15_000);
    expect(wee.log(server)).toContain('SASL authentication successful');
    expect(wee.log(server)).toMatch(/Welcome to the ICS chat IRC gateway, wren![^@\s]+@irc/);
  });

  it('goes on as a guest after a wrong SASL password when sasl_fail is continue', async () => {
    await registered('wren', 'weechat-garden-9');
    // WeeChat's default, sasl_fail = reconnect, would retry the wrong password until the login limit.
    const wee = await weechat(dir, [
      `/server add ics 127.0.0.1/${srv.ircPort} -notls -nicks=wren`,
      '/set irc.server.ics.sasl_username wren',
      '/set irc.server.ics.sasl_password not-the-password',
      '/set irc.server.ics.sasl_fail continue',
      '/connect ics',
    ], cleanups);
    const server = 'irc.server.ics';
    await waitFor('WeeChat to register', () => wee.log(server).includes('Welcome to the ICS chat IRC gateway, '), 15_000);
    expect(wee.log(server)).toContain('SASL authentication failed: wrong password for wren');
    expect(wee.log(server)).toMatch(/Welcome to the ICS chat IRC gateway, wren_![^@\s]+@irc/);
  });
});
