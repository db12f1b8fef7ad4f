/** Group chat across fronts: one private thread per group, lines both ways exactly once and in order. */
import { afterEach, describe, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { startDiscordTest, type DiscordTest } from '../helpers/discord.js';
import { waitFor } from '../helpers/wait.js';
import type { FakeChannel, FakeOptions, FakeUser, Posted } from '../fakes/discord/fake-discord.js';

let t: DiscordTest;

afterEach(async () => {
  await t.close();
});

async function start(fake: FakeOptions = {}): Promise<void> {
  t = await startDiscordTest({ fake });
}



/** alice (Discord) connects to peter (TCP) from the bridged channel; returns the group's thread. */
async function aliceMeetsPeter(): Promise<{ alice: FakeUser; peter: ClassicClient; thread: FakeChannel }> {
  const peter = await t.tcp('peter');
  const alice = t.fake.user('alice');
  await t.ask(alice, 'c peter');
  await peter.next('connect');
  const thread = await waitFor('the group thread', () => t.fake.threads()[0]);
  return { alice, peter, thread };
}

/** Bot and webhook posts in a channel that contain `text`. */
const postsWith = (channelId: string, text: string): Posted[] => t.fake.postedIn(channelId).filter((m) => m.content.includes(text));

async function lines(client: ClassicClient, n: number): Promise<string[]> {
  const got: string[] = [];
  for (let i = 0; i < n; i++) {
    const frame = await client.next('exchange');
    got.push(`${String(frame['from'])}${String(frame['message'])}`);
  }
  return got;
}

describe('the thread of a group', () => {
  it('is a private thread under the bridged channel, named after the members, holding the Discord member', async () => {
    await start();
    const { alice, thread } = await aliceMeetsPeter();
    expect(thread).toMatchObject({ type: 12, parentId: t.fake.general.id, name: 'alice, peter', archived: false });
    expect(t.fake.requests.find((r) => r.method === 'POST' && r.path === `/channels/${t.fake.general.id}/threads`)?.body).toMatchObject({ invitable: false });
    await waitFor('alice to be added', () => thread.members.has(alice.id));
    const greeting = await t.fake.message('the greeting', (m) => m.channelId === thread.id && m.content.includes('you are connected with peter'));
    expect(greeting.content).toBe(`<@${alice.id}> you are connected with peter (group 1: alice, peter). Chat here; type bye to leave the group.`);
    expect(greeting.allowedMentions).toEqual({ parse: [], users: [alice.id], replied_user: false });
  });

  it('carries lines both ways, each exactly once and in order, with sender name and front', async () => {
    await start();
    const { alice, peter, thread } = await aliceMeetsPeter();
    for (let i = 1; i <= 5; i++) {
      peter.send({ action: 'exchange', from: '[peter]', message: `p${i}` });
      t.fake.say(alice, thread.id, `a${i}`);
    }
    expect(await lines(peter, 5)).toEqual(['[alice]a1', '[alice]a2', '[alice]a3', '[alice]a4', '[alice]a5']);
    await waitFor('peter\'s five lines in the thread', () => t.fake.postedIn(thread.id).filter((m) => m.via === 'webhook').length >= 5);
    const relayed = t.fake.postedIn(thread.id).filter((m) => m.via === 'webhook');
    expect(relayed.map((m) => [m.username, m.content])).toEqual([1, 2, 3, 4, 5].map((i) => ['peter (tcp)', `p${i}`]));
    for (const m of relayed) expect(m.allowedMentions).toEqual({ parse: [] });
    await peter.sync();
    expect(peter.pending().filter((f) => f.action === 'exchange')).toEqual([]);
    expect(postsWith(thread.id, 'a1')).toEqual([]);
  });

  it('announces joins and leaves once, renames the thread after the members, and on dissolution says "everyone left, you are alone" and archives', async () => {
    await start();
    const { alice, peter, thread } = await aliceMeetsPeter();
    const bob = await t.tcp('bob');
    bob.send({ action: 'connect', target: 'peter' });
    await bob.next('connect');
    await t.fake.message('the join notice', (m) => m.channelId === thread.id && m.content === '(bob joined)');
    await waitFor('the thread renamed after the three', () => thread.name === 'alice, peter, bob');
    bob.send({ action: 'disconnect' });
    await t.fake.message('the leave notice', (m) => m.channelId === thread.id && m.content === '(bob left)');
    await waitFor('the thread renamed after the two', () => thread.name === 'alice, peter');
    peter.send({ action: 'disconnect' });
    const alone = await t.fake.message('the dissolution notice', (m) => m.channelId === thread.id && m.content.startsWith('everyone left, you are alone'));
    await waitFor('the thread to be archived', () => thread.archived);
    expect(alone.at).toBeLessThan(t.fake.events.lastIndexOf(`PATCH /channels/${thread.id}`));
    expect(postsWith(thread.id, '(bob joined)')).toHaveLength(1);
    expect(postsWith(thread.id, '(bob left)')).toHaveLength(1);
    // The thread is no longer a chat: alice is back at the menu.
    t.fake.say(alice, thread.id, 'anyone?');
    expect((await t.ask(alice, 'who')).content).toContain('**Chatting:** nobody');
  });

  it('closes the thread when its Discord member types bye there; the TCP user sees the bye and is alone', async () => {
    await start();
    const { alice, peter, thread } = await aliceMeetsPeter();
    t.fake.say(alice, thread.id, 'bye');
    expect(await peter.next('exchange')).toMatchObject({ from: '[alice]', message: 'bye' });
    expect(await peter.next('disconnect')).toMatchObject({ msg: 'everyone left, you are alone' });
    await t.fake.message('the closing notice', (m) => m.channelId === thread.id && m.content === '(alice left; this thread is closed)');
    await waitFor('the thread to be archived', () => thread.archived);
  });

  it('holds every Discord member of the group, relaying each line once and never a line already there', async () => {
    await start();
    const { alice, peter, thread } = await aliceMeetsPeter();
    const carol = t.fake.user('carol');
    expect((await t.ask(carol, 'c alice')).content).toBe(`You are connected with alice (group 1): chat in <#${thread.id}>.`);
    await waitFor('carol to be added', () => thread.members.has(carol.id));
    await t.fake.message('carol\'s greeting', (m) => m.channelId === thread.id && m.content.startsWith(`<@${carol.id}> you are connected with alice`));
    expect(await peter.next('connect')).toMatchObject({ status: 'request', from: 'carol' });
    peter.send({ action: 'exchange', from: '[peter]', message: 'hello both' });
    t.fake.say(carol, thread.id, 'hi from carol');
    t.fake.say(alice, thread.id, 'hi from alice');
    expect(await lines(peter, 2)).toEqual(['[carol]hi from carol', '[alice]hi from alice']);
    await t.fake.message('peter\'s line', (m) => m.channelId === thread.id && m.content === 'hello both');
    t.fake.say(carol, thread.id, 'bye');
    await t.fake.message('the leave notice', (m) => m.channelId === thread.id && m.content === '(carol left)');
    await waitFor('carol to be taken out of the thread', () => !thread.members.has(carol.id));
    await peter.sync();
    expect(postsWith(thread.id, 'hello both')).toHaveLength(1);
    expect(postsWith(thread.id, 'hi from')).toEqual([]);
    expect(postsWith(thread.id, 'joined')).toEqual([expect.objectContaining({ content: '(carol joined)' })]);
    expect(postsWith(thread.id, 'left')).toHaveLength(1);
    expect(thread.archived).toBe(false);
  });
});

describe('named rooms', () => {
  it('mirror a room in a thread named after it, with topic changes, removals and invitations', async () => {
    await start();
    const alice = t.fake.user('alice');
    expect((await t.ask(alice, 'c #lobby')).content).toMatch(/^You are connected with #lobby \(group 1\): chat in <#\d+>\.$/);
    const thread = t.fake.threads()[0]!;
    expect(thread.name).toBe('#lobby');
    const peter = await t.tcp('peter');
    peter.send({ action: 'connect', target: '#lobby' });
    await peter.next('connect');
    await t.fake.message('the join notice', (m) => m.channelId === thread.id && m.content === '(peter joined)');
    peter.send({ action: 'topic', topic: 'sonnets *only*' });
    await t.fake.message('the topic notice', (m) => m.channelId === thread.id && m.content === '(peter set the topic: sonnets \\*only\\*)');
    t.fake.say(alice, thread.id, '/kick peter off topic');
    expect(await peter.next('disconnect')).toMatchObject({ by: 'alice', reason: 'off topic' });
    await t.fake.message('the removal notice', (m) => m.channelId === thread.id && m.content === '(peter was removed by alice: off topic)');
    const carol = await t.tcp('carol');
    carol.send({ action: 'connect', target: 'peter' });
    await carol.next('connect');
    carol.send({ action: 'invite', target: 'alice' });
    expect(await carol.next('invite')).toMatchObject({ status: 'sent' });
    // alice chats in #lobby, so the invitation is a note, told to her alone.
    const dm = t.fake.dmOf(alice);
    const note = await t.fake.message('the invitation by DM', (m) => m.channelId === dm.id && m.content.includes('carol invites you'));
    expect(note.content).toBe('carol invites you to join group 2: type c #group-2');
    expect(postsWith(thread.id, 'invites')).toEqual([]);
    expect(thread.archived).toBe(false);
    t.fake.say(alice, thread.id, 'bye');
    await waitFor('the #lobby thread to be closed', () => thread.archived);
    expect((await t.ask(alice, 'c #group-2')).content).toMatch(/^You are connected with #group-2 \(group 2\): chat in <#\d+>\.$/);
    expect(await carol.next('connect')).toMatchObject({ status: 'request', from: 'alice', front: 'discord' });
  });

  it("tells the thread once when a member invites someone to the group (the IRC gateway's invite-notify)", async () => {
    await start();
    const alice = t.fake.user('alice');
    await t.ask(alice, 'c #lobby');
    const thread = t.fake.threads()[0]!;
    const peter = await t.tcp('peter');
    peter.send({ action: 'connect', target: '#lobby' });
    await peter.next('connect');
    await t.tcp('carol');
    peter.send({ action: 'invite', target: 'carol' });
    expect(await peter.next('invite')).toMatchObject({ status: 'sent' });
    await t.fake.message('the invitation notice', (m) => m.channelId === thread.id && m.content === '(peter invited carol to #lobby)');
    expect(postsWith(thread.id, 'invited')).toHaveLength(1);
  });

  it('tells a Discord member the owner removed by DM and takes them out of the thread', async () => {
    await start();
    const alice = t.fake.user('alice');
    await t.ask(alice, 'c #lobby');
    const thread = t.fake.threads()[0]!;
    const bob = t.fake.user('bob');
    await t.ask(bob, 'c #lobby');
    await waitFor('bob in the thread', () => thread.members.has(bob.id));
    t.fake.say(alice, thread.id, '/kick bob');
    const dm = t.fake.dmOf(bob);
    await t.fake.message('the removal by DM', (m) => m.channelId === dm.id && m.content === 'alice removed you from #lobby');
    await waitFor('bob out of the thread', () => !thread.members.has(bob.id));
    await t.fake.message('the removal notice', (m) => m.channelId === thread.id && m.content === '(bob was removed by alice)');
    expect(thread.archived).toBe(false);
  });
});

describe('a stopping server', () => {
  it('tells the group thread the server is restarting (not that everyone left) and archives it before it goes', async () => {
    await start();
    const { thread } = await aliceMeetsPeter();
    await t.srv.stop();
    expect(t.fake.postedIn(thread.id).at(-1)!.content).toBe('The chat server is restarting; it will be back in a moment. This thread is closed.');
    expect(thread.archived).toBe(true);
  });

  it('tells a thread of several Discord members once', async () => {
    await start();
    const { thread } = await aliceMeetsPeter();
    const carol = t.fake.user('carol');
    await t.ask(carol, 'c alice');
    await waitFor('carol in the thread', () => thread.members.has(carol.id));
    await t.srv.stop();
    expect(postsWith(thread.id, 'The chat server is restarting')).toHaveLength(1);
    expect(thread.archived).toBe(true);
  });
});

describe('when Discord does not allow everything', () => {
  it('without webhooks, relayed lines carry a bold [name] prefix', async () => {
    await start({ webhooks: false });
    const { peter, thread } = await aliceMeetsPeter();
    peter.send({ action: 'exchange', from: '[peter]', message: 'plain hello' });
    const line = await t.fake.message('the prefixed line', (m) => m.channelId === thread.id && m.content.endsWith('plain hello'));
    expect(line).toMatchObject({ via: 'bot', content: '**[peter (tcp)]** plain hello' });
    await waitFor('the warning', () => t.srv.logs.find((l) => l.includes('no Manage Webhooks permission')));
  });

  it('without private threads, the group follows the Discord member by DM, and the log says what to grant', async () => {
    await start({ threads: false });
    const peter = await t.tcp('peter');
    const alice = t.fake.user('alice');
    const reply = await t.ask(alice, 'c peter');
    expect(reply.content).toBe("You are connected with peter (group 1): the group's lines come to you by DM.");
    const dm = t.fake.dmOf(alice);
    await t.fake.message('the DM notice', (m) => m.channelId === dm.id && m.content.includes('I could not open a thread'));
    await waitFor('the error line', () => t.srv.logs.find((l) => l.includes('Create Private Threads')));
    await peter.next('connect');
    peter.send({ action: 'exchange', from: '[peter]', message: 'over here' });
    await t.fake.message('peter\'s line by DM', (m) => m.channelId === dm.id && m.content === '**[peter (tcp) in #group-1]** over here');
    t.fake.dm(alice, 'got it');
    expect(await peter.next('exchange')).toMatchObject({ from: '[alice]', message: 'got it', front: 'discord' });
  });
});

describe('a user who talks to the bot by DM', () => {
  it('chats with the group in the DM: lines in, lines out, /commands, bye', async () => {
    await start();
    const peter = await t.tcp('peter');
    const alice = t.fake.user('alice');
    const dm = t.fake.dmOf(alice);
    expect((await t.ask(alice, 'c peter', dm.id)).content).toBe("You are connected with peter (group 1): the group's lines come to you by DM.");
    await t.fake.message('the greeting', (m) => m.channelId === dm.id && m.content.startsWith('you are connected with peter'));
    await peter.next('connect');
    t.fake.dm(alice, 'hello peter');
    expect(await peter.next('exchange')).toMatchObject({ from: '[alice]', message: 'hello peter' });
    peter.send({ action: 'exchange', from: '[peter]', message: 'hello alice' });
    await t.fake.message('peter\'s line', (m) => m.channelId === dm.id && m.content === '**[peter (tcp) in #group-1]** hello alice');
    expect((await t.ask(alice, '/who', dm.id)).content).toContain('group 1: alice, peter');
    t.fake.dm(alice, 'bye');
    expect(await peter.next('exchange')).toMatchObject({ message: 'bye' });
    await peter.next('disconnect');
    await t.fake.message('the leave notice', (m) => m.channelId === dm.id && m.content === 'You left group 1.');
    expect(t.fake.threads()).toEqual([]);
  });
});
