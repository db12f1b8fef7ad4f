/**
 * Debian's own IRC clients against the gateway: ii (no CAP at all, files and FIFOs) and irssi
 * under tmux (CAP LS, the `JOIN :` probe that needs 451, then registration). Both are
 * installed by scripts/install-test-deps.sh; without them these tests are skipped, loudly.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const has = (cmd: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const HAS_II = has('ii');
const HAS_IRSSI = has('irssi') && has('tmux');
if (!HAS_II) console.warn('SKIPPED: ii is not installed (scripts/install-test-deps.sh installs it)');
if (!HAS_IRSSI) console.warn('SKIPPED: irssi or tmux is not installed (scripts/install-test-deps.sh installs them)');

let srv: TestServer;
let dir: string;
const cleanups: (() => void)[] = [];

beforeEach(async () => {
  srv = await startTestServer({ FRONTS: 'tcp,irc' });
  dir = mkdtempSync(join(tmpdir(), 'ics-chat-irc-client-'));
});

afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) clean();
  await srv.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');

async function tcp(name: string): Promise<ClassicClient> {
  const c = await ClassicClient.login(srv.tcpPort, name);
  cleanups.push(() => c.socket.destroy());
  return c;
}

describe.skipIf(!HAS_II)('ii', () => {
  it('registers without CAP, connects to a terminal user, chats both ways and quits', async () => {
    const ii: ChildProcess = spawn('ii', ['-s', '127.0.0.1', '-p', String(srv.ircPort), '-n', 'iris', '-i', dir], { stdio: 'ignore' });
    cleanups.push(() => ii.kill());
    const server = join(dir, '127.0.0.1');
    await waitFor('ii to register', () => read(join(server, 'out')).includes('Welcome to the ICS chat IRC gateway, iris!iris@irc'));
    const peter = await tcp('peter');
    appendFileSync(join(server, 'in'), '/j ics c peter\n');
    expect(await peter.next('connect')).toMatchObject({ status: 'request', from: 'iris', front: 'irc' });
    const channel = join(server, '#group-1');
    await waitFor('the JOIN in ii', () => read(join(channel, 'out')).includes('iris(iris@irc) has joined #group-1'));
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

describe.skipIf(!HAS_IRSSI)('irssi', () => {
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
    await waitFor('irssi to register', () => screen().includes('Welcome to the ICS chat IRC gateway, ivy!ivy@irc'), 15_000);
    expect(screen()).toContain('Capabilities acknowledged: multi-prefix server-time');
    await tcp('peter');
    tmux('send-keys', '/msg ics who', 'Enter');
    // irssi opens a query window for ics; only the active window is on screen.
    tmux('send-keys', '/window goto ics', 'Enter');
    await waitFor('the who listing in irssi', () => screen().includes("{'ivy': 0, 'peter': 0}"), 15_000);
  });

  it('logs in to a registered nick through SASL PLAIN, configured as irssi users do', async () => {
    const owner = await tcp('iona');
    owner.send({ action: 'register', password: 'irssi-garden-9' });
    expect(await owner.next('register')).toMatchObject({ status: 'ok' });
    owner.socket.destroy();
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
    await waitFor('irssi to log in', () => screen().includes('Welcome to the ICS chat IRC gateway, iona!iona@irc'), 15_000);
    expect(screen()).toContain('You are now logged in as iona');
    expect(screen()).not.toContain('irssi-garden-9');
  });
});
