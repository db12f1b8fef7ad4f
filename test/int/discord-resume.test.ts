/** A gateway drop: sessions survive, posts wait for the resume and then go out in order, nothing twice. */
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

async function online(): Promise<string[]> {
  peter.send({ action: 'list' });
  const list = await peter.next('list');
  return (list['users'] as { name: string; front: string; group?: number }[]).map((u) => `${u.name}@${u.front}:${u.group ?? '-'}`);
}

it('queues lines while the gateway is down and delivers them after the resume, in order, once', async () => {
  t.fake.gateway.hold();
  t.fake.gateway.drop(4000);
  await waitFor('the front to notice', () => t.front.state() === 'retrying');
  for (let i = 1; i <= 5; i++) peter.send({ action: 'exchange', from: '[peter]', message: `while down ${i}` });
  await waitFor('the five lines to be queued', () => t.front.queued() >= 5);
  expect(relayed()).toEqual([]);
  t.fake.say(alice, thread.id, 'typed during the outage');
  await waitFor('the client to ask to resume', () => t.fake.events.includes('resume'));
  t.fake.gateway.release();
  await waitFor('the front to be back', () => t.front.state() === 'connected');
  await waitFor('the queued lines', () => relayed().length >= 5);
  const resumed = t.fake.events.indexOf('resumed');
  expect(resumed, 'the fake answered the resume').toBeGreaterThanOrEqual(0);
  expect(t.fake.events.indexOf('resumed', resumed + 1), 'one resume').toBe(-1);
  expect(relayed().map((m) => m.content)).toEqual([1, 2, 3, 4, 5].map((i) => `while down ${i}`));
  for (const m of relayed()) expect(m.at).toBeGreaterThan(resumed);
  expect(await peter.next('exchange')).toMatchObject({ from: '[alice]', message: 'typed during the outage' });
  expect(await online()).toEqual(['peter@tcp:1', 'alice@discord:1']);
  expect(t.fake.events.filter((e) => e === 'identify')).toHaveLength(1);
  await waitFor('the resume log line', () => t.srv.logs.find((l) => l.includes('discord: gateway resumed') && l.includes('queued=5')));
});

it('keeps every session through a full reconnect when Discord refuses the resume', async () => {
  t.fake.gateway.refuseResume = true;
  t.fake.gateway.drop(4000);
  await waitFor('a fresh identify', () => t.fake.events.filter((e) => e === 'identify').length === 2, 10_000);
  await waitFor('the front to be back', () => t.front.state() === 'connected');
  peter.send({ action: 'exchange', from: '[peter]', message: 'still here?' });
  await waitFor('the line in the thread', () => relayed().find((m) => m.content === 'still here?'));
  t.fake.say(alice, thread.id, 'still here');
  expect(await peter.next('exchange')).toMatchObject({ from: '[alice]', message: 'still here' });
  expect(await online()).toEqual(['peter@tcp:1', 'alice@discord:1']);
});

it('rides out a network cut: posts wait, nobody is logged out, and it reconnects once Discord is reachable', async () => {
  t.fake.setDown(true);
  await waitFor('the front to notice', () => t.front.state() === 'retrying');
  for (let i = 1; i <= 3; i++) peter.send({ action: 'exchange', from: '[peter]', message: `cut ${i}` });
  await waitFor('the lines to be queued', () => t.front.queued() >= 3);
  t.fake.setDown(false);
  await waitFor('the front to be back', () => t.front.state() === 'connected', 10_000);
  await waitFor('the queued lines', () => relayed().length >= 3);
  expect(relayed().map((m) => m.content)).toEqual(['cut 1', 'cut 2', 'cut 3']);
  t.fake.say(alice, thread.id, 'back again');
  expect(await peter.next('exchange')).toMatchObject({ from: '[alice]', message: 'back again' });
  expect(await online()).toEqual(['peter@tcp:1', 'alice@discord:1']);
});
