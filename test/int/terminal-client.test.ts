/** The real terminal client process, driven through its stdin (and a real terminal, tmux), against the real server. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { itNeeds, programsNeed } from '../helpers/needs.js';
import { Proc } from '../helpers/process.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

let srv: TestServer;
const procs: Proc[] = [];
const clients: ClassicClient[] = [];

beforeEach(async () => {
  srv = await startTestServer({ PASSWORD_COST: '12' });
});
afterEach(async () => {
  for (const p of procs.splice(0)) p.kill();
  for (const c of clients.splice(0)) c.socket.destroy();
  await srv.destroy();
});

function client(): Proc {
  const p = new Proc(process.execPath, [`${ROOT}dist/client/main.js`, '-d', `127.0.0.1:${srv.tcpPort}`]);
  procs.push(p);
  return p;
}

it('goes through login, who, c, chat, bye, ?, p 3 and q with the classic screens', async () => {
  const bob = await ClassicClient.login(srv.tcpPort, 'bob');
  clients.push(bob);
  const alice = client();
  await alice.expectOut('Welcome to ICS chat\nPlease enter your name: \n');
  alice.type('bob');
  await alice.expectOut('Duplicate username, try again\n');
  alice.type('alice');
  await alice.expectOut('++++ Choose one of the following commands\n');
  await alice.expectOut('Welcome, alice!\n');

  alice.type('who');
  await alice.expectOut("Here are all the users in the system:\nUsers: ------------\n{'bob': 0, 'alice': 0}\nGroups: -----------\n{}\n\n");

  alice.type('c bob');
  await alice.expectOut(`You are connected with bob\nConnect to bob. Chat away!\n\n${'-'.repeat(35)}\n\n`);
  expect(await bob.next('connect')).toMatchObject({ status: 'request', from: 'alice' });

  bob.send({ action: 'exchange', from: '[bob]', message: 'hi alice' });
  await alice.expectOut('[bob]hi alice\n');
  alice.type('hello bob');
  expect(await bob.next('exchange')).toMatchObject({ from: '[alice]', message: 'hello bob' });
  alice.type('who');
  expect(await bob.next('exchange')).toMatchObject({ message: 'who' });

  alice.type('bye');
  await alice.expectOut('You are disconnected from bob\n\n++++ Choose one of the following commands\n');
  expect(await bob.next('exchange')).toMatchObject({ message: 'bye' });
  expect(await bob.next('disconnect')).toMatchObject({ msg: 'everyone left, you are alone' });

  alice.type('? hello');
  await alice.expectOut(/\(\d\d\.\d\d\.\d\d,\d\d:\d\d\) alice : hello bob\n\n/);
  alice.type('?nothing-here');
  await alice.expectOut("'nothing-here' not found\n");
  alice.type('p 3');
  await alice.expectOut('III.\n\nLook in thy glass and tell the face thou viewest\n');
  await alice.expectOut('Die single and thine image dies with thee.\n\n');
  alice.type('p3');
  await alice.expectOut('III.\n\n');
  alice.type('p 999');
  await alice.expectOut('Sonnet 999 not found');
  alice.type('time');
  await alice.expectOut(/Time is: \d\d\.\d\d\.\d\d,\d\d:\d\d\n/);
  alice.type('nonsense');
  await alice.expectOut('++++ Choose one of the following commands\n');
  alice.type('q');
  await alice.expectOut('See you next time!\n');
  expect(await alice.exited()).toBe(0);
});

it('prints a push that arrives while another reply is awaited, and a group dissolving', async () => {
  const bob = await ClassicClient.login(srv.tcpPort, 'bob');
  clients.push(bob);
  const alice = client();
  alice.type('alice');
  await alice.expectOut('Welcome, alice!\n');
  bob.send({ action: 'connect', target: 'alice' });
  alice.type('p 18');
  await alice.expectOut(`Request from bob\nYou are connected with bob. Chat away!\n\n${'-'.repeat(36)}\n`);
  alice.type('/p 18');
  await alice.expectOut('XVIII.\n\nShall I compare thee');
  bob.send({ action: 'disconnect' });
  await alice.expectOut('++++ Choose one of the following commands\n');
  alice.type('c bob');
  await alice.expectOut('You are connected with bob\n');
});

it('prints when someone leaves the group, as it prints a join', async () => {
  const bob = await ClassicClient.login(srv.tcpPort, 'bob');
  const carol = await ClassicClient.login(srv.tcpPort, 'carol');
  clients.push(bob, carol);
  const alice = client();
  alice.type('alice');
  await alice.expectOut('Welcome, alice!\n');
  alice.type('c bob');
  await alice.expectOut('Chat away!\n');
  carol.send({ action: 'connect', target: 'bob' });
  await alice.expectOut('(carol joined)\n');
  carol.send({ action: 'disconnect' });
  await alice.expectOut('(carol left)\n');
  carol.send({ action: 'connect', target: 'alice' });
  await alice.expectOut('(carol joined)\n');
  carol.socket.destroy();
  await alice.expectOut('(carol left)\n');
});

describe('many groups', () => {
  it('m, j, rooms, w, bye #room, lock: other groups\' lines come with their label, and one group is the classic screen again', async () => {
    const bob = await ClassicClient.login(srv.tcpPort, 'bob');
    const carol = await ClassicClient.login(srv.tcpPort, 'carol');
    clients.push(bob, carol);
    const alice = client();
    alice.type('alice');
    await alice.expectOut('Welcome, alice!\n');

    alice.type('m bob hi bob');
    expect(await bob.next('connect')).toMatchObject({ status: 'request', from: 'alice', kind: 'direct' });
    expect(await bob.next('exchange')).toMatchObject({ from: '[alice]', message: 'hi bob' });
    bob.send({ action: 'exchange', from: '[bob]', message: 'hello alice' });
    await alice.expectOut('[bob → you]hello alice\n');

    alice.type('j #tea');
    await alice.expectOut(`You are connected with #tea\nConnect to #tea. Chat away!\n\n${'-'.repeat(35)}\n`);
    carol.send({ action: 'connect', target: '#tea' });
    expect(await carol.next('connect')).toMatchObject({ status: 'success' });
    await alice.expectOut('(carol joined)\n');
    carol.send({ action: 'exchange', from: '[carol]', message: 'hi tea' });
    await alice.expectOut('[carol]hi tea\n');
    bob.send({ action: 'exchange', from: '[bob]', message: 'still there?' });
    await alice.expectOut('[bob → you]still there?\n');
    alice.type('hello tea');
    expect(await carol.next('exchange')).toMatchObject({ from: '[alice]', message: 'hello tea' });

    alice.type('/rooms');
    await alice.expectOut('Your groups (* is where your lines go; w <n> switches):\n  1. bob (direct, 2 unread)\n* 2. #tea: carol\n');
    alice.type('/lock');
    await alice.expectOut('(alice made this group invite-only)\n');
    expect(await carol.next('note')).toMatchObject({ from: '', message: '(alice made this group invite-only)' });
    alice.type('/unlock');
    await alice.expectOut('(alice opened this group to everyone)\n');

    alice.type('/w bob');
    await alice.expectOut('(now in bob, 2 unread; rooms lists your groups, w <n> switches)\n');
    alice.type('just you');
    expect(await bob.next('exchange')).toMatchObject({ from: '[alice]', message: 'just you' });
    carol.send({ action: 'exchange', from: '[carol]', message: 'anyone?' });
    await alice.expectOut('#tea [carol]anyone?\n');
    carol.send({ action: 'disconnect' });
    await alice.expectOut('#tea (carol left)\n');
    alice.type('/w 2');
    await alice.expectOut('(now in #tea, 1 unread; rooms lists your groups, w <n> switches)\n');

    alice.type('/bye bob');
    await alice.expectOut('You are disconnected from bob\n');
    expect(await bob.next('disconnect')).toMatchObject({ msg: 'everyone left, you are alone' });
    alice.type('bye');
    await alice.expectOut('You are disconnected from #tea\n\n++++ Choose one of the following commands\n');
    alice.type('rooms');
    await alice.expectOut('You are in no group: c <name>, j #<room> or m <name> <text> starts one.\n');
  });

  it('searches every group, naming each line\'s group only when they are several', async () => {
    const bob = await ClassicClient.login(srv.tcpPort, 'bob');
    clients.push(bob);
    const alice = client();
    alice.type('alice');
    await alice.expectOut('Welcome, alice!\n');
    alice.type('m bob tulips in private');
    await bob.next('exchange');
    alice.type('? tulips');
    await alice.expectOut(/\(\d\d\.\d\d\.\d\d,\d\d:\d\d\) alice : tulips in private\n\n/);
    alice.type('j #garden');
    await alice.expectOut('Chat away!\n');
    alice.type('tulips in public');
    alice.type('/? tulips');
    await alice.expectOut(/\) \S+ alice : tulips in private\n\(\d\d\.\d\d\.\d\d,\d\d:\d\d\) \S+ alice : tulips in public\n\n/);
  });
});

it('says so when there is no server', async () => {
  const port = srv.tcpPort;
  await srv.stop();
  const p = new Proc(process.execPath, [`${ROOT}dist/client/main.js`, '-d', `127.0.0.1:${port}`]);
  procs.push(p);
  await p.expectOut(`Cannot reach the chat server at 127.0.0.1:${port}`);
  expect(await p.exited()).toBe(1);
});

describe('passwords', () => {
  it('registers with a password typed twice, then asks for it when the name is taken again', async () => {
    const alice = client();
    alice.type('alice');
    await alice.expectOut('Welcome, alice!\n');
    alice.type('register');
    await alice.expectOut('Choose a password for alice (at least 8 characters; Enter alone cancels): \n');
    alice.type('short');
    await alice.expectOut('Not registered: a password has at least 8 characters.\n');
    alice.type('register');
    alice.type('tulip garden');
    await alice.expectOut('Type the same password again: \n');
    alice.type('tulip gardens');
    await alice.expectOut('The two passwords differ, so nothing was registered. Type register to try again.\n');
    alice.type('register');
    alice.type('tulip garden');
    alice.type('tulip garden');
    await alice.expectOut('alice is registered: from now on, logging in as alice takes your password\n');
    alice.type('q');
    expect(await alice.exited()).toBe(0);

    const again = client();
    again.type('Alice');
    await again.expectOut('Alice is registered: type its password, or just Enter to choose another name.\nPassword for Alice: \n');
    again.type('tulip');
    await again.expectOut('wrong password for alice, try again (or just Enter to choose another name).\nPassword for Alice: \n');
    again.type('');
    await again.expectOut('No password given: choose another name.\n');
    again.type('alice');
    await again.expectOut('Password for alice: \n');
    again.type('tulip garden');
    await again.expectOut('Welcome, alice!\n');
    expect(again.out).not.toContain('tulip');
    expect(alice.out).not.toContain('tulip');
  });

  const itWithTmux = itNeeds(programsNeed(['tmux'], 'a password typed on a real terminal is never shown nor kept in the line history'));

  itWithTmux('never shows a password on a real terminal, nor keeps it in the line history', async () => {
    const sock = `ics-chat-client-${process.pid}-${Date.now()}`;
    const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', sock, ...args], { encoding: 'utf8' });
    tmux('new-session', '-d', '-x', '160', '-y', '40', `${process.execPath} ${ROOT}dist/client/main.js -d 127.0.0.1:${srv.tcpPort}`);
    // Every byte the client sends the terminal, echoes and redraws included, in the order sent.
    const logDir = mkdtempSync(join(tmpdir(), 'ics-chat-pane-'));
    const paneLog = join(logDir, 'pane.log');
    tmux('pipe-pane', `cat >> ${paneLog}`);
    const sent = (): string => (existsSync(paneLog) ? readFileSync(paneLog, 'utf8') : '');
    try {
      const screen = (): string => tmux('capture-pane', '-p', '-J');
      const type = (text: string): void => void tmux('send-keys', '-l', text);
      const enter = (): void => void tmux('send-keys', 'Enter');
      await waitFor('the name prompt', () => screen().includes('Please enter your name:'));
      type('zoe');
      enter();
      await waitFor('the welcome', () => screen().includes('Welcome, zoe!'));
      type('time');
      enter();
      await waitFor('the time', () => screen().includes('Time is:'));
      type('register');
      enter();
      await waitFor('the first password prompt', () => screen().includes('Choose a password for zoe'));
      type('Secret-Lily-77');
      enter();
      // The second prompt follows only once the client has read every key before it: any echo
      // of them, even one erased again, was sent to the terminal before it.
      await waitFor('the second prompt, sent to the terminal', () => sent().includes('Type the same password again:'));
      expect(sent()).not.toContain('Lily');
      type('Secret-Lily-77');
      enter();
      await waitFor('the registration, sent to the terminal', () => sent().includes('zoe is registered'));
      expect(sent()).not.toContain('Lily');
      const lastLine = (): string => screen().trimEnd().split('\n').at(-1)!.trim();
      tmux('send-keys', 'Up');
      await waitFor('the last line before the passwords, recalled', () => lastLine() === 'register' || lastLine().includes('Lily'));
      expect(lastLine()).toBe('register');
      tmux('send-keys', 'Up');
      await waitFor('the line before it', () => lastLine() === 'time');
      expect(screen()).not.toContain('Lily');
    } finally {
      tmux('kill-server');
      rmSync(logDir, { recursive: true, force: true });
    }
  });
});

describe('catch-up on return', () => {
  it('shows a registered user, back, what they missed in their room as a block, then live lines', async () => {
    const ROOMS = ['events', 'rooms'];
    const first = await ClassicClient.login(srv.tcpPort, 'alice', ROOMS);
    clients.push(first);
    first.send({ action: 'register', password: 'tulip garden' });
    expect(await first.next('register')).toMatchObject({ status: 'ok' });
    first.send({ action: 'connect', target: '#tea' });
    const group = (await first.next('connect'))['group'];
    const bob = await ClassicClient.login(srv.tcpPort, 'bob', ROOMS);
    clients.push(bob);
    bob.send({ action: 'connect', target: '#tea' });
    await bob.next('connect');
    first.socket.destroy();
    await bob.nextWhere('alice quitting', (f) => f.action === 'leave' && f['name'] === 'alice');
    bob.send({ action: 'exchange', message: 'the news', group });
    await bob.sync();

    const alice = client();
    alice.type('alice');
    await alice.expectOut('Password for alice: \n');
    alice.type('tulip garden');
    await alice.expectOut('Welcome, alice!\n');
    await alice.expectOut('-- 1 line in #tea while you were away --\n');
    await waitFor('the end of the block', () => /\(\d\d\.\d\d\.\d\d,\d\d:\d\d\) bob : the news\n-- end of what you missed in #tea --\n/.test(alice.out));
    bob.send({ action: 'exchange', message: 'live now', group });
    await alice.expectOut('[bob]live now\n');
    expect(alice.out.split('the news')).toHaveLength(2);
  });
});
