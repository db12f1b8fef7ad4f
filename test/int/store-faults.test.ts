/**
 * The database failing while the server runs, for real: a disk that fills up (a small tmpfs of
 * the test's own, filled with a file; a machine that cannot mount one says so) and a database
 * another process keeps locked past the busy timeout. A line that cannot be stored is refused
 * to its sender on each front in its own medium and reaches nobody; the server keeps serving
 * everything else; once the fault has gone, lines are stored and delivered as before, and the
 * history of each user holds exactly what they were entitled to.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ircChatter, tcpChatter, wsChatter, type Chatter } from '../helpers/chatters.js';
import { ClassicClient } from '../helpers/classic-client.js';
import { startDiscordTest, type DiscordTest } from '../helpers/discord.js';
import { Proc } from '../helpers/process.js';
import { ROOT } from '../helpers/server.js';
import { spawnServer, UNLIMITED, type ServerProc } from '../helpers/server-proc.js';
import { itNeeds } from '../helpers/needs.js';
import { fillDisk, mountTmpfs, tmpfsNeed, type Tmpfs } from '../helpers/tmpfs.js';
import { waitFor } from '../helpers/wait.js';

let server: ServerProc | null = null;
let disk: Tmpfs | null = null;
let discord: DiscordTest | null = null;
const others: Proc[] = [];
afterEach(async () => {
  for (const p of others.splice(0)) p.kill();
  await discord?.close();
  discord = null;
  const running = server;
  server = null;
  try {
    // Once the fault has gone the server must stop as usual: a hang (main.ts gives up after
    // 10 s with exit code 1) or a failed stop fails the test.
    if (running) {
      running.proc.child.kill('SIGTERM');
      expect(await running.proc.exited(20_000), `the server's stop:\n${running.proc.err}`).toBe(0);
    }
  } finally {
    running?.proc.kill();
    disk?.unmount();
    disk = null;
  }
});

async function healthy(port: number): Promise<{ status: number; database: { ok: boolean; problem?: string } }> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: res.status, database: ((await res.json()) as { database: { ok: boolean; problem?: string } }).database };
}

/** Searches as the user of a native or web connection. */
async function search(c: Pick<ClassicClient, 'send' | 'nextWhere'>, target: string): Promise<{ action: string; [key: string]: unknown }> {
  c.send({ action: 'search', target });
  return c.nextWhere(`the answer to search ${target}`, (f) => f.action === 'search' || (f.action === 'error' && f['for'] === 'search'), 20_000);
}

const itWithTmpfs = itNeeds(tmpfsNeed('a full disk refuses lines on every front, keeps serving, and stores lines again once there is room'));

/** Everyone has seen everything sent so far. */
const settle = (all: Chatter[]): Promise<unknown> => Promise.all(all.map((c) => c.sync()));

itWithTmpfs('refuses lines it cannot store on every front, keeps serving, and stores them again once there is room', async () => {
  disk = mountTmpfs('size=4m');
  server = await spawnServer({ ...UNLIMITED, FRONTS: 'tcp,irc,web', DATA_DIR: disk!.dir });
  const { tcp, irc, web } = server.ports as { tcp: number; irc: number; web: number };
  const ann = await tcpChatter(tcp, 'ann');
  const bea = await wsChatter(web, 'bea');
  const cid = await ircChatter(irc, 'cid');
  const room = [ann, bea, cid];
  for (const c of room) await c.join('#full');
  const dee = await tcpChatter(tcp, 'dee');
  const eve = await wsChatter(web, 'eve');
  await dee.join('#aside');
  await eve.join('#aside');
  const everyone = [...room, dee, eve];

  ann.say('before the fault');
  await waitFor('the first line', () => bea.received().includes('before the fault') && cid.received().includes('before the fault'), 20_000);
  expect((await healthy(web)).database.ok).toBe(true);

  // Fill the disk, then write until SQLite finds no room (the log may have some left).
  const filler = join(disk!.dir, 'filler');
  fillDisk(filler);
  const padding = 'x'.repeat(3000);
  let probes = 0;
  while (ann.refusals().length === 0) {
    expect(probes++, 'a line was refused once the disk was full').toBeLessThan(2000);
    const probe = `probe ${probes} ${padding}`;
    ann.say(probe);
    // Its fate is known once it is delivered (stored) or refused. An answer to a later request
    // may come first (ann.sync() did, under load): the refusal waits for the commit.
    await waitFor(`probe ${probes} to be delivered or refused`, () => ann.refusals().length > 0 || bea.received().includes(probe), 20_000);
  }
  const stored = probes - 1;
  await settle(everyone);
  // A refused probe reached nobody; the others did, in order.
  const probesSeen = (c: Chatter): string[] => c.received().filter((t) => t.startsWith('probe '));
  for (const c of [bea, cid]) expect(probesSeen(c).map((t) => Number(t.split(' ')[1]))).toEqual(Array.from({ length: stored }, (_, i) => i + 1));

  // Each front tells its sender in its own way, and nobody gets the line.
  const failed = ['from ann while full', 'from bea while full', 'from cid while full'];
  room.forEach((c, i) => c.say(failed[i]!));
  const refusal = 'your line could not be stored, so it was not delivered';
  await waitFor('each sender to hear that its line was not stored', () => room.every((c) => c.refusals().length >= (c === ann ? 2 : 1)), 20_000);
  expect(bea.refusals()).toEqual([refusal]);
  expect(cid.refusals()).toEqual([`error: ${refusal}`]); // a NOTICE from the service
  // Another group has the same trouble, and says so too.
  dee.say('from dee while full');
  await waitFor('dee to hear it', () => dee.refusals().length === 1, 20_000);
  await settle(everyone);
  for (const c of everyone) for (const t of [...failed, 'from dee while full']) expect(c.received()).not.toContain(t);

  const health = await healthy(web);
  expect(health.status).toBe(503);
  expect(health.database.ok).toBe(false);
  expect(health.database.problem).toMatch(/full/);
  // The last write failed, and nothing has been written since: a search says it cannot answer.
  expect(await search(ann.client, 'before')).toMatchObject({ action: 'error', code: 'unavailable', msg: expect.stringContaining('cannot be searched right now') });

  // Everything that does not write still works: a new login, who, sonnets, time; and joining a room.
  const fay = await tcpChatter(tcp, 'fay');
  fay.client.send({ action: 'list' });
  const list = await fay.client.next('list', 20_000);
  expect(JSON.stringify(list)).toContain('cid');
  fay.client.send({ action: 'sonnets', target: 'summer' });
  expect(String((await fay.client.next('sonnets', 20_000))['results'])).toContain('summer');
  await fay.join('#full');
  expect(server.proc.exitCode).toBeNull();

  // Room again: lines are stored and delivered as before, from every front.
  rmSync(filler);
  const after = ['from ann after', 'from bea after', 'from cid after', 'from fay after'];
  [ann, bea, cid, fay].forEach((c, i) => c.say(after[i]!));
  await waitFor('the lines after the fault to reach the room', () => [ann, bea, cid, fay].every((c) => after.filter((t) => !c.received().includes(t)).length === 1), 20_000);
  dee.say('from dee after');
  await waitFor('eve to get dee', () => eve.received().includes('from dee after'), 20_000);
  for (const c of everyone) expect(c.refusals().length).toBe(c === ann ? 2 : c === dee || c === bea || c === cid ? 1 : 0);

  // The history holds exactly what each user was entitled to, and none of the refused lines.
  for (const [who, terms] of [
    [ann.client, { before: ['before the fault'], after: after, full: [] }],
    [fay.client, { before: [], after: after, full: [] }],
  ] as const) {
    expect((await search(who, 'before'))['matches']).toMatchObject(terms.before.map((message) => ({ message })));
    expect(((await search(who, 'after'))['matches'] as { message: string }[]).map((m) => m.message).sort()).toEqual([...terms.after].sort());
    expect((await search(who, 'full'))['matches']).toEqual(terms.full);
  }
  const probesFound = await search(ann.client, 'probe');
  expect((probesFound['matches'] as unknown[]).length + Number(probesFound['omitted'])).toBe(stored);
  expect((await healthy(web)).database).toMatchObject({ ok: true });
}, 120_000);

/** Another process takes the database's write lock and keeps it until told on stdin. */
async function lockDatabase(file: string): Promise<Proc> {
  const holder = new Proc(
    process.execPath,
    ['-e', `const db = new (require('better-sqlite3'))(${JSON.stringify(file)}); db.exec('BEGIN IMMEDIATE'); console.log('holding'); process.stdin.once('data', () => { db.exec('COMMIT'); console.log('released'); });`],
    {},
    ROOT,
  );
  others.push(holder);
  await holder.expectOut('holding', 20_000);
  return holder;
}

async function unlock(holder: Proc): Promise<void> {
  holder.type('release');
  await holder.expectOut('released', 20_000);
}

it('refuses lines while another process holds the database past the busy timeout, and stores them once it lets go', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ics-locked-'));
  server = await spawnServer({ ...UNLIMITED, FRONTS: 'tcp,web', DATA_DIR: dir });
  const { tcp, web } = server.ports as { tcp: number; web: number };
  const ann = await tcpChatter(tcp, 'ann');
  const bea = await wsChatter(web, 'bea');
  for (const c of [ann, bea]) await c.join('#locked');

  const holder = await lockDatabase(join(dir, 'history.db'));
  ann.say('while locked');
  bea.say('also while locked');
  await waitFor('both senders to hear that their lines were not stored', () => ann.refusals().length === 1 && bea.refusals().length === 1, 30_000);
  await settle([ann, bea]);
  expect([...ann.received(), ...bea.received()]).toEqual([]);
  expect((await healthy(web)).database).toMatchObject({ ok: false, problem: expect.stringMatching(/locked/) });
  bea.client.send({ action: 'time' });
  expect((await bea.client.next('time', 20_000))['action']).toBe('time');

  await unlock(holder);
  ann.say('after the lock');
  await waitFor('the line after the lock', () => bea.received().includes('after the lock'), 20_000);
  expect((await search(ann.client, 'locked'))['matches']).toEqual([]);
  expect((await search(bea.client, 'lock'))['matches']).toMatchObject([{ message: 'after the lock', from: 'ann' }]);
  expect((await healthy(web)).database).toMatchObject({ ok: true });
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

it('tells a Discord user, in their DM with the bot, that their line was not stored', async () => {
  // In-process, with the fake Discord: a commit waiting out the lock holds up this process too.
  discord = await startDiscordTest();
  const t = discord;
  const peter = await ClassicClient.login(t.srv.tcpPort, 'peter');
  const alice = t.fake.user('alice');
  t.fake.say(alice, t.fake.general.id, 'c peter');
  await peter.next('connect', 20_000);
  const thread = await waitFor('the group thread', () => t.fake.threads()[0], 20_000);
  const holder = await lockDatabase(join(t.srv.dataDir, 'history.db'));
  t.fake.say(alice, thread.id, 'while locked');
  // A refusal about one's own line is for them alone (README: public answers stay short).
  const dm = t.fake.dmOf(alice).id;
  const notice = await t.fake.message('the refusal in the DM', (m) => m.channelId === dm && m.content.includes('could not be stored'), 30_000);
  expect(notice.content).toBe('error: your line could not be stored, so it was not delivered');
  expect(t.fake.messages.filter((m) => m.channelId === thread.id && m.content.includes('could not be stored'))).toEqual([]);
  await unlock(holder);
  t.fake.say(alice, thread.id, 'after the lock');
  expect((await peter.next('exchange', 20_000))['message']).toBe('after the lock');
  expect(peter.frames.filter((f) => f.action === 'exchange').map((f) => f['message'])).toEqual(['after the lock']);
  peter.socket.destroy();
}, 120_000);
