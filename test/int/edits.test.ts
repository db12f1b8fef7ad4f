/** Editing and deleting one's own lines: stored first, told to those who saw the line, found by search as they read now. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
const open: ClassicClient[] = [];

beforeEach(async () => {
  srv = await startTestServer();
});

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await srv.destroy();
});

async function login(name: string, features?: string[]): Promise<ClassicClient> {
  const c = await ClassicClient.login(srv.tcpPort, name, features);
  open.push(c);
  return c;
}

it('a labelled line of a session with acks is answered with its id; an edit and a delete reach those who saw the line, and search shows the latest text', async () => {
  const ann = await login('ann', ['events', 'rooms', 'acks']);
  const bob = await login('bob');
  ann.send({ action: 'connect', target: '#tea', label: 'c' });
  await ann.next('connect');
  bob.send({ action: 'connect', target: '#tea' });
  await bob.next('connect');
  await ann.next('connect');

  ann.send({ action: 'exchange', message: 'tea at non', group: 1, label: 'l1' });
  const said = await ann.next('said');
  expect(said).toEqual({ action: 'said', group: 1, id: 1, seq: 1, label: 'l1' });
  ann.send({ action: 'exchange', message: 'unlabelled', group: 1 });
  expect(await bob.next('exchange')).toMatchObject({ from: '[ann]', message: 'tea at non', id: 1 });
  expect(await bob.next('exchange')).toMatchObject({ message: 'unlabelled' });

  // carol joins after the line: she hears nothing of its edit.
  const carol = await login('carol');
  carol.send({ action: 'connect', target: '#tea' });
  await carol.next('connect');

  ann.send({ action: 'edit', id: 1, message: 'tea at noon', label: 'e1' });
  expect(await bob.next('edit')).toEqual({ action: 'edit', from: '[ann]', message: '(edit) tea at noon', name: 'ann', front: 'tcp', id: 1, group: 1, text: 'tea at noon' });
  bob.send({ action: 'search', target: 'tea' });
  expect((await bob.next('search'))['results']).toMatch(/ann : tea at noon$/);

  bob.send({ action: 'edit', id: 1, message: 'hijacked' });
  expect(await bob.next('error')).toMatchObject({ code: 'not-allowed', msg: 'line 1 is not one of yours in this group', for: 'edit' });
  bob.send({ action: 'delete', id: 'x' });
  expect(await bob.next('error')).toMatchObject({ code: 'bad-request', msg: '"id" must be a line id (a whole number from 1)' });

  ann.send({ action: 'delete', id: 2, group: 1 });
  expect(await bob.next('edit')).toMatchObject({ message: '(deleted a line)', id: 2, deleted: true, text: '' });
  bob.send({ action: 'search', target: 'unlabelled' });
  expect(await bob.next('search')).toMatchObject({ matches: [] });
  await Promise.all([carol.sync(), ann.sync()]);
  expect(carol.pending().filter((f) => f.action === 'edit')).toEqual([]);
  expect(ann.pending().filter((f) => f.action === 'edit' || f.action === 'said')).toEqual([]);
});
