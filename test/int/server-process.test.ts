/** `npm start` as a user runs it: the real process, its log lines, its exit on signals and bad set-ups. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { Proc } from '../helpers/process.js';
import { ROOT } from '../helpers/server.js';
import { WsClient } from '../helpers/ws-client.js';

const dir = mkdtempSync(join(tmpdir(), 'ics-proc-'));
const procs: Proc[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) p.kill();
});

function server(env: Record<string, string>): Proc {
  const p = new Proc(process.execPath, [`${ROOT}dist/server/main.js`], { CHAT_HOST: '127.0.0.1', CHAT_PORT: '0', DATA_DIR: join(dir, 'data'), FRONTS: 'tcp', ...env }, ROOT);
  procs.push(p);
  return p;
}

it.each(['SIGTERM', 'SIGINT'] as const)('prints one line per listening front and stops cleanly on %s', async (signal) => {
  const p = server({});
  const line = await p.expectOut(/tcp front listening on 127\.0\.0\.1:\d+\n/);
  const port = Number(/:(\d+)\n/.exec(line)![1]);
  const c = await ClassicClient.login(port, 'alice');
  p.child.kill(signal);
  expect(await p.exited()).toBe(0);
  expect(p.out).toContain(`shutting down signal=${signal}`);
  expect(p.out).toContain('INFO stopped');
  await c.waitClosed();
});

it('serves the built page, /healthz and the WebSocket from the real process, and says goodbye on SIGTERM', async () => {
  const p = server({ FRONTS: 'tcp,web', WEB_PORT: '0' });
  const line = await p.expectOut(/web front listening on http:\/\/127\.0\.0\.1:\d+\n/);
  const base = /(http:\S+)\n/.exec(line)![1]!;
  const page = await fetch(`${base}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<title>ics-chat</title>');
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  const alice = await WsClient.login(Number(new URL(base).port), 'alice');
  p.child.kill('SIGTERM');
  await alice.waitClosed();
  expect(alice.closeCode).toBe(1001);
  expect(await p.exited()).toBe(0);
});

it('refuses a malformed sonnets file at start, naming the line', async () => {
  const file = join(dir, 'bad-sonnets.txt');
  writeFileSync(file, 'I.\n\nA line\n\nIII.\n\nAnother\n');
  const p = server({ SONNETS_FILE: file });
  expect(await p.exited()).toBe(1);
  expect(p.err).toContain(`the sonnets file ${file} is malformed: line 5: expected the title II. (sonnet 2), found "III."`);
});

it('refuses a bad setting with a clear message', async () => {
  const p = server({ CHAT_PORT: 'eleven' });
  expect(await p.exited()).toBe(2);
  expect(p.err).toBe('configuration error: CHAT_PORT must be a whole number from 0 to 65535, got "eleven"\n');
});

it('refuses an unusable data directory with a clear message', async () => {
  const file = join(dir, 'not-a-dir');
  writeFileSync(file, '');
  const p = server({ DATA_DIR: join(file, 'data') });
  expect(await p.exited()).toBe(1);
  expect(p.err).toContain(`the data folder ${join(file, 'data')} cannot be created or written`);
});

it('says when its port is taken', async () => {
  const first = server({});
  const line = await first.expectOut(/listening on 127\.0\.0\.1:\d+\n/);
  const port = /:(\d+)\n/.exec(line)![1]!;
  const second = server({ CHAT_PORT: port, DATA_DIR: join(dir, 'data2') });
  expect(await second.exited()).toBe(1);
  expect(second.err).toContain(`tcp front cannot listen on 127.0.0.1:${port}`);
});

process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
