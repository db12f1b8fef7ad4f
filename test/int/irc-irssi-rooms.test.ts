/**
 * The scenario with a real Debian client: alice in irssi (under tmux) joins #a and #b,
 * chats in both, and writes to bob privately; bob, a JSON client on the native front that
 * shows many groups, answers with a direct line, which irssi shows in a query window from bob.
 * What irssi shows is read from its autolog files, one per window. Installed by
 * scripts/install-test-deps.sh; without irssi or tmux it fails under CI and is skipped, loudly, elsewhere.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { irssi, type Cleanups } from '../helpers/irc-programs.js';
import { describeNeeds, programsNeed } from '../helpers/needs.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const describeWithIrssi = describeNeeds(programsNeed(['irssi', 'tmux'], 'irssi joins two channels and talks privately with a terminal user through the gateway'));

/** irssi answers within its own pacing, which a loaded machine slows down. */
const IRSSI_MS = 15_000;

let srv: TestServer;
let dir: string;
const cleanups: Cleanups = [];
const open: ClassicClient[] = [];

beforeEach(async () => {
  srv = await startTestServer({ FRONTS: 'tcp,irc' });
  dir = mkdtempSync(join(tmpdir(), 'ics-chat-irssi-rooms-'));
});

afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
  for (const c of open.splice(0)) c.socket.destroy();
  await srv.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describeWithIrssi('irssi in many channels', () => {
  it('joins #a and #b, chats in both, and talks privately with a native-front user in a query window', async () => {
    const bob = await ClassicClient.login(srv.tcpPort, 'bob', ['events', 'rooms']);
    open.push(bob);
    const alice = irssi(dir, srv.ircPort, 'alice', cleanups);
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
