/**
 * Catch-up on return, over real sockets: a registered user leaves (logs out, or the connection
 * drops), others talk in two of their rooms and write to them directly, and they come back on
 * another front (IRC through irc-framework, the web front) to find themselves in their rooms
 * again and shown exactly the lines they missed, once, then live lines; across a restart too.
 * A guest's groups still end when they leave.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ClassicClient, type Frame } from '../helpers/classic-client.js';
import { FrameworkClient, type IrcEvent } from '../helpers/irc-framework-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { WsClient } from '../helpers/ws-client.js';

let srv: TestServer;
const open: { close(): void }[] = [];
const ROOMS = ['events', 'rooms'];
const PASSWORD = 'alices garden';

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await srv.destroy();
});

function track<T extends { close(): void }>(c: T): T {
  open.push(c);
  return c;
}

async function tcp(name: string): Promise<ClassicClient> {
  return track(await ClassicClient.login(srv.tcpPort, name, ROOMS));
}

/** Joins a room; its group id. */
async function join(c: ClassicClient | WsClient, room: string): Promise<number> {
  c.send({ action: 'connect', target: room, label: `join ${room}` });
  const reply = await c.nextWhere('the join', (f) => f['label'] === `join ${room}`);
  expect(reply).toMatchObject({ status: 'success' });
  return reply['group'] as number;
}

/** alice registers on the JSON TCP front and joins #tea and #cake, where bob (a guest) is too. */
async function scene(): Promise<{ alice: ClassicClient; bob: ClassicClient; tea: number; cake: number }> {
  const alice = await tcp('alice');
  alice.send({ action: 'register', password: PASSWORD });
  expect(await alice.next('register')).toMatchObject({ status: 'ok' });
  const bob = await tcp('bob');
  const tea = await join(alice, '#tea');
  const cake = await join(alice, '#cake');
  await join(bob, '#tea');
  await join(bob, '#cake');
  return { alice, bob, tea, cake };
}

/** alice's connection closes; returns once bob has seen her quit both rooms. */
async function aliceGoes(alice: ClassicClient, bob: ClassicClient, groups: number[]): Promise<void> {
  alice.close();
  for (const group of groups) await bob.nextWhere(`alice quitting group ${group}`, (f) => f.action === 'leave' && f['name'] === 'alice' && f['group'] === group);
}

/** bob says lines while alice is away: two in #tea, one in #cake, and two directly to her. */
async function bobTalks(bob: ClassicClient, tea: number, cake: number): Promise<void> {
  bob.send({ action: 'exchange', message: 'tea one', group: tea });
  bob.send({ action: 'exchange', message: 'cake one', group: cake });
  bob.send({ action: 'exchange', message: 'tea two', group: tea });
  bob.send({ action: 'direct', target: 'alice', message: 'psst', label: 'd1' });
  expect(await bob.nextWhere('the direct answer', (f) => f['label'] === 'd1')).toMatchObject({ action: 'direct', status: 'sent' });
  bob.send({ action: 'direct', target: 'alice', message: 'are you there', label: 'd2' });
  await bob.nextWhere('the direct answer', (f) => f['label'] === 'd2');
}

async function webAlice(): Promise<WsClient> {
  const c = track(await WsClient.open(srv.webPort));
  c.send({ action: 'login', name: 'alice', password: PASSWORD, features: ROOMS });
  expect(await c.next('login')).toMatchObject({ status: 'ok', registered: true });
  return c;
}

const texts = (f: Frame): string[] => (f['lines'] as { message: string }[]).map((l) => l.message);

/** Resumes on the web front: the missed blocks by title, after each group's connect. */
async function resumeWeb(c: WsClient): Promise<Map<string, string[]>> {
  c.send({ action: 'resume', label: 'r' });
  await c.nextWhere('the end of resume', (f) => f.action === 'resume' && f['label'] === 'r');
  const answers = c.events.filter((f) => f['label'] === 'r' && f.action !== 'resume');
  expect(answers.filter((f) => f.action === 'connect').every((f) => f['status'] === 'success')).toBe(true);
  return new Map(answers.filter((f) => f.action === 'missed').map((f) => [f['title'] as string, texts(f)]));
}

describe('catch-up on return', () => {
  it('left on the TCP JSON front, back on IRC: the JOIN burst of each room, then exactly the missed lines with their times, once, then live lines', async () => {
    srv = await startTestServer({ FRONTS: 'tcp,irc', PASSWORD_COST: '12' });
    const { alice, bob, tea, cake } = await scene();
    await aliceGoes(alice, bob, [tea, cake]);
    await bobTalks(bob, tea, cake);
    const irc = track(await FrameworkClient.connect(srv.ircPort, 'alice', { account: 'alice', password: PASSWORD }, { caps: ['server-time'] }));
    await irc.next('join', (e) => e['channel'] === '#tea' && e['nick'] === 'alice');
    await irc.next('join', (e) => e['channel'] === '#cake' && e['nick'] === 'alice');
    await irc.fromService(/2 lines in bob while you were away/);
    const said = (e: IrcEvent): string => `${String(e['target'])} ${String(e['message'])}`;
    const missed: IrcEvent[] = [];
    for (let i = 0; i < 5; i++) missed.push(await irc.next('privmsg', (e) => e['nick'] === 'bob'));
    expect(missed.map(said)).toEqual(['#tea tea one', '#tea tea two', '#cake cake one', 'alice psst', 'alice are you there']);
    for (const e of missed) expect(Number(e['time'])).toBeGreaterThan(0);
    bob.send({ action: 'exchange', message: 'live now', group: tea });
    expect(said(await irc.next('privmsg', (e) => e['nick'] === 'bob'))).toBe('#tea live now');
    bob.send({ action: 'exchange', message: 'sync', group: cake });
    await irc.next('privmsg', (e) => e['message'] === 'sync');
    expect(irc.events.filter((e) => e.event === 'privmsg')).toEqual([]);
  });

  it('back on the web front, and again after a restart: what was missed before and after it, each line once, in the history too', async () => {
    srv = await startTestServer({ FRONTS: 'tcp,web', PASSWORD_COST: '12' });
    const { alice, bob, tea, cake } = await scene();
    await aliceGoes(alice, bob, [tea, cake]);
    await bobTalks(bob, tea, cake);
    let web = await webAlice();
    expect(await resumeWeb(web)).toEqual(new Map([['#tea', ['tea one', 'tea two']], ['#cake', ['cake one']], ['bob', ['psst', 'are you there']]]));
    bob.send({ action: 'exchange', message: 'live now', group: tea });
    expect(await web.next('exchange')).toMatchObject({ message: 'live now', group: tea });
    // Logged out, then the server restarts; bob opens #tea again and writes.
    web.close();
    await bob.nextWhere('alice quitting', (f) => f.action === 'leave' && f['name'] === 'alice' && f['group'] === cake);
    bob.send({ action: 'exchange', message: 'before the restart', group: tea });
    await bob.sync();
    for (const c of open.splice(0)) c.close();
    srv = await srv.restart();
    const bob2 = await tcp('bob');
    const tea2 = await join(bob2, '#tea');
    bob2.send({ action: 'exchange', message: 'after the restart', group: tea2 });
    bob2.send({ action: 'direct', target: 'alice', message: 'still there?', label: 'd' });
    await bob2.nextWhere('the direct answer', (f) => f['label'] === 'd');
    web = await webAlice();
    expect(await resumeWeb(web)).toEqual(new Map([['#tea', ['before the restart', 'after the restart']], ['bob', ['still there?']]]));
    web.send({ action: 'history', target: '#tea', newest: true, label: 'h' });
    const page = await web.nextWhere('the history page', (f) => f['label'] === 'h');
    expect(texts(page)).toEqual(['tea one', 'tea two', 'live now', 'before the restart', 'after the restart']);
    // Back in #tea with bob, and in #cake, opened again with alice alone in it.
    web.send({ action: 'rooms', label: 'rooms' });
    const rooms = await web.nextWhere('the rooms', (f) => f['label'] === 'rooms');
    expect((rooms['groups'] as { label: string }[]).map((g) => g.label)).toEqual(['#tea', '#cake', 'bob']);
  });

  it("keeps nothing of a guest's groups, and nothing of a room a registered user left with bye", async () => {
    srv = await startTestServer({ FRONTS: 'tcp,web', PASSWORD_COST: '12' });
    const { alice, bob, tea, cake } = await scene();
    const gus = await tcp('gus');
    await join(gus, '#tea');
    alice.send({ action: 'disconnect', group: cake });
    await bob.nextWhere('alice leaving #cake', (f) => f.action === 'leave' && f['name'] === 'alice' && f['group'] === cake);
    gus.close();
    await bob.nextWhere('gus quitting', (f) => f.action === 'leave' && f['name'] === 'gus');
    await aliceGoes(alice, bob, [tea]);
    bob.send({ action: 'exchange', message: 'cake alone', group: cake });
    bob.send({ action: 'exchange', message: 'tea for one', group: tea });
    await bob.sync();
    const web = await webAlice();
    expect(await resumeWeb(web)).toEqual(new Map([['#tea', ['tea for one']]]));
    const guest = track(await WsClient.login(srv.webPort, 'gus'));
    guest.send({ action: 'resume', label: 'r' });
    expect(await guest.nextWhere('the resume answer', (f) => f['label'] === 'r')).toEqual({ action: 'resume', groups: 0, label: 'r' });
    guest.send({ action: 'search', target: 'tea', label: 's' });
    expect((await guest.nextWhere('the search', (f) => f['label'] === 's'))['matches']).toEqual([]);
  });
});
