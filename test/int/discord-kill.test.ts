/** A server operator's KILL reaches a Discord user too: told, out of their group, logged in afresh by their next command. */
import { afterEach, expect, it } from 'vitest';
import { startDiscordTest, type DiscordTest } from '../helpers/discord.js';

let t: DiscordTest;

afterEach(async () => {
  await t.close();
});

it('ends a Discord user\'s session when an operator kills it; their next command logs them in again', async () => {
  t = await startDiscordTest({ env: { IRC_OPERS: 'root:correct horse' } });
  const peter = await t.tcp('peter');
  const alice = t.fake.user('alice');
  await t.ask(alice, 'c peter');
  await peter.next('connect');
  peter.send({ action: 'oper', name: 'root', password: 'correct horse' });
  expect(await peter.next('oper')).toMatchObject({ status: 'ok' });
  peter.send({ action: 'kill', target: 'alice', reason: 'spam' });
  // The group of two ends with her: peter is told he is alone.
  expect(await peter.next('disconnect')).toMatchObject({ msg: 'everyone left, you are alone' });
  await t.fake.message('the kill, told to alice', (m) => m.content.includes('peter ended your connection: spam'));
  peter.send({ action: 'list' });
  expect((await peter.next('list'))['users']).toEqual([{ name: 'peter', front: 'tcp', state: 0, oper: true }]);
  await t.ask(alice, 'who');
  peter.send({ action: 'list' });
  expect((await peter.next('list'))['users']).toEqual([
    { name: 'peter', front: 'tcp', state: 0, oper: true },
    { name: 'alice', front: 'discord', state: 0, registered: true },
  ]);
});
