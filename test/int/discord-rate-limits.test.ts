/**
 * The Discord front under Discord's rate limits: the fake answers chosen relay posts with 429,
 * as Discord does, and the thread's lane waits each limit out (discord.js reads the headers)
 * and posts on. Every line arrives once and in order, and no request comes before its limit
 * has passed.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { startDiscordTest, type DiscordTest } from '../helpers/discord.js';
import { waitFor } from '../helpers/wait.js';
import type { FakeChannel, Posted } from '../fakes/discord/fake-discord.js';
import type { Limitable } from '../fakes/discord/rate-limits.js';

let t: DiscordTest;
let peter: ClassicClient;
let thread: FakeChannel;

beforeEach(async () => {
  t = await startDiscordTest();
  peter = await ClassicClient.login(t.srv.tcpPort, 'peter');
  const alice = t.fake.user('alice');
  t.fake.say(alice, t.fake.general.id, 'c peter');
  await peter.next('connect');
  thread = await waitFor('the group thread', () => t.fake.threads()[0]);
  await t.fake.message('the greeting', (m) => m.channelId === thread.id);
});

afterEach(async () => {
  peter.socket.destroy();
  await t.close();
});

const relayed = (): Posted[] => t.fake.postedIn(thread.id).filter((m) => m.via === 'webhook');

/** Matches the thread's relay posts numbered `picks` (1 is the next one; a retry counts as a post). */
function relayPosts(...picks: number[]): (r: Limitable) => boolean {
  let n = 0;
  return (r) => r.method === 'POST' && r.path.startsWith('/webhooks/') && r.query.get('thread_id') === thread.id && picks.includes(++n);
}

/** peter says `count` numbered lines; waits until the thread has them all and the lanes are empty. */
async function relay(count: number): Promise<string[]> {
  const lines = Array.from({ length: count }, (_, i) => `line ${i + 1}`);
  for (const message of lines) peter.send({ action: 'exchange', from: '[peter]', message });
  await waitFor('every line in the thread', () => relayed().length >= count, 20_000);
  await waitFor('the lanes to empty', () => t.front.queued() === 0, 10_000);
  return lines;
}

it("waits out its route's limit each time, also twice in a row, and relays every line once, in order", async () => {
  t.fake.rateLimits.add({ match: relayPosts(2, 5, 6), retryAfter: 0.3 });
  const lines = await relay(10);
  expect(relayed().map((m) => m.content)).toEqual(lines);
  expect(t.fake.rateLimits.refused.map((r) => r.global)).toEqual([false, false, false]);
  expect(t.fake.rateLimits.early).toEqual([]);
});

it('holds its posts through a global limit, and relays every line once, in order', async () => {
  t.fake.rateLimits.add({ match: relayPosts(3), retryAfter: 0.4, global: true });
  const lines = await relay(8);
  expect(relayed().map((m) => m.content)).toEqual(lines);
  expect(t.fake.rateLimits.refused).toEqual([expect.objectContaining({ global: true })]);
  expect(t.fake.rateLimits.early).toEqual([]);
});
