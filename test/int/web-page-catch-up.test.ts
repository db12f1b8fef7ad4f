/** Catch-up on return in the chat page, in a real browser (headless Debian chromium): the block in the room's pane. */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { accessibilityProblems, browserSuite, screenshot } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
const suite = browserSuite(() => srv);


/** Logs in as alice, whose name takes a password. */
async function logIn(page: Page): Promise<void> {
  await page.getByLabel('Your name').fill('alice');
  await page.getByLabel('Your name').press('Enter');
  await page.getByLabel('Password', { exact: true }).fill('alices garden');
  await page.getByLabel('Password', { exact: true }).press('Enter');
  await page.locator('#me-name', { hasText: 'alice' }).waitFor();
}

it('shows a registered user who logs in again what they missed in their room, as a block in its pane, once; accessible', async () => {
  srv = await startTestServer({ FRONTS: 'tcp,web', PASSWORD_COST: '12' });
  const reg = await ClassicClient.login(srv.tcpPort, 'alice');
  suite.closing(() => reg.socket.destroy());
  reg.send({ action: 'register', password: 'alices garden' });
  expect(await reg.next('register')).toMatchObject({ status: 'ok' });
  reg.send({ action: 'connect', target: '#tea' });
  const group = (await reg.next('connect'))['group'];
  const bob = await ClassicClient.login(srv.tcpPort, 'bob', ['events', 'rooms']);
  suite.closing(() => bob.socket.destroy());
  bob.send({ action: 'connect', target: '#tea' });
  await bob.next('connect');
  reg.socket.destroy();
  await bob.nextWhere('alice quitting', (f) => f.action === 'leave' && f['name'] === 'alice');
  bob.send({ action: 'exchange', message: 'the news', group });
  await bob.sync();

  const page = await suite.page();
  await page.goto(`http://127.0.0.1:${srv.webPort}/`);
  await logIn(page);
  await page.getByText('1 line in #tea while you were away:').waitFor();
  await page.getByText('End of what you missed in #tea; new lines follow.').waitFor();
  bob.send({ action: 'exchange', message: 'live now', group });
  await page.locator('#log .msg .text', { hasText: 'live now' }).waitFor();
  expect(await page.locator('#log .msg .text').allTextContents()).toEqual(['the news', 'live now']);
  expect(await page.locator('#group-title').textContent()).toMatch(/^#tea\b/);
  expect(await accessibilityProblems(page)).toEqual([]);
  await screenshot(page, 'catch-up');
}, 60_000);
