/** Who a Discord user is for the chat: online once the bot has seen them, named after their display name. */
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { startDiscordTest, type DiscordTest } from '../helpers/discord.js';
import { waitFor } from '../helpers/wait.js';

let t: DiscordTest;

beforeEach(async () => {
  t = await startDiscordTest();
});

afterEach(async () => {
  await t.close();
});

async function online(viewer: ClassicClient): Promise<string[]> {
  viewer.send({ action: 'list' });
  const list = await viewer.next('list');
  return (list['users'] as { name: string; front: string }[]).map((u) => `${u.name}@${u.front}`);
}

describe('a Discord user seen in a bridged channel', () => {
  it('can be connected to from a terminal before typing any command; the group opens a thread where they chatted', async () => {
    const tom = await ClassicClient.login(t.srv.tcpPort, 'tom', ['events', 'presence']);
    onTestFinished(() => tom.close());
    const peterd = t.fake.user('peterd');
    t.fake.say(peterd, t.fake.general.id, 'morning all');
    expect(await tom.nextWhere('peterd coming online', (f) => f.action === 'presence' && f['name'] === 'peterd')).toMatchObject({ front: 'discord', status: 'online' });
    tom.send({ action: 'connect', target: 'peterd' });
    expect(await tom.next('connect')).toMatchObject({ status: 'success', peer: 'peterd' });
    const thread = await waitFor('the group thread', () => t.fake.threads()[0]);
    expect(thread.parentId).toBe(t.fake.general.id);
    await waitFor('peterd in the thread', () => thread.members.has(peterd.id));
    await t.fake.message('the greeting', (m) => m.channelId === thread.id && m.content.startsWith(`<@${peterd.id}> tom connected to you`));
    expect(t.fake.postedIn(t.fake.general.id)).toEqual([]);
  });
});

describe('chat names', () => {
  it('prefer the server nickname, then the global name, then the username, under the name rule', async () => {
    const tom = await t.tcp('tom');
    await t.ask(t.fake.user('pd1', 'Peter Global', 'Pete'), 'time');
    await t.ask(t.fake.user('pd2', 'Ann Global'), 'time');
    await t.ask(t.fake.user('pd3'), 'time');
    expect(await online(tom)).toEqual(['tom@tcp', 'Pete@discord', 'Ann_Global@discord', 'pd3@discord']);
  });
});
