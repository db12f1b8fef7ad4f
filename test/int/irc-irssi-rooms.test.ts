/**
 * The scenario with a real Debian client: alice in irssi (under tmux) joins #a and #b,
 * chats in both, and writes to bob privately; bob, a JSON client on the native front that
 * shows many groups, answers with a direct line, which irssi shows in a query window from bob.
 * What irssi shows is read from its autolog files, one per window. Installed by
 * scripts/install-test-deps.sh; without irssi or tmux it fails under CI and is skipped, loudly, elsewhere.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { describeNeeds, programsNeed } from '../helpers/needs.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const describeWithIrssi = describeNeeds(programsNeed(['irssi', 'tmux'], 'irssi joins two channels and talks privately with a terminal user through the gateway'));

/** irssi answers within its own pacing, which a loaded machine slows down. */
const IRSSI_MS = 15_000;

let srv: TestServer;
let dir: string;
let tmuxSocket: string | null = null;
const open: ClassicClient[] = [];

beforeEach(async () => {
  srv = await startTestServer({ FRONTS: 'tcp,irc' });
  dir = mkdtempSync(join(tmpdir(), 'ics-chat-irssi-rooms-'));
});

afterEach(async () => {
  if (tmuxSocket !== null) {
    try {
      execFileSync('tmux', ['-L', tmuxSocket, 'kill-server']);
    } catch {
      // already gone
    }
    tmuxSocket = null;
  }
  for (const c of open.splice(0)) c.socket.destroy();
  await srv.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** irssi as `nick`, typing through tmux; `log(window)` is what it logged for a channel or query window. */
function irssi(nick: string): { type(line: string): void; log(window: string): string; windows(): string[] } {
  const sock = `ics-chat-test-${process.pid}-${Date.now()}`;
  tmuxSocket = sock;
  const logs = join(dir, 'logs');
  // irssi paces its own commands (about 2 s apart); a test has no flood to fear. Every window is logged to its own file.
  writeFileSync(
    join(dir, 'config'),
    [
      'settings = {',
      '  "irc/core" = { cmd_queue_speed = "10msec"; cmds_max_at_once = "100"; };',
      `  "fe-common/core" = { autolog = "yes"; autolog_path = "${logs}/$0.log"; };`,
      '};',
      '',
    ].join('\n'),
  );
  execFileSync('tmux', ['-L', sock, 'new-session', '-d', '-x', '200', '-y', '50', `irssi --home=${dir} -n ${nick} -c 127.0.0.1 -p ${srv.ircPort}`]);
  const file = (window: string): string => join(logs, `${window}.log`);
  return {
    type: (line) => {
      execFileSync('tmux', ['-L', sock, 'send-keys', '-l', line]);
      execFileSync('tmux', ['-L', sock, 'send-keys', 'Enter']);
    },
    log: (window) => (existsSync(file(window)) ? readFileSync(file(window), 'utf8') : ''),
    windows: () => (existsSync(logs) ? readdirSync(logs).map((f) => f.replace(/\.log$/, '')).sort() : []),
  };
}

describeWithIrssi('irssi in many channels', () => {
  it('joins #a and #b, chats in both, and talks privately with a native-front user in a query window', async () => {
    const bob = await ClassicClient.login(srv.tcpPort, 'bob', ['events', 'rooms']);
    open.push(bob);
    const alice = irssi('alice');
    await waitFor('irssi to register', () => srv.server.hub.onlineCount() === 2, IRSSI_MS);
    alice.type('/join #a,#b');
    await waitFor('irssi to join #a and #b', () => alice.log('#a').includes('has joined #a') && alice.log('#b').includes('has joined #b'), IRSSI_MS);
    const groups: Record<string, number> = {};
    for (const room of ['#a', '#b']) {
      bob.send({ action: 'connect', target: room });
      const joined = await bob.nextWhere(`the join of ${room}`, (f) => f.action === 'connect' && f['room'] === room);
      expect(joined).toMatchObject({ status: 'success', members: [{ name: 'alice', front: 'irc' }, { name: 'bob', front: 'tcp' }] });
      groups[room] = Number(joined['group']);
    }
    alice.type('/msg #a hello a');
    expect(await bob.next('exchange', IRSSI_MS)).toMatchObject({ name: 'alice', message: 'hello a', group: groups['#a'] });
    alice.type('/msg #b hello b');
    expect(await bob.next('exchange', IRSSI_MS)).toMatchObject({ name: 'alice', message: 'hello b', group: groups['#b'] });
    bob.send({ action: 'exchange', message: 'bob in b', group: groups['#b'] });
    await waitFor("bob's line in irssi's #b window", () => alice.log('#b').includes('bob> bob in b'), IRSSI_MS);
    alice.type('/msg bob hi');
    expect(await bob.next('exchange', IRSSI_MS)).toMatchObject({ name: 'alice', message: 'hi', direct: true });
    bob.send({ action: 'direct', target: 'alice', message: 'hello' });
    expect(await bob.next('direct')).toMatchObject({ status: 'sent', target: 'alice', title: 'alice' });
    await waitFor('the query window from bob in irssi', () => alice.log('bob').includes('bob> hello'), IRSSI_MS);
    // Nothing private reached a channel, and no channel opened for the private conversation (ics: the service's greeting).
    expect(alice.log('#a') + alice.log('#b')).not.toMatch(/> (hi|hello)$/m);
    expect(alice.log('#a')).not.toContain('bob in b');
    expect(alice.windows()).toEqual(['#a', '#b', 'bob', 'ics']);
    expect(bob.pending().filter((f) => f.action === 'connect')).toEqual([]);
  });
});
