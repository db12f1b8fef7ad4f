/** Text across the bridge: markdown escaped, nothing pings, mentions and emoji readable, long lines split. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { startDiscordTest, type DiscordTest } from '../helpers/discord.js';
import { waitFor } from '../helpers/wait.js';
import type { FakeChannel, FakeUser, Posted } from '../fakes/discord/fake-discord.js';

let t: DiscordTest;
let peter: ClassicClient;
let alice: FakeUser;
let thread: FakeChannel;

beforeEach(async () => {
  t = await startDiscordTest();
  peter = await ClassicClient.login(t.srv.tcpPort, 'peter');
  alice = t.fake.user('alice');
  const id = t.fake.say(alice, t.fake.general.id, 'c peter');
  // The reply names the thread, so by then the bot knows the thread is the group's.
  await t.fake.message('the reply to c peter', (m) => m.replyTo === id);
  await peter.next('connect');
  thread = await waitFor('the group thread', () => t.fake.threads()[0]);
});

afterEach(async () => {
  peter.socket.destroy();
  await t.close();
});

const relayed = (): Posted[] => t.fake.postedIn(thread.id).filter((m) => m.via === 'webhook');

it('escapes markdown so a TCP line shows as typed, and lets nothing ping', async () => {
  const typed = '**not bold** _x_ `y` <@123> @everyone [link](http://a.example) ||s||\n> no quote\n# no heading';
  peter.send({ action: 'exchange', from: '[peter]', message: typed });
  const line = await waitFor('the relayed line', () => relayed()[0]);
  expect(line.content).toBe(
    '\\*\\*not bold\\*\\* \\_x\\_ \\`y\\` \\<@123> @everyone \\[link\\](http://a.example) \\|\\|s\\|\\|\n\\> no quote\n\\# no heading',
  );
  expect(line.allowedMentions).toEqual({ parse: [] });
});

it('turns mentions, channels, roles, custom emoji and attachments into readable text for other fronts', async () => {
  const carol = t.fake.user('carol', 'Carol C');
  const bob = t.fake.user('bob.smith');
  // bob's first command logs him in under his chat name; its reply says it has.
  const time = t.fake.say(bob, t.fake.general.id, 'time');
  await t.fake.message('the reply to bob\'s time', (m) => m.replyTo === time);
  const mods = t.fake.roles[1]!.id;
  t.fake.say(alice, thread.id, `hi <@${carol.id}> and <@!${bob.id}>, see <#${t.fake.general.id}> <:blob:42> <a:party:43> <@&${mods}>`, {
    mentions: [carol, bob],
    attachments: [{ id: '1', filename: 'cat.png', url: 'https://cdn.example/cat.png' }],
  });
  expect(await peter.next('exchange')).toMatchObject({
    from: '[alice]',
    message: 'hi @Carol C and @bob_smith, see #general :blob: :party: @mods\n[file: cat.png] https://cdn.example/cat.png',
  });
});

it('splits a 5,000-character TCP line into messages under 2,000 characters, in order, nothing lost', async () => {
  const words = Array.from({ length: 834 }, (_, i) => `w${String(i).padStart(4, '0')}`).join(' ').slice(0, 5000);
  expect(words).toHaveLength(5000);
  peter.send({ action: 'exchange', from: '[peter]', message: words });
  await waitFor('three pieces', () => relayed().length >= 3);
  const pieces = relayed();
  expect(pieces).toHaveLength(3);
  for (const p of pieces) {
    expect(p.content.length).toBeLessThanOrEqual(2000);
    expect(p.username).toBe('peter (tcp)');
  }
  expect(pieces.map((p) => p.content).join(' ')).toBe(words);
});

it('splits a long line of markdown without cutting an escape', async () => {
  const stars = '*'.repeat(5000);
  peter.send({ action: 'exchange', from: '[peter]', message: stars });
  await waitFor('five pieces', () => relayed().length >= 5);
  const pieces = relayed().map((p) => p.content);
  for (const p of pieces) expect(p).toMatch(/^(\\\*)+$/);
  expect(pieces.join('')).toBe('\\*'.repeat(5000));
});

it('carries a 5,000-character Discord line to the TCP user whole', async () => {
  const long = 'x'.repeat(4999) + '!';
  t.fake.say(alice, thread.id, long);
  expect(await peter.next('exchange')).toMatchObject({ from: '[alice]', message: long });
});

it("ignores the bot's own messages and webhook posts, even when they look like commands", async () => {
  const own = t.fake.say(t.fake.bot, t.fake.general.id, 'who');
  const hooked = t.fake.say(t.fake.user('hook'), t.fake.general.id, 'who', { webhookId: '999' });
  const inThread = t.fake.say({ ...alice, bot: true }, thread.id, 'not a line');
  const id = t.fake.say(alice, t.fake.general.id, 'time');
  await t.fake.message('the reply to time', (m) => m.replyTo === id);
  expect(t.fake.messages.filter((m) => m.replyTo === own || m.replyTo === hooked || m.replyTo === inThread)).toEqual([]);
  peter.send({ action: 'exchange', from: '[peter]', message: 'ping' });
  await waitFor('peter\'s line', () => relayed().length === 1);
  await peter.sync();
  expect(peter.pending().filter((f) => f.action === 'exchange')).toEqual([]);
});
