/** Discord's replies across the bridge: a short quote of the line answered goes with the answer; in the DM a reply answers that line's conversation. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startDiscordTest, type DiscordTest } from '../helpers/discord.js';
import { waitFor } from '../helpers/wait.js';

let t: DiscordTest;

beforeEach(async () => {
  t = await startDiscordTest();
});

afterEach(async () => {
  await t.close();
});

it('a reply in a thread carries a quote of the relayed or Discord line it answers; attachments arrive as their URLs', async () => {
  const peter = await t.tcp('peter');
  const alice = t.fake.user('alice');
  const carol = t.fake.user('carol');
  await t.ask(alice, 'c peter');
  await peter.next('connect');
  await t.ask(carol, 'c peter');
  await peter.next('connect');
  const thread = await waitFor('the group thread', () => t.fake.threads()[0]);

  peter.send({ action: 'exchange', from: '[peter]', message: 'shall we meet at noon, under the old oak tree by the river bend?' });
  peter.send({ action: 'exchange', from: '[peter]', message: 'or later' });
  const relayed = await t.fake.message('peter\'s line', (m) => m.channelId === thread.id && m.via === 'webhook');
  // The lane posts in order: once the second line is posted, the bot knows the first one's id.
  await t.fake.message('peter\'s second line', (m) => m.channelId === thread.id && m.content === 'or later');
  t.fake.say(alice, thread.id, 'yes', { reference: relayed.id });
  expect(await peter.next('exchange')).toMatchObject({ from: '[alice]', message: '(re peter: "shall we meet at noon, under the old oak tree by the river…") yes' });

  const own = t.fake.say(alice, thread.id, `bring <@${carol.id}> too`, { mentions: [carol] });
  expect(await peter.next('exchange')).toMatchObject({ message: 'bring @carol too' });
  t.fake.say(carol, thread.id, 'I will', { reference: own, attachments: [{ id: '9', filename: 'map.png', url: 'https://cdn.example/map.png' }] });
  expect(await peter.next('exchange')).toMatchObject({ from: '[carol]', message: '(re alice: "bring @carol too") I will\n[file: map.png] https://cdn.example/map.png' });
});

it('a reply in the DM to a private line answers its sender, whichever conversation the DM followed', async () => {
  const alice = t.fake.user('alice');
  await t.ask(alice, 'time');
  const bob = await t.tcp('bob');
  const cy = await t.tcp('cy');
  const dm = t.fake.dmOf(alice);
  bob.send({ action: 'direct', target: 'alice', message: 'from bob' });
  await t.fake.message('bob\'s line', (m) => m.channelId === dm.id && m.content.endsWith('from bob'));
  cy.send({ action: 'direct', target: 'alice', message: 'from cy' });
  const cys = await t.fake.message('cy\'s line', (m) => m.channelId === dm.id && m.content.endsWith('from cy'));
  // The DM's lane posts in order: once the hint after it is posted, the bot knows the line's id.
  await t.fake.message('the hint about cy', (m) => m.channelId === dm.id && m.content.includes("cy's private lines"));
  t.fake.dm(alice, 'plain answer');
  expect(await bob.nextWhere('alice\'s plain answer', (f) => f.action === 'exchange')).toMatchObject({ message: 'plain answer', direct: true });
  t.fake.say(alice, dm.id, 'answer to cy', { reference: cys.id });
  expect(await cy.nextWhere('alice\'s reply', (f) => f.action === 'exchange')).toMatchObject({ message: '(re cy: "from cy") answer to cy', direct: true });
  // The DM follows cy now.
  t.fake.dm(alice, 'still cy');
  expect(await cy.nextWhere('the next plain line', (f) => f.action === 'exchange')).toMatchObject({ message: 'still cy' });
  await bob.sync();
  expect(bob.pending().filter((f) => f.action === 'exchange')).toEqual([]);
});
