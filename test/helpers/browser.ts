/**
 * A real browser for the page tests: Debian's chromium (installed by
 * scripts/install-test-deps.sh, never downloaded) driven by playwright-core, in a fresh
 * profile. Screenshots go to test-artifacts/web/ (git-ignored) for people to look at.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { ROOT } from './server.js';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'web');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  /** A new tab; page errors and CSP violations are collected in `problems`. */
  page(): Promise<Page>;
  problems: string[];
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'ics-chat-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1180, height: 760 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  const problems: string[] = [];
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    problems,
    async page() {
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error' && !/WebSocket connection .* failed|ERR_CONNECTION_REFUSED/.test(msg.text())) problems.push(`console: ${msg.text()}`);
      });
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2 A/AA violations axe-core finds on the page as it is now (ids and the elements at fault). */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type Axe = { run(context: unknown, options: object): Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> };
    const { axe, document } = globalThis as unknown as { axe: Axe; document: unknown };
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  });
}

/** Waits for a clean-up step, or fails naming it (a hang here would otherwise be a bare hook time-out). */
async function within<T>(what: string, step: Promise<T>, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)));
  try {
    return await Promise.race([step, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** What a browser test file shares: one browser, and what each test leaves to be closed after it. */
export interface BrowserSuite {
  /** A new tab, closed after the test. */
  page(): Promise<Page>;
  /** Something to close after the test, once its pages are (a client's socket). */
  closing(close: () => void): void;
}

/**
 * Sets up a browser test file: one browser for the file; after each test its pages, then what it
 * gave `closing`, then the server `server()` gives are closed, and a page error or console error
 * any page had fails the test.
 */
export function browserSuite(server: () => { destroy(): Promise<void> } | undefined): BrowserSuite {
  let browser: TestBrowser | undefined;
  const pages: Page[] = [];
  const closers: (() => void)[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await within('closing the pages', Promise.all(pages.splice(0).map((p) => p.close())));
    for (const close of closers.splice(0)) close();
    await within('stopping the server', server()?.destroy() ?? Promise.resolve());
    expect(browser?.problems.splice(0)).toEqual([]);
  });
  return {
    async page() {
      if (!browser) throw new Error('the browser did not start');
      const page = await browser.page();
      pages.push(page);
      return page;
    },
    closing: (close) => void closers.push(close),
  };
}
