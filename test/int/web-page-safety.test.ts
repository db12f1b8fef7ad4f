/**
 * The chat page in a real browser against hostile text and a guarded server: every string
 * another user controls is shown as text (no markup, no script, no reordering beyond its
 * line), a server that is full says why and lets the page in once there is room, and a page
 * left at the login form past the login time quietly keeps a connection.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { browserSuite, screenshot } from '../helpers/browser.js';
import { RawIrc } from '../helpers/irc-raw.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

let srv: TestServer;
const suite = browserSuite(() => srv);


async function start(env: Record<string, string> = {}): Promise<void> {
  srv = await startTestServer({ FRONTS: 'tcp,irc,web', ...env });
}

async function open(): Promise<Page> {
  const page = await suite.page();
  await page.goto(`http://127.0.0.1:${srv.webPort}/`);
  return page;
}

async function login(page: Page, name: string): Promise<void> {
  await expect.poll(() => page.locator('#conn').textContent(), { timeout: 15_000 }).toBe('Connected');
  await page.locator('#name').fill(name);
  await page.locator('#name').press('Enter');
  await page.locator('#me-name', { hasText: name }).waitFor();
}

/** Lines other users send, as the page must show them (the hub's rules applied: docs/PROTOCOL.md). */
const HOSTILE: [sent: string, shown: string][] = [
  ['<img src=x onerror="window.__pwned=1">', '<img src=x onerror="window.__pwned=1">'],
  ['<script>window.__pwned=2</script>', '<script>window.__pwned=2</script>'],
  ['<svg onload="window.__pwned=3"><a href="javascript:window.__pwned=4">click</a></svg>', '<svg onload="window.__pwned=3"><a href="javascript:window.__pwned=4">click</a></svg>'],
  ['&lt;b&gt;not bold&lt;/b&gt; &amp; <!-- comment -->', '&lt;b&gt;not bold&lt;/b&gt; &amp; <!-- comment -->'],
  ['</p></div><h1>out of the log</h1>', '</p></div><h1>out of the log</h1>'],
  ['line one\r\n<b>line two</b>', 'line one\n<b>line two</b>'],
  ['nul\0 esc\x1b[31m bel\x07', 'nul␀ esc␛[31m bel␇'],
  ['reversed \u202etxt.exe', 'reversed \u202etxt.exe\u202c'],
  ['zero\u200bwidth 👩‍💻 שלום', 'zero\u200bwidth 👩‍💻 שלום'],
];

describe('the page and hostile text', () => {
  it('shows every line, topic and reason from the other fronts as text', async () => {
    await start({ FLOOD_BURST: '1000', FLOOD_RATE: '1000' });
    const tina = await ClassicClient.login(srv.tcpPort, 'tina');
    suite.closing(() => tina.socket.destroy());
    tina.send({ action: 'connect', target: '#den' });
    await tina.next('connect');
    const page = await open();
    await login(page, 'wendy');
    await page.locator('#line').fill('c #den');
    await page.locator('#line').press('Enter');
    await expect.poll(() => page.locator('#group-title').textContent()).toContain('#den');
    const ivan = await RawIrc.register(srv.ircPort, 'ivan');
    suite.closing(() => ivan.close());
    ivan.send('JOIN #den');
    await ivan.expect(/ 366 /);

    for (const [sent] of HOSTILE) tina.send({ action: 'exchange', message: sent });
    for (const [sent] of HOSTILE.filter(([s]) => !/[\r\n\0]/.test(s))) ivan.send(`PRIVMSG #den :${sent}`);
    tina.send({ action: 'topic', topic: '<i>topic</i>\x1b[2J' });

    const fromIrc = HOSTILE.filter(([s]) => !/[\r\n\0]/.test(s)).map(([s]) => s.replace(/[\x00-\x1f]/g, ''));
    const fromIrcShown = fromIrc.map((s) => (s.includes('\u202e') ? `${s}\u202c` : s));
    const texts = page.locator('#log .msg .text');
    await expect.poll(() => texts.count(), { timeout: 10_000 }).toBe(HOSTILE.length + fromIrcShown.length);
    const shown = await page.locator('#log .msg').evaluateAll((els) => els.map((el) => [el.querySelector('.sender')?.textContent, el.querySelector('.text')?.textContent]));
    expect(shown.filter(([who]) => who === 'tina').map(([, text]) => text)).toEqual(HOSTILE.map(([, text]) => text));
    expect(shown.filter(([who]) => who === 'ivan').map(([, text]) => text)).toEqual(fromIrcShown);
    expect(await texts.evaluateAll((els) => els.every((el) => el.getAttribute('dir') === 'auto' && el.children.length === 0))).toBe(true);
    // The conversation list shows the newest line as text too.
    const [markup, markupShown] = HOSTILE[0]!;
    tina.send({ action: 'exchange', message: markup });
    const newest = page.locator('#conversations .conv-last');
    await expect.poll(() => newest.textContent()).toBe(`tina: ${markupShown}`);
    expect(await newest.evaluate((el) => el.getAttribute('dir') === 'auto' && el.children.length === 0)).toBe(true);
    await page.getByText('<i>topic</i>␛[2J').first().waitFor();
    tina.send({ action: 'kick', target: 'ivan', reason: '<img src=y onerror="window.__pwned=5">\r\nmore' });
    await page.getByText('ivan was removed by tina: <img src=y onerror="window.__pwned=5"> more').waitFor();

    expect(await page.locator('#log img, #log script, #log svg, #log a, #log b, #log i, #log h1, main h1:has-text("out of the log"), #sidebar img, #sidebar b').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await screenshot(page, 'hostile-text');
  });
});

describe('the page and the connection caps', () => {
  it('says the server is full and why, and gets in once there is room', async () => {
    await start({ MAX_CONNECTIONS_PER_ADDRESS: '1' });
    const tina = await ClassicClient.login(srv.tcpPort, 'tina');
    suite.closing(() => tina.socket.destroy());
    const page = await open();
    await expect
      .poll(() => page.locator('#conn').textContent())
      .toMatch(/^The server is busy \(too many connections from your address \(1\); close some and try again\): retrying in \d+ s$/);
    await screenshot(page, 'server-full');
    tina.socket.destroy();
    await login(page, 'wendy');
  });

  it('keeps a connection while the page waits at the login form past the login time', async () => {
    // Long enough for a login begun on a fresh connection to finish in time, however busy the machine.
    await start({ LOGIN_TIMEOUT_MS: '3000' });
    const page = await open();
    const logged = (what: string) => srv.logs.filter((l) => l.includes(what)).length;
    const timedOut = () => logged('closing a web connection that did not log in in time');
    await waitFor('the page to be timed out twice', () => timedOut() >= 2, 30_000);
    // The page replaces a timed-out connection at once: log in on the replacement, not the one closing.
    await waitFor('the page to connect again', () => logged('web client connected') > timedOut(), 15_000);
    await login(page, 'wendy');
    expect(await page.locator('#log .notice.error').count()).toBe(0);
  });
});
