/** A rename on another front, as a Discord member sees it: one notice in the group's thread. */
import { afterEach, expect, it } from 'vitest';
import { startDiscordTest, type DiscordTest } from '../helpers/discord.js';
import { waitFor } from '../helpers/wait.js';

let t: DiscordTest;

afterEach(async () => {
  await t.close();
});

it('tells the thread once that a member took another name, and relays their lines under it', async () => {
  t = await startDiscordTest({});
  const peter = await t.tcp('peter');
  const alice = t.fake.user('alice');
  const bea = t.fake.user('bea');
  await t.ask(alice, 'c peter');
  await peter.next('connect');
  await t.ask(bea, 'c peter');
  const thread = await waitFor('the group thread', () => t.fake.threads()[0]);
  peter.send({ action: 'rename', name: 'pete' });
  expect(await peter.next('rename')).toEqual({ action: 'rename', status: 'ok', name: 'pete', old: 'peter' });
  await t.fake.message('the rename notice', (m) => m.channelId === thread.id && m.content === '(peter is now known as pete)');
  peter.send({ action: 'exchange', from: '[pete]', message: 'same me' });
  await t.fake.message('the line under the new name', (m) => m.channelId === thread.id && m.via === 'webhook' && m.content === 'same me');
  expect(t.fake.postedIn(thread.id).filter((m) => m.content.includes('now known as'))).toHaveLength(1);
  expect(t.fake.postedIn(thread.id).find((m) => m.content === 'same me')?.username).toBe('pete (tcp)');
});
