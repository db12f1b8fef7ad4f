/** Who a Discord user is for the chat: online once the bot has seen them, named after their display name. */
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { startDiscordTest, type DiscordTest } from '../helpers/discord.js';
import { GUILD_PRESENCES, MESSAGE_CONTENT, type FakeUser } from '../fakes/discord/fake-discord.js';
import { waitFor } from '../helpers/wait.js';

let t: DiscordTest | null = null;

afterEach(async () => {
  await t?.close();
  t = null;
});

async function started(options: Parameters<typeof startDiscordTest>[0] = {}): Promise<DiscordTest> {
  t = await startDiscordTest(options);
  return t;
}

async function online(viewer: ClassicClient): Promise<string[]> {
  viewer.send({ action: 'list' });
  const list = await viewer.next('list');
  return (list['users'] as { name: string; front: string }[]).map((u) => `${u.name}@${u.front}`);
}

describe('a Discord user seen in a bridged channel', () => {
  it('can be connected to from a terminal before typing any command; the group opens a thread where they chatted', async () => {
    const t = await started();
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
    const t = await started();
    const tom = await t.tcp('tom');
    await t.ask(t.fake.user('pd1', 'Peter Global', 'Pete'), 'time');
    await t.ask(t.fake.user('pd2', 'Ann Global'), 'time');
    await t.ask(t.fake.user('pd3'), 'time');
    expect(await online(tom)).toEqual(['tom@tcp', 'Pete@discord', 'Ann_Global@discord', 'pd3@discord']);
  });
});

describe('with DISCORD_PRESENCE on', () => {
  it('members Discord shows online are online in the chat from the start, and leave it when they go offline (not while in a group)', async () => {
    let peterd!: FakeUser;
    let away!: FakeUser;
    const { fake, srv } = await started({
      fake: { allowedPrivileged: MESSAGE_CONTENT | GUILD_PRESENCES },
      env: { DISCORD_PRESENCE: 'on' },
      setup: (f) => {
        peterd = f.user('peterd', 'Peter D');
        peterd.status = 'online';
        away = f.user('away');
        away.status = 'offline';
      },
    });
    expect(fake.gateway.intents & GUILD_PRESENCES).toBe(GUILD_PRESENCES);
    const tom = await ClassicClient.login(srv.tcpPort, 'tom', ['events', 'presence']);
    onTestFinished(() => tom.close());
    await waitFor('Peter D online', () => t!.front.users() === 1);
    expect(await online(tom)).toEqual(['Peter_D@discord', 'tom@tcp']);

    fake.setStatus(away, 'idle');
    expect(await tom.nextWhere('away coming online', (f) => f.action === 'presence' && f['name'] === 'away')).toMatchObject({ status: 'online' });
    fake.setStatus(away, 'offline');
    expect(await tom.nextWhere('away going offline', (f) => f.action === 'presence' && f['name'] === 'away')).toMatchObject({ status: 'offline' });

    tom.send({ action: 'connect', target: 'Peter_D' });
    expect(await tom.next('connect')).toMatchObject({ status: 'success' });
    const thread = await waitFor('the group thread', () => fake.threads()[0]);
    expect(thread.parentId).toBe(fake.general.id);
    fake.setStatus(peterd, 'offline');
    // Offline on Discord, but in a group: still in it (a presence after it shows the update was handled).
    fake.setStatus(away, 'online');
    await tom.nextWhere('away online again', (f) => f.action === 'presence' && f['name'] === 'away' && f['status'] === 'online');
    expect(await online(tom)).toEqual(['Peter_D@discord', 'tom@tcp', 'away@discord']);
  });
});
