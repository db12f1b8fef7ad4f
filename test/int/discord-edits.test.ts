/**
 * Edits and deletions across the bridge: a Discord user's edited or deleted line is corrected on
 * the TCP, IRC and web fronts and in the history; another front's correction shows in the thread.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { startDiscordTest, type DiscordTest } from '../helpers/discord.js';
import { RawIrc } from '../helpers/irc-raw.js';
import { WsClient } from '../helpers/ws-client.js';
import { waitFor } from '../helpers/wait.js';

let t: DiscordTest;
const open: { close(): void }[] = [];

beforeEach(async () => {
  t = await startDiscordTest({ env: { FRONTS: 'tcp,irc,web,discord' } });
});

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await t.close();
});

it('a Discord user\'s edit and deletion reach the TCP, IRC and web members once, and search shows the latest text', async () => {
  const peterd = t.fake.user('peterd');
  const reply = await t.ask(peterd, 'c #lobby');
  const lobby = t.fake.channels.get(/<#(\d+)>/.exec(reply.content)![1]!)!;
  const tom = await ClassicClient.login(t.srv.tcpPort, 'tom', ['events', 'acks']);
  open.push(tom);
  tom.send({ action: 'connect', target: '#lobby' });
  await tom.next('connect');
  const ivy = await RawIrc.register(t.srv.ircPort, 'ivy');
  open.push(ivy);
  ivy.send('JOIN #lobby');
  await ivy.expect(/ 366 ivy #lobby /);
  const wes = await WsClient.open(t.srv.webPort);
  open.push(wes);
  wes.send({ action: 'login', name: 'wes', features: ['events', 'rooms'] });
  await wes.next('login');
  wes.send({ action: 'connect', target: '#lobby' });
  await wes.next('connect');

  const typo = t.fake.say(peterd, lobby.id, 'tea at non');
  const gone = t.fake.say(peterd, lobby.id, 'ignore this');
  expect(await tom.next('exchange')).toMatchObject({ from: '[peterd]', message: 'tea at non' });
  expect(await tom.next('exchange')).toMatchObject({ message: 'ignore this' });
  await ivy.expect(/PRIVMSG #lobby :ignore this$/);
  await wes.nextWhere('the second line', (f) => f.action === 'exchange' && f['message'] === 'ignore this');

  // An update that changes nothing (Discord adds an embed) is not an edit.
  t.fake.edit(peterd, lobby.id, gone, 'ignore this');
  t.fake.edit(peterd, lobby.id, typo, 'tea at noon');
  t.fake.remove(lobby.id, gone);
  expect(await tom.next('edit')).toMatchObject({ from: '[peterd]', message: '(edit) tea at noon', text: 'tea at noon', group: 1 });
  expect(await tom.next('edit')).toMatchObject({ message: '(deleted a line)', deleted: true });
  expect(await wes.nextWhere('the edit', (f) => f.action === 'edit')).toMatchObject({ name: 'peterd', front: 'discord', text: 'tea at noon' });
  expect(await wes.nextWhere('the deletion', (f) => f.action === 'edit')).toMatchObject({ deleted: true });
  await ivy.expect(/NOTICE ivy :\[peterd\] \(edit\) tea at noon$/);
  await ivy.expect(/NOTICE ivy :\[peterd\] \(deleted a line\)$/);
  await Promise.all([tom.sync(), wes.sync()]);
  expect(tom.pending().filter((f) => f.action === 'edit')).toEqual([]);
  expect(wes.pending().filter((f) => f.action === 'edit')).toEqual([]);

  wes.send({ action: 'search', target: 'tea' });
  expect((await wes.next('search'))['results']).toMatch(/#lobby peterd : tea at noon$/);
  wes.send({ action: 'search', target: 'ignore' });
  expect(await wes.next('search')).toMatchObject({ matches: [] });

  // The other way: tom corrects his line; the thread (with two Discord members now) shows the correction under his name, once.
  const carol = t.fake.user('carol');
  await t.ask(carol, 'j lobby');
  await waitFor('carol in the thread', () => lobby.members.has(carol.id));
  tom.send({ action: 'exchange', message: 'see you at 1', label: 'x' });
  const said = await tom.next('said');
  await t.fake.message('tom\'s line', (m) => m.channelId === lobby.id && m.content === 'see you at 1');
  tom.send({ action: 'edit', id: said['id'], message: 'see you at 12' });
  const fixed = await t.fake.message('tom\'s correction', (m) => m.channelId === lobby.id && m.content === '(edit) see you at 12');
  expect(fixed).toMatchObject({ via: 'webhook', username: 'tom (tcp)' });
  await wes.nextWhere('tom\'s edit', (f) => f.action === 'edit' && f['name'] === 'tom');
  tom.send({ action: 'exchange', message: 'marker' });
  // The thread's lane posts in order: once the marker is there, so is every correction before it.
  await t.fake.message('tom\'s marker', (m) => m.channelId === lobby.id && m.content === 'marker');
  expect(t.fake.postedIn(lobby.id).filter((m) => m.content.startsWith('(edit)'))).toHaveLength(1);
});

it('an edited line in the DM corrects the private line it became', async () => {
  const alice = t.fake.user('alice');
  await t.ask(alice, 'time');
  const bob = await t.tcp('bob');
  const dm = t.fake.dmOf(alice);
  bob.send({ action: 'direct', target: 'alice', message: 'lunch?' });
  await t.fake.message('how to answer', (m) => m.channelId === dm.id && m.content.includes("bob's private lines"));
  const said = t.fake.dm(alice, 'yes at 1');
  expect(await bob.nextWhere('alice\'s answer', (f) => f.action === 'exchange')).toMatchObject({ message: 'yes at 1', direct: true });
  t.fake.edit(alice, dm.id, said, 'yes at 12');
  expect(await bob.next('edit')).toMatchObject({ from: '[alice]', message: '(edit) yes at 12', front: 'discord' });
});
