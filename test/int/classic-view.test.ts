/**
 * The classic one-group view over real sockets: a client that logs in without features (as the
 * course's client does) while others use many groups and direct conversations
 * (docs/PROTOCOL.md, Many groups).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ClassicClient, type Frame } from '../helpers/classic-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
const clients: ClassicClient[] = [];

beforeEach(async () => {
  srv = await startTestServer();
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.socket.destroy();
  await srv.destroy();
});

/** The course's client: no features. */
async function classic(name: string): Promise<ClassicClient> {
  const c = await ClassicClient.login(srv.tcpPort, name);
  clients.push(c);
  return c;
}

/** A client of many groups, on the same front. */
async function many(name: string): Promise<ClassicClient> {
  const c = await ClassicClient.open(srv.tcpPort);
  clients.push(c);
  c.send({ action: 'login', name, features: ['events', 'rooms'] });
  expect(await c.next('login')).toMatchObject({ status: 'ok' });
  return c;
}

const lines = (c: ClassicClient): Frame[] => c.pending().filter((f) => f.action === 'exchange');

it('shows a direct line at the menu as a connect request, then the line; the reply goes back privately', async () => {
  const zz = await classic('zz');
  const peter = await classic('peter');
  const alice = await many('alice');
  alice.send({ action: 'connect', target: '#tea' });
  await alice.next('connect');
  alice.send({ action: 'direct', target: 'zz', message: 'hello zz' });
  const sent = await alice.next('direct');

  expect(await zz.next('connect')).toMatchObject({ status: 'request', from: 'alice', group: sent['group'], kind: 'direct' });
  expect(zz.lastRaw).toMatch(/^\{"action": "connect", "status": "request", "from": "alice", /);
  expect(await zz.next('exchange')).toMatchObject({ from: '[alice]', message: 'hello zz', direct: true });
  zz.send({ action: 'exchange', from: '[zz]', message: 'hi alice' });
  expect(await alice.next('exchange')).toMatchObject({ from: '[zz]', message: 'hi alice', group: sent['group'], direct: true });
  await peter.sync();
  expect(lines(peter)).toEqual([]);
  zz.send({ action: 'list' });
  // Talking, both of them; the conversation itself is nobody else's business.
  expect((await zz.next('list'))['results']).toBe("Users: ------------\n{'zz': 1, 'peter': 0, 'alice': 1}\nGroups: -----------\n{1: ['alice']}\n");
});

it('shows a direct line while chatting elsewhere inline, marked private, to that user only', async () => {
  const zz = await classic('zz');
  const peter = await classic('peter');
  zz.send({ action: 'connect', target: 'peter' });
  await zz.next('connect');
  await peter.next('connect');
  const alice = await many('alice');
  alice.send({ action: 'direct', target: 'zz', message: 'psst' });
  expect(await zz.next('exchange')).toMatchObject({ from: '[alice → you]', message: 'psst', direct: true });
  expect(zz.lastRaw).toMatch(/^\{"action": "exchange", "from": "\[alice \\u2192 you\]", "message": "psst", /);
  zz.send({ action: 'exchange', from: '[zz]', message: 'back to peter' });
  expect(await peter.next('exchange')).toMatchObject({ from: '[zz]', message: 'back to peter' });
  await alice.sync();
  expect(lines(alice)).toEqual([]);
});

it('leaving its focus with another group: that group arrives as a connect request, with a count of the lines missed there', async () => {
  const zz = await classic('zz');
  const ann = await many('ann');
  const bob = await many('bob');
  ann.send({ action: 'connect', target: '#a' });
  await ann.next('connect');
  zz.send({ action: 'connect', target: '#a' });
  expect(await zz.next('connect')).toMatchObject({ status: 'success' });
  bob.send({ action: 'direct', target: 'zz', message: 'psst' });
  expect(await zz.next('exchange')).toMatchObject({ from: '[bob → you]' });
  // A one-group client may switch its focus (a Discord user's `w bob`); the course's client never does.
  zz.send({ action: 'focus', target: 'bob' });
  expect(await zz.next('focus')).toMatchObject({ title: 'bob', kind: 'direct' });
  ann.send({ action: 'exchange', message: 'one' });
  ann.send({ action: 'exchange', message: 'two' });
  expect(await zz.next('note')).toEqual({ action: 'note', from: '', message: '(new lines in #a: type bye to leave this group and go there)' });

  zz.send({ action: 'exchange', from: '[zz]', message: 'bye' });
  zz.send({ action: 'disconnect' });
  expect(await bob.next('disconnect')).toMatchObject({ msg: 'everyone left, you are alone' });
  expect(await zz.next('connect')).toMatchObject({ status: 'request', from: '#a', room: '#a' });
  expect(await zz.next('note')).toEqual({ action: 'note', from: '', message: '(2 lines in #a while you were in bob; ? <word> searches them)' });
  expect(zz.lastRaw).toBe('{"action": "note", "from": "", "message": "(2 lines in #a while you were in bob; ? <word> searches them)"}');
  await zz.sync();
  expect(lines(zz)).toEqual([]);
});

it('tells invitations, topic and lock changes in words while chatting, which the course client prints as lines', async () => {
  const zz = await classic('zz');
  const ann = await many('ann');
  ann.send({ action: 'connect', target: '#b' });
  await ann.next('connect');
  ann.send({ action: 'invite', target: 'zz' });
  expect(await zz.next('invite')).toMatchObject({ status: 'request', from: 'ann', room: '#b' });
  zz.send({ action: 'connect', target: 'ann' });
  expect(await zz.next('connect')).toMatchObject({ status: 'success', room: '#b' });
  const cy = await many('cy');
  cy.send({ action: 'connect', target: '#c' });
  await cy.next('connect');
  cy.send({ action: 'invite', target: 'zz' });
  expect(await zz.next('note')).toMatchObject({ message: '(cy invites you to #c: type bye, then c #c)' });
  ann.send({ action: 'topic', topic: 'tulips' });
  expect(await zz.next('note')).toMatchObject({ message: '(ann set the topic: tulips)' });
  ann.send({ action: 'lock', locked: true });
  expect(await zz.next('note')).toMatchObject({ message: '(ann made this group invite-only)' });
  zz.send({ action: 'connect', target: 'cy' });
  expect(await zz.next('connect')).toMatchObject({ status: 'busy' });
});
