/** The chat page in a real browser (headless Debian chromium): what a person sees and does. */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { RawIrc } from '../helpers/irc-raw.js';
import { accessibilityProblems, browserSuite, screenshot } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
const suite = browserSuite(() => srv);



async function start(env: Record<string, string> = {}): Promise<void> {
  srv = await startTestServer({ FRONTS: 'tcp,web', ...env });
}

async function tcp(name: string): Promise<ClassicClient> {
  const c = await ClassicClient.login(srv.tcpPort, name);
  suite.closing(() => c.socket.destroy());
  return c;
}

/** Opens the page and logs in with the keyboard alone: the name field has focus, Enter submits. */
async function openAs(name: string): Promise<Page> {
  const page = await suite.page();
  await page.goto(`http://127.0.0.1:${srv.webPort}/`);
  await expect.poll(() => page.locator('#conn').textContent()).toBe('Connected');
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  await page.locator('#me-name', { hasText: name }).waitFor();
  return page;
}

async function say(page: Page, line: string): Promise<void> {
  await page.locator('#line').fill(line);
  await page.locator('#line').press('Enter');
}

const person = (page: Page, name: string) => page.locator('#roster .person', { has: page.locator('.name', { hasText: new RegExp(`^${name}`) }) });
const lines = (page: Page) => page.locator('#log .msg .text');

describe('the chat page', () => {
  it('lets two browser users and a terminal user chat in one group, then leave, and the group view passes axe-core’s WCAG 2.1 AA checks', async () => {
    await start();
    const alice = await openAs('alice');
    const bob = await openAs('bob');
    await person(alice, 'bob').waitFor();
    const carol = await tcp('carol');
    await expect.poll(() => person(alice, 'carol').locator('.badge').textContent()).toBe('tcp');
    await expect.poll(() => person(bob, 'carol').locator('.badge').textContent()).toBe('tcp');
    expect(await person(alice, 'bob').locator('.badge').textContent()).toBe('web');

    await person(alice, 'bob').click();
    await bob.getByText('alice connected to you').waitFor();
    await expect.poll(() => alice.locator('#group-title').textContent()).toMatch(/^Group \d+$/);
    expect(await bob.locator('#members li').allTextContents()).toEqual(['aliceweb', 'bob (you)web']);

    await say(alice, 'Hello Bob!');
    await lines(bob).filter({ hasText: 'Hello Bob!' }).waitFor();
    const fromAlice = bob.locator('#log .msg').last();
    expect(await fromAlice.locator('.sender').textContent()).toBe('alice');
    expect(await fromAlice.locator('.badge').textContent()).toBe('web');
    expect(await fromAlice.locator('time').textContent()).toMatch(/^\d\d:\d\d$/);
    await say(bob, 'Hi Alice, <b>bold</b> <img src=x onerror=alert(1)>');
    await lines(alice).filter({ hasText: '<img src=x' }).waitFor();
    expect(await alice.locator('#log img, #log b').count()).toBe(0);

    carol.send({ action: 'connect', target: 'alice' });
    await carol.next('connect');
    await alice.getByText('carol joined the group.').waitFor();
    await bob.getByText('carol joined the group.').waitFor();
    await expect.poll(() => bob.locator('#members li').count()).toBe(3);
    carol.send({ action: 'exchange', from: '[carol]', message: 'Hello from the terminal' });
    await lines(alice).filter({ hasText: 'Hello from the terminal' }).waitFor();
    await lines(bob).filter({ hasText: 'Hello from the terminal' }).waitFor();
    expect(await bob.locator('#log .msg').last().locator('.badge').textContent()).toBe('tcp');
    await say(alice, 'Welcome, Carol');
    expect(await carol.nextWhere('alice’s line', (f) => f.action === 'exchange' && f['from'] === '[alice]' && f['message'] === 'Welcome, Carol')).toMatchObject({ front: 'web' });

    // Unread: bob reads a sonnet, scrolls up, and a line arrives.
    await say(bob, '/p 18');
    await bob.locator('.card.sonnet').waitFor();
    await bob.locator('#log').evaluate((log) => (log.scrollTop = 0));
    await say(alice, 'Are you still there?');
    await bob.locator('#jump', { hasText: '1 new message' }).waitFor();
    await expect.poll(() => bob.title()).toBe('(1) ics-chat');
    expect(await bob.locator('#log .unread-divider').count()).toBe(1);
    await screenshot(bob, 'unread');
    // The group-chat view at its fullest: other users' lines from two fronts, a sonnet, the
    // roster, the members, the unread marker and the jump button.
    expect(await accessibilityProblems(bob)).toEqual([]);
    await bob.locator('#jump').click();
    await expect.poll(() => bob.title()).toBe('ics-chat');
    await screenshot(alice, 'group-chat');
    expect(await accessibilityProblems(alice)).toEqual([]);

    await say(bob, 'bye');
    await bob.getByText('You left the group').waitFor();
    await alice.getByText('bob left the group.').waitFor();
    await expect.poll(() => alice.locator('#members li').allTextContents()).toEqual(['alice (you)web', 'caroltcp']);
    expect(await bob.locator('#group-title').textContent()).toBe('Not in a group');
    expect(await carol.nextWhere('bob’s bye', (f) => f['from'] === '[bob]' && f['message'] === 'bye')).toBeTruthy();
    await screenshot(bob, 'after-bye');
  });

  it('searches history as a list, reads sonnet 18, finds sonnet lines, and knows the terminal commands', async () => {
    await start();
    const bob = await tcp('bob');
    const alice = await openAs('alice');
    await person(alice, 'bob').focus();
    await alice.keyboard.press('Enter');
    await bob.next('connect');
    await alice.getByText('You are now chatting with bob').waitFor();
    await say(alice, 'a summer day in the park');
    bob.send({ action: 'exchange', from: '[bob]', message: 'summer again? every summer!' });
    await lines(alice).filter({ hasText: 'every summer' }).waitFor();
    await say(alice, 'bye');
    await alice.getByText('You left the group').waitFor();

    await say(alice, '? summer');
    const results = alice.locator('.card.search li');
    await expect.poll(() => results.count()).toBe(2);
    expect(await results.nth(0).textContent()).toContain('alice: a summer day in the park');
    expect(await results.nth(1).textContent()).toContain('bob: summer again? every summer!');
    await alice.locator('#search-q').fill('"summer day"');
    await alice.locator('#search-q').press('Enter');
    await expect.poll(() => alice.locator('.card.search').last().locator('li').count()).toBe(1);

    await say(alice, 'p 18');
    const sonnet = alice.locator('.card.sonnet');
    await sonnet.waitFor();
    expect(await sonnet.locator('h3').textContent()).toBe('Sonnet 18 XVIII');
    expect(await sonnet.locator('.stanza').count()).toBe(4);
    expect(await sonnet.locator('.stanza span').first().textContent()).toBe("Shall I compare thee to a summer's day?");
    expect(await sonnet.locator('.couplet span').allTextContents()).toEqual(['So long as men can breathe, or eyes can see,', 'So long lives this, and this gives life to thee.']);
    await sonnet.scrollIntoViewIfNeeded();
    await screenshot(alice, 'sonnet-18');

    await say(alice, 's darling buds');
    await alice.getByRole('button', { name: 'Read sonnet 18' }).click();
    await expect.poll(() => alice.locator('.card.sonnet').count()).toBe(2);
    await say(alice, 'p 200');
    await alice.getByText('No sonnet “200”').waitFor();
    await say(alice, 'help');
    await alice.locator('.card.help dt', { hasText: 'c _peer_' }).waitFor();
    await say(alice, 'dance');
    await alice.getByText('Unknown command “dance”').waitFor();
    await say(alice, 'c nobody');
    await alice.getByText('Could not connect to nobody').waitFor();
    await say(alice, 'time');
    await alice.getByText(/Server time: \d\d\.\d\d\.\d\d,\d\d:\d\d/).waitFor();
    await say(alice, 'who');
    await alice.locator('.card', { hasText: 'Who is here' }).waitFor();
    await screenshot(alice, 'commands');
  });

  it('opens rooms with a terminal user and an IRC user, sets topics, removes members and joins by invitation', async () => {
    await start({ FRONTS: 'tcp,irc,web' });
    const alice = await openAs('alice');
    await say(alice, 'c #lobby');
    await alice.getByText(/You are in #lobby \(group \d+\)\./).waitFor();
    expect(await alice.locator('#group-title').textContent()).toMatch(/^#lobby · group \d+$/);
    expect(await alice.locator('#leave').textContent()).toBe('Leave #lobby');
    await say(alice, '/topic Sonnets only, please');
    await alice.getByText('alice set the topic: Sonnets only, please').waitFor();
    expect(await alice.locator('#group-topic').textContent()).toBe('Sonnets only, please');

    const bob = await tcp('bob');
    bob.send({ action: 'connect', target: '#lobby' });
    expect(await bob.next('connect')).toMatchObject({ status: 'success', room: '#lobby', topic: 'Sonnets only, please' });
    await alice.getByText('bob joined the group.').waitFor();
    const ivan = await RawIrc.register(srv.ircPort, 'ivan');
    suite.closing(() => ivan.socket.destroy());
    ivan.send('JOIN #lobby');
    await alice.getByText('ivan joined the group.').waitFor();
    ivan.send('PRIVMSG #lobby :Hello from irssi');
    await lines(alice).filter({ hasText: 'Hello from irssi' }).waitFor();
    expect(await alice.locator('#log .msg').last().locator('.badge').textContent()).toBe('irc');
    bob.send({ action: 'exchange', from: '[bob]', message: 'and from the terminal' });
    await lines(alice).filter({ hasText: 'and from the terminal' }).waitFor();
    await say(alice, 'Welcome, both of you');
    await ivan.expect(/^:alice!\S+ PRIVMSG #lobby :Welcome, both of you$/);
    expect(await bob.nextWhere('alice’s welcome', (f) => f['message'] === 'Welcome, both of you')).toMatchObject({ front: 'web' });
    await expect.poll(() => alice.locator('#members li').allTextContents()).toEqual(['alice (you)web', 'bobtcp', 'ivanirc']);
    await screenshot(alice, 'three-fronts');
    await say(alice, '/kick bob off topic');
    await alice.getByText('bob was removed by alice: off topic.').waitFor();
    expect(await bob.next('disconnect')).toMatchObject({ by: 'alice', reason: 'off topic' });
    // An invitation by another member is told in the group's conversation.
    ivan.send('INVITE bob #lobby');
    await alice.locator('#log .notice', { hasText: '(ivan invited bob to #lobby)' }).waitFor();

    const carol = await tcp('carol');
    carol.send({ action: 'connect', target: '#tea' });
    await carol.next('connect');
    carol.send({ action: 'invite', target: 'alice' });
    expect(await carol.next('invite')).toMatchObject({ status: 'sent', target: 'alice' });
    // The invitation comes with a button; alice joins #tea as well, and stays in #lobby.
    await alice.locator('#log .notice', { hasText: 'carol invites you to join #tea.' }).getByRole('button', { name: 'Join #tea' }).click();
    await alice.getByText(/You are in #tea \(group \d+\)\./).waitFor();
    expect(await carol.next('connect')).toMatchObject({ status: 'request', from: 'alice', front: 'web', room: '#tea' });
    expect(await alice.locator('#conversations .conv-name').allTextContents()).toEqual(['#lobby', '#tea']);
    await say(alice, 'bye');
    await alice.getByText('You left #tea.').waitFor();
    expect(await alice.locator('#group-title').textContent()).toMatch(/^#lobby · group \d+$/);
    await screenshot(alice, 'rooms');
  });

  it('keeps private lines in their own conversation, opens it from the list and from the Message button; accessible', async () => {
    await start();
    const alice = await openAs('alice');
    const carol = await tcp('carol');
    const bob = await tcp('bob');
    await say(alice, 'c carol');
    await alice.getByText('You are now chatting with carol').waitFor();
    bob.send({ action: 'direct', target: 'alice', message: 'psst, alice' });
    expect(await bob.next('direct')).toMatchObject({ status: 'sent', target: 'alice' });
    // The line waits in alice's conversation with bob, counted; the group with carol stays on screen.
    const withBob = alice.locator('#conversations .conv', { has: alice.locator('.conv-name', { hasText: /^bob$/ }) });
    await withBob.locator('.unread', { hasText: '1' }).waitFor();
    expect(await withBob.locator('.conv-last').textContent()).toBe('bob: psst, alice');
    expect(await alice.locator('#log .msg.private').count()).toBe(0);
    await withBob.click();
    const fromBob = alice.locator('#log .msg.private', { hasText: 'psst, alice' });
    await fromBob.waitFor();
    expect(await fromBob.locator('.sender').textContent()).toBe('bob');
    expect(await fromBob.locator('.privately').textContent()).toBe('private, to you');
    expect(await withBob.locator('.unread').count()).toBe(0);
    expect(await alice.locator('#group-title').textContent()).toBe('Private conversation with bob');

    await alice.locator('#conversations .conv').first().click();
    expect(await person(alice, 'alice').locator('..').getByRole('button', { name: /^Message/ }).count()).toBe(0);
    await alice.getByRole('button', { name: 'Message bob privately' }).click();
    expect(await alice.locator('#line-label').textContent()).toBe('Private message to bob');
    await alice.keyboard.type('hello bob');
    await alice.keyboard.press('Enter');
    // bob was at the menu: the conversation becomes his group, as the classic connect request says.
    expect(await bob.next('connect')).toMatchObject({ status: 'request', from: 'alice', kind: 'direct' });
    expect(await bob.next('exchange')).toMatchObject({ from: '[alice]', message: 'hello bob', direct: true });
    const toBob = alice.locator('#log .msg.private.mine', { hasText: 'hello bob' });
    await toBob.waitFor();
    expect(await toBob.locator('.privately').textContent()).toBe('private, to bob');
    await carol.sync();
    expect(carol.pending().filter((f) => f.action === 'exchange')).toEqual([]);
    expect(await accessibilityProblems(alice)).toEqual([]);
    await screenshot(alice, 'private-conversation');

    await alice.locator('#conversations .conv').first().click();
    await say(alice, 'back with carol');
    expect(await carol.nextWhere('alice’s line', (f) => f['message'] === 'back with carol')).toMatchObject({ from: '[alice]' });
    await bob.sync();
    expect(bob.pending().filter((f) => f.action === 'exchange')).toEqual([]);
  });

  it('comes back by itself after a server restart and says so', async () => {
    await start();
    const alice = await openAs('alice');
    await tcp('bob');
    await say(alice, 'c bob');
    await alice.getByText('You are now chatting with bob').waitFor();
    const port = srv.webPort;
    await srv.stop();
    await alice.getByText(/The server is restarting, so you left group \d+\. Reconnecting…/).waitFor();
    await expect.poll(() => alice.locator('#conn').textContent()).toMatch(/^The server is restarting: retrying in \d+ s$/);
    expect(await alice.locator('#roster li').count()).toBe(0);
    await expect.poll(() => alice.locator('#conn').getAttribute('data-state')).not.toBe('online');
    srv = await startTestServer({ FRONTS: 'tcp,web', WEB_PORT: String(port) }, srv.dataDir);
    // The page retries on its own schedule (at most 5 s apart); a loaded machine restarts slowly.
    await alice.getByText('Reconnected: you are back online as alice.').waitFor({ timeout: 30_000 });
    expect(await alice.locator('#conn').textContent()).toBe('Connected');
    expect(await alice.locator('#group-title').textContent()).toBe('Not in a group');
    await person(alice, 'alice').waitFor();
    await screenshot(alice, 'reconnected');
  }, 60_000);

  it('refuses a name in use, keeps the name across a reload, and passes axe-core’s WCAG 2.1 AA checks', async () => {
    await start();
    await tcp('bob');
    const page = await suite.page();
    await page.goto(`http://127.0.0.1:${srv.webPort}/`);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByLabel('Your name').fill('BOB');
    await page.getByRole('button', { name: 'Enter' }).click();
    await page.getByText('BOB is already in use. Pick another name.').waitFor();
    await screenshot(page, 'login-refused');
    await page.getByLabel('Your name').fill('alice');
    await page.getByLabel('Your name').press('Enter');
    await page.locator('#chat-view').waitFor();
    await page.reload();
    await page.getByText('Welcome, alice!').waitFor();
    expect(await page.locator('#me-name').textContent()).toBe('alice');
    await say(page, 'p 18');
    await page.locator('.card.sonnet').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it('registers a name in a dialog, then asks for its password in a password field, and stays accessible', async () => {
    await start();
    const page = await openAs('alice');
    await say(page, 'register');
    const dialog = page.getByRole('dialog', { name: 'Keep the name alice' });
    await dialog.waitFor();
    await page.getByLabel('New password').fill('short');
    await page.getByLabel('New password').press('Enter');
    await dialog.getByText('A password has at least 8 characters.').waitFor();
    await page.getByLabel('New password').fill('alices garden');
    await page.getByLabel('The same password again').fill('alices gardens');
    await page.getByLabel('The same password again').press('Enter');
    await dialog.getByText('The two passwords differ: type the same one twice.').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'register-dialog');
    await page.getByLabel('The same password again').fill('alices garden');
    await dialog.getByRole('button', { name: 'Register' }).click();
    await page.getByText('alice is registered: from now on, logging in as alice takes your password.').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.locator('#me-registered').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Keep this name' }).isVisible()).toBe(false);
    expect(await page.locator('#line').inputValue()).toBe('');

    const classic = await ClassicClient.open(srv.tcpPort);
    suite.closing(() => classic.socket.destroy());
    classic.send({ action: 'login', name: 'alice' });
    expect(await classic.nextRaw()).toBe('{"action": "login", "status": "duplicate", "msg": "this name is registered", "credential": "password"}');

    await page.getByRole('button', { name: 'Log out' }).click();
    expect(await page.locator('#password').isVisible()).toBe(false);
    await page.getByLabel('Your name').fill('Alice');
    await page.getByLabel('Your name').press('Enter');
    await page.getByText('Alice is registered: type its password, or pick another name.').waitFor();
    expect(await page.locator('#password').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type('not the one');
    await page.keyboard.press('Enter');
    await page.getByText('Wrong password for alice.').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'login-password');
    await page.getByLabel('Password', { exact: true }).fill('alices garden');
    await page.getByLabel('Password', { exact: true }).press('Enter');
    await page.locator('#me-name', { hasText: 'alice' }).waitFor();
    expect(await page.locator('#me-registered').isVisible()).toBe(true);
    await page.reload();
    await page.getByText('alice is registered: type its password, or pick another name.').waitFor();
    expect(await page.getByLabel('Your name').inputValue()).toBe('alice');
  });
});
