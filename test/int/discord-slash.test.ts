/** The slash commands for many groups and private lines: /join, /message, /rooms, /bye <group>, and /sonnets. */
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

it('/join opens a room thread, /message writes privately (the copy stays in the DM), /rooms lists both ephemerally, /bye leaves the one named', async () => {
  const tom = await t.tcp('tom');
  const alice = t.fake.user('alice');
  const join = t.fake.slash(alice, t.fake.general, 'join', { room: 'lobby' });
  const [, joined] = await t.fake.responses(join, 2);
  const thread = await waitFor('the room thread', () => t.fake.threads()[0]);
  expect(joined).toEqual({ kind: 'edit', content: `You are connected with #lobby (group 1): chat in <#${thread.id}>.`, ephemeral: false });
  expect(thread.name).toBe('#lobby');

  const message = t.fake.slash(alice, t.fake.general, 'message', { user: 'tom', text: 'a word in private' });
  expect(await t.fake.responses(message, 2)).toEqual([
    { kind: 'defer', content: '', ephemeral: true },
    { kind: 'edit', content: 'Sent privately; the conversation goes on in our DM.', ephemeral: true },
  ]);
  const dm = t.fake.dmOf(alice);
  await t.fake.message('the copy in the DM', (m) => m.channelId === dm.id && m.content === '**[you → tom]** a word in private');
  expect(await tom.next('connect')).toMatchObject({ status: 'request', from: 'alice', kind: 'direct' });
  expect(await tom.next('exchange')).toMatchObject({ from: '[alice]', message: 'a word in private', direct: true });
  expect(t.fake.postedIn(t.fake.general.id).filter((m) => m.content.includes('private'))).toEqual([]);

  const rooms = t.fake.slash(alice, t.fake.general, 'rooms');
  expect(await t.fake.responses(rooms)).toEqual([{ kind: 'reply', content: '1. #lobby (here)\n2. tom (private)', ephemeral: true }]);

  const bye = t.fake.slash(alice, t.fake.general, 'bye', { group: 'tom' });
  expect(await t.fake.responses(bye)).toEqual([{ kind: 'reply', content: 'You left your private conversation with tom.', ephemeral: false }]);
  await t.fake.message('the goodbye in the DM', (m) => m.channelId === dm.id && m.content === 'You left your private conversation with tom.');
  expect(await tom.next('disconnect')).toMatchObject({ msg: 'everyone left, you are alone' });
  expect(thread.archived).toBe(false);
  const left = t.fake.slash(alice, t.fake.general, 'rooms');
  expect(await t.fake.responses(left)).toEqual([{ kind: 'reply', content: '1. #lobby (here)', ephemeral: true }]);
});

it('/bye in a group thread leaves that group, not the one joined last', async () => {
  const alice = t.fake.user('alice');
  await t.fake.responses(t.fake.slash(alice, t.fake.general, 'join', { room: 'lobby' }), 2);
  await t.fake.responses(t.fake.slash(alice, t.fake.general, 'join', { room: 'tea' }), 2);
  const lobby = t.fake.threads().find((c) => c.name === '#lobby')!;
  const bye = t.fake.slash(alice, lobby, 'bye');
  expect(await t.fake.responses(bye)).toEqual([{ kind: 'reply', content: 'You left group 1.', ephemeral: false }]);
  await waitFor('the #lobby thread to be archived', () => lobby.archived);
  expect(t.fake.threads().find((c) => c.name === '#tea')?.archived).toBe(false);
});

it('/sonnets finds the lines holding a word, answered to the asker alone', async () => {
  const alice = t.fake.user('alice');
  const sonnets = t.fake.slash(alice, t.fake.general, 'sonnets', { word: 'summer' });
  const [answer] = await t.fake.responses(sonnets);
  expect(answer).toMatchObject({ kind: 'reply', ephemeral: true });
  expect(answer!.content).toContain("Sonnet 18 (XVIII.) line 1: Shall I compare thee to a summer's day?");
});

it('a long answer goes to the asker alone: /who with many online is ephemeral, typed who comes by DM', async () => {
  for (let i = 0; i < 40; i++) await t.tcp(`longish_chat_name_${String(i).padStart(2, '0')}`);
  const alice = t.fake.user('alice');
  const who = t.fake.slash(alice, t.fake.general, 'who');
  const [answer] = await t.fake.responses(who);
  expect(answer).toMatchObject({ kind: 'reply', ephemeral: true });
  expect(answer!.content).toContain('**Online (41):**');
  expect((await t.ask(alice, 'who')).content).toBe('I sent you the results by DM.');
  await t.fake.message('the list by DM', (m) => m.channelId === t.fake.dmOf(alice).id && m.content.startsWith('**Online (41):**'));
  expect(t.fake.postedIn(t.fake.general.id).filter((m) => m.content.includes('Online'))).toEqual([]);
});
