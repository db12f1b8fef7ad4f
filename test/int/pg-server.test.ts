/**
 * One server on PostgreSQL (DATABASE_URL without NATS_URL): history, accounts and kept
 * memberships live in the database, survive a restart, and a second server started on the same
 * database is refused with a line saying why (several need cluster mode).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { freshDatabase, POSTGRES_NEED } from '../helpers/engines.js';
import { itNeeds } from '../helpers/needs.js';
import { Proc } from '../helpers/process.js';
import { ROOT } from '../helpers/server.js';
import { spawnServer, UNLIMITED, type ServerProc } from '../helpers/server-proc.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

itNeeds(POSTGRES_NEED)('keeps history and accounts in PostgreSQL across a restart, and refuses a second server on the database', async () => {
  const { url, engine } = await freshDatabase('sole');
  stops.push(async () => engine?.destroy());
  const start = async (): Promise<ServerProc> => {
    const srv = await spawnServer({ ...UNLIMITED, DATABASE_URL: url, DATA_DIR: mkdtempSync(join(tmpdir(), 'ics-sole-')) });
    stops.push(async () => {
      srv.proc.kill();
      await srv.proc.exited().catch(() => undefined);
    });
    return srv;
  };
  const first = await start();
  expect(first.proc.out).toMatch(/ready .*data="?PostgreSQL \(DATABASE_URL\)/);
  expect(first.proc.out + first.proc.err).not.toContain(url);
  const alice = await ClassicClient.login(first.ports['tcp']!, 'alice');
  const bob = await ClassicClient.login(first.ports['tcp']!, 'bob');
  alice.send({ action: 'register', password: 'correct horse battery' });
  expect(await alice.next('register')).toMatchObject({ status: 'ok' });
  alice.send({ action: 'connect', target: 'bob' });
  await alice.next('connect');
  alice.send({ action: 'exchange', message: 'stored in postgres' });
  await bob.next('exchange');

  const second = new Proc(process.execPath, [`${ROOT}dist/server/main.js`], { ...UNLIMITED, CHAT_PORT: '0', FRONTS: 'tcp', DATABASE_URL: url, DATA_DIR: mkdtempSync(join(tmpdir(), 'ics-sole-')) }, ROOT);
  expect(await second.exited(20_000)).toBe(1);
  expect(second.out + second.err).toContain('another server already runs on this PostgreSQL database; to run several as one, set NATS_URL on each (cluster mode)');
  alice.socket.destroy();
  bob.socket.destroy();

  first.proc.child.kill('SIGTERM');
  expect(await first.proc.exited()).toBe(0);
  const again = await start();
  const back = await ClassicClient.login(again.ports['tcp']!, 'bob');
  back.send({ action: 'search', target: 'postgres' });
  expect(String((await back.next('search'))['results'])).toContain('alice : stored in postgres');
  const twin = await ClassicClient.open(again.ports['tcp']!);
  twin.send({ action: 'login', name: 'alice' });
  expect(await twin.next('login')).toMatchObject({ status: 'duplicate', credential: 'password' });
  back.socket.destroy();
  twin.socket.destroy();
}, 60_000);
