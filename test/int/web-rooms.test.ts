/**
 * The chat page in many conversations at once, in a real browser (headless Debian chromium):
 * two rooms and a private conversation with users on the terminal and IRC, switched between in
 * the list with mouse and keyboard, unread counts rising and clearing (in the list and the tab
 * title), a line naming the reader highlighted, rooms joined and left by name; and the page at
 * desktop and phone sizes: nothing wider than the screen, the controls reachable and clear of
 * each other, axe-core's WCAG 2.1 AA checks on every view.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { RawIrc } from '../helpers/irc-raw.js';
import { accessibilityProblems, browserSuite, screenshot } from '../helpers/browser.js';
import { layoutProblems, SCREENS } from '../helpers/page-layout.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
const suite = browserSuite(() => srv);


async function tcp(name: string): Promise<ClassicClient> {
  const c = await ClassicClient.login(srv.tcpPort, name);
  suite.closing(() => c.socket.destroy());
  return c;
}

async function irc(nick: string): Promise<RawIrc> {
  const c = await RawIrc.register(srv.ircPort, nick);
  suite.closing(() => c.socket.destroy());
  return c;
}

async function open(): Promise<Page> {
  const page = await suite.page();
  await page.goto(`http://127.0.0.1:${srv.webPort}/`);
  await expect.poll(() => page.locator('#conn').textContent()).toBe('Connected');
  return page;
}

async function openAs(name: string): Promise<Page> {
  const page = await open();
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  await page.locator('#me-name', { hasText: name }).waitFor();
  return page;
}

async function say(page: Page, line: string): Promise<void> {
  await page.locator('#line').fill(line);
  await page.locator('#line').press('Enter');
}

/** The list's entry for a conversation, by the name it shows. */
const conv = (page: Page, name: string) => page.locator('#conversations .conv', { has: page.locator('.conv-name', { hasText: new RegExp(`^${name}$`) }) });
const unread = async (page: Page, name: string) => (await conv(page, name).locator('.unread').allTextContents())[0] ?? '';

describe('the page in many conversations', () => {
  it('switches between two rooms and a private conversation, counting unread lines and highlighting a mention', async () => {
    srv = await startTestServer({ FRONTS: 'tcp,irc,web' });
    const alice = await openAs('alice');
    const bob = await tcp('bob');
    const ivan = await irc('ivan');
    expect(await alice.locator('#conversations').textContent()).toContain('None yet');

    // A room joined by name in the sidebar, another typed.
    await alice.getByLabel('Join or open a room').fill('lobby');
    await alice.getByLabel('Join or open a room').press('Enter');
    await alice.getByText(/You are in #lobby \(group \d+\)\./).waitFor();
    expect(await alice.getByLabel('Join or open a room').inputValue()).toBe('');
    ivan.send('JOIN #lobby');
    await alice.getByText('ivan joined the group.').waitFor();
    await say(alice, '/j #tea');
    await alice.getByText(/You are in #tea \(group \d+\)\./).waitFor();
    bob.send({ action: 'connect', target: '#tea' });
    await bob.next('connect');
    await alice.getByText('bob joined the group.').waitFor();
    expect(await alice.locator('#group-title').textContent()).toMatch(/^#tea · group \d+$/);
    const where = (name: string) => alice.locator('#roster li', { has: alice.locator('.name', { hasText: new RegExp(`^${name}`) }) }).locator('.where');
    await expect.poll(() => where('bob').textContent()).toBe('with you in #tea');
    expect(await where('alice').textContent()).toBe('in 2 conversations');

    // A private conversation from the roster's Message button, begun by the first line.
    await alice.getByRole('button', { name: 'Message bob privately' }).click();
    expect(await alice.locator('#group-title').textContent()).toBe('Private conversation with bob');
    expect(await conv(alice, 'bob').locator('.conv-last').textContent()).toBe('Not written to yet');
    await alice.keyboard.type('are you coming?');
    await alice.keyboard.press('Enter');
    expect(await bob.nextWhere('alice’s private line', (f) => f.action === 'exchange' && f['message'] === 'are you coming?')).toMatchObject({ direct: true });
    await expect.poll(() => conv(alice, 'bob').locator('.conv-last').textContent()).toBe('alice: are you coming?');

    // Lines in the two rooms not on screen: counted in the list and the title; ivan's names alice.
    ivan.send('PRIVMSG #lobby :alice, the sonnets are here');
    bob.send({ action: 'exchange', message: 'the tea is ready' });
    await expect.poll(() => unread(alice, '#lobby')).toBe('@ 1');
    await expect.poll(() => unread(alice, '#tea')).toBe('1');
    expect(await conv(alice, '#tea').locator('.conv-last').textContent()).toBe('bob: the tea is ready');
    await expect.poll(() => alice.title()).toBe('(2) ics-chat');
    expect(await alice.locator('#log .msg .text').allTextContents()).toEqual(['are you coming?']);
    ivan.send('PRIVMSG #lobby :and a second line');
    await expect.poll(() => unread(alice, '#lobby')).toBe('@ 2');
    await expect.poll(() => alice.title()).toBe('(3) ics-chat');

    await conv(alice, '#lobby').click();
    const mention = alice.locator('#log .msg.mention');
    await mention.waitFor();
    expect(await mention.locator('.text').textContent()).toBe('alice, the sonnets are here');
    expect(await mention.locator('.mentions').textContent()).toBe('mentions you');
    expect(await alice.locator('#log .msg.mention').count()).toBe(1);
    expect(await alice.locator('#log .unread-divider').count()).toBe(1);
    expect(await unread(alice, '#lobby')).toBe('');
    await expect.poll(() => alice.title()).toBe('(1) ics-chat');
    expect(await conv(alice, '#lobby').getAttribute('aria-current')).toBe('true');
    await screenshot(alice, 'rooms-desktop');
    expect(await accessibilityProblems(alice)).toEqual([]);

    // The keyboard alone: Tab to #tea in the list, Enter; the message box then has focus.
    await conv(alice, '#tea').focus();
    await alice.keyboard.press('Enter');
    await alice.locator('#log .msg .text', { hasText: 'the tea is ready' }).waitFor();
    await expect.poll(() => alice.title()).toBe('ics-chat');
    expect(await alice.locator('#line').evaluate((el) => el === document.activeElement)).toBe(true);
    await alice.keyboard.type('coming!');
    await alice.keyboard.press('Enter');
    expect(await bob.nextWhere('alice’s line in #tea', (f) => f.action === 'exchange' && f['message'] === 'coming!')).toMatchObject({ from: '[alice]' });
    // The terminal client's switch, typed, shows the conversation it names.
    await say(alice, '/w bob');
    await expect.poll(() => alice.locator('#group-title').textContent()).toBe('Private conversation with bob');
    await conv(alice, '#tea').click();

    // Leaving: #tea with its button, #lobby typed by name; the private conversation stays.
    await alice.getByRole('button', { name: 'Leave #tea' }).click();
    await alice.getByText('You left #tea.').waitFor();
    bob.send({ action: 'list' });
    const list = await bob.nextWhere('the list', (f) => f.action === 'list');
    expect((list['groups'] as { room?: string; members: string[] }[]).find((g) => g.room === '#tea')?.members).toEqual(['bob']);
    await say(alice, '/bye #lobby');
    await ivan.expect(/^:alice!\S+ PART :?#lobby/);
    await expect.poll(() => alice.locator('#conversations .conv-name').allTextContents()).toEqual(['bob']);
    expect(await alice.locator('#group-title').textContent()).toBe('Private conversation with bob');
  });

  it('keeps a conversation that ended readable and marked until it is closed, and tells what went wrong there', async () => {
    srv = await startTestServer({ FRONTS: 'tcp,web' });
    const alice = await openAs('alice');
    const bob = await tcp('bob');
    const carol = await tcp('carol');
    carol.send({ action: 'connect', target: '#den' });
    await carol.next('connect');
    await say(alice, 'c #den');
    await alice.getByText(/You are in #den/).waitFor();
    bob.send({ action: 'direct', target: 'alice', message: 'psst' });
    await conv(alice, 'bob').waitFor();

    carol.send({ action: 'kick', target: 'alice', reason: 'testing' });
    await expect.poll(() => alice.locator('#group-title').textContent()).toMatch(/^#den · group \d+ \(ended\)$/);
    await alice.locator('#log .notice.error', { hasText: 'testing' }).waitFor();
    expect(await conv(alice, '#den').locator('.tag').allTextContents()).toEqual(['ended']);
    expect(await alice.locator('#line-label').textContent()).toBe('Command');
    expect(await alice.locator('#leave').textContent()).toBe('Close');
    // A group action there names the group, and the server says why it cannot be done.
    await say(alice, 'topic tulips');
    await alice.locator('#log .notice.error', { hasText: /not in group \d+/ }).waitFor();
    await say(alice, 'bye');
    await expect.poll(() => alice.locator('#conversations .conv-name').allTextContents()).toEqual(['bob']);
    expect(await alice.locator('#group-title').textContent()).toBe('Private conversation with bob');

    bob.socket.destroy();
    await alice.getByText('bob left your conversation').waitFor();
    expect(await alice.locator('#group-title').textContent()).toBe('Private conversation with bob (ended)');
    expect(await alice.locator('#line-label').textContent()).toBe('Private message to bob');
    await say(alice, 'are you still there?');
    await alice.locator('#log .notice.error', { hasText: 'bob is not online' }).waitFor();
    expect(await accessibilityProblems(alice)).toEqual([]);
    await alice.getByRole('button', { name: 'Close' }).click();
    expect(await alice.locator('#group-title').textContent()).toBe('Not in a group');
    expect(await alice.locator('#conversations').textContent()).toContain('None yet');
  });

  it('fits desktop and phone screens: nothing wider than the screen, every control reachable and clear, accessible on every view', async () => {
    srv = await startTestServer({ FRONTS: 'tcp,irc,web' });
    const login = await open();
    const alice = await openAs('alice');
    const max = await tcp('maximilian-von-habsburg');
    const ivan = await irc('ivan');
    await say(alice, 'j #lobby');
    await alice.getByText(/You are in #lobby/).waitFor();
    ivan.send('JOIN #lobby');
    max.send({ action: 'connect', target: '#lobby' });
    await max.next('connect');
    await say(alice, '/topic Sonnets, and who reads them on a phone');
    await say(alice, '/j #a-room-with-a-rather-long-name');
    await alice.getByText(/You are in #a-room-with-a-rather-long-name/).waitFor();
    max.send({ action: 'direct', target: 'alice', message: 'a private word about the sonnets, long enough to wrap on a phone' });
    await conv(alice, 'maximilian-von-habsburg').waitFor();
    ivan.send('PRIVMSG #lobby :alice: have you read sonnet 18 on your phone yet?');
    await expect.poll(() => unread(alice, '#lobby')).toBe('@ 1');
    await conv(alice, '#lobby').click();
    await say(alice, '/p 18');
    await alice.locator('.card.sonnet').waitFor();

    for (const screen of SCREENS) {
      const where = `${screen.name} ${screen.width}x${screen.height}`;
      await login.setViewportSize(screen);
      await alice.setViewportSize(screen);
      expect(await layoutProblems(login, ['#name', '#login-form button[type=submit]']), where).toEqual([]);
      expect(await accessibilityProblems(login), where).toEqual([]);
      await screenshot(login, `login-${screen.name}`);

      const menu = alice.locator('#menu');
      expect(await menu.isVisible(), where).toBe(screen.phone);
      if (!screen.phone) {
        const all = ['#logout', '#conversations', '#join-room', '#search-q', '#sonnet-n', '#roster', '#line', '#leave'];
        expect(await layoutProblems(alice, all, ['#roster li', '#conversations li']), where).toEqual([]);
        expect(await accessibilityProblems(alice), where).toEqual([]);
        await screenshot(alice, `chat-${screen.name}`);
        continue;
      }
      // The conversation, with the drawer closed.
      await alice.locator('#log .card.sonnet').scrollIntoViewIfNeeded();
      expect(await layoutProblems(alice, ['#menu', '#logout', '#group-title', '#leave', '#line']), where).toEqual([]);
      expect(await accessibilityProblems(alice), where).toEqual([]);
      await screenshot(alice, `chat-${screen.name}`);
      // The drawer: conversations, joining, who is online, search and sonnets.
      await menu.click();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      expect(await alice.locator('#line').isVisible()).toBe(false);
      const drawer = ['#menu', '#logout', '#conversations', '#join-room', '#roster', '#search-q', '#sonnet-n'];
      expect(await layoutProblems(alice, drawer, ['#roster li', '#conversations li']), where).toEqual([]);
      expect(await accessibilityProblems(alice), where).toEqual([]);
      await alice.locator('#sidebar').evaluate((el) => (el.scrollTop = 0));
      await screenshot(alice, `drawer-${screen.name}`);
      // Escape closes it, back on its button; picking a conversation closes it too.
      await alice.keyboard.press('Escape');
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      expect(await menu.evaluate((el) => el === document.activeElement)).toBe(true);
      await menu.click();
      await conv(alice, 'maximilian-von-habsburg').click();
      expect(await alice.locator('#group-title').textContent()).toBe('Private conversation with maximilian-von-habsburg');
      expect(await layoutProblems(alice, ['#menu', '#logout', '#group-title', '#line']), where).toEqual([]);
      await menu.click();
      await conv(alice, '#lobby').click();
      expect(await alice.locator('#line').isVisible()).toBe(true);
      // A search from the drawer closes it, to show the results.
      await menu.click();
      await alice.getByLabel('Search your chat history').fill('phone');
      await alice.getByLabel('Search your chat history').press('Enter');
      await alice.locator('.card.search', { hasText: 'sonnet 18 on your phone' }).last().waitFor();
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
    }
  }, 60_000);

  it('rewrites in place, marked, a line its sender edits or deletes', async () => {
    srv = await startTestServer({ FRONTS: 'tcp,web' });
    const alice = await openAs('alice');
    await alice.getByLabel('Join or open a room').fill('tea');
    await alice.getByLabel('Join or open a room').press('Enter');
    await alice.getByText(/You are in #tea \(group \d+\)\./).waitFor();
    const bob = await ClassicClient.login(srv.tcpPort, 'bob', ['events', 'rooms', 'acks']);
    suite.closing(() => bob.socket.destroy());
    bob.send({ action: 'connect', target: '#tea' });
    const group = (await bob.next('connect'))['group'] as number;
    const line = async (message: string): Promise<number> => {
      bob.send({ action: 'exchange', message, group, label: message });
      return (await bob.next('said'))['id'] as number;
    };
    const first = await line('tea at non');
    const second = await line('oops, wrong room');
    const texts = alice.locator('#log .msg .text');
    await expect.poll(() => texts.allTextContents()).toEqual(['tea at non', 'oops, wrong room']);

    bob.send({ action: 'edit', id: first, message: 'tea at noon' });
    bob.send({ action: 'delete', id: second });
    await expect.poll(() => texts.allTextContents()).toEqual(['tea at noon', 'This line was deleted.']);
    expect(await alice.locator('#log .msg .edited').allTextContents()).toEqual(['edited', 'deleted']);
    expect(await alice.locator('#log .msg.deleted').count()).toBe(1);
    expect(await accessibilityProblems(alice)).toEqual([]);
  }, 30_000);
});
