/** Private conversations and invite-only groups with Discord users: nothing private is posted where others read. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDiscordTest, type DiscordTest } from '../helpers/discord.js';
import { waitFor } from '../helpers/wait.js';
import type { FakeUser, Posted } from '../fakes/discord/fake-discord.js';

let t: DiscordTest;

beforeEach(async () => {
  t = await startDiscordTest();
});

afterEach(async () => {
  await t.close();
});



/** What the bot posted outside one user's DM with it (channels and threads others can read). */
const postedOutsideDmOf = (user: FakeUser): Posted[] => t.fake.messages.filter((m) => m.via !== 'user' && m.channelId !== t.fake.dmOf(user).id);

describe('a private line to a Discord user', () => {
  it('while they chat in a thread: arrives in their DM with the bot, marked; they answer with m, and nothing private is posted publicly', async () => {
    const peter = await t.tcp('peter');
    const alice = t.fake.user('alice');
    await t.ask(alice, 'c peter');
    await peter.next('connect');
    const thread = await waitFor('the group thread', () => t.fake.threads()[0]);
    const bob = await t.tcp('bob');

    bob.send({ action: 'direct', target: 'alice', message: 'psst, a secret' });
    expect(await bob.next('direct')).toMatchObject({ status: 'sent', target: 'alice' });
    const dm = t.fake.dmOf(alice);
    await t.fake.message('the private line', (m) => m.channelId === dm.id && m.content === '**[bob (tcp) → you]** psst, a secret');
    await t.fake.message(
      'how to answer',
      (m) => m.channelId === dm.id && m.content === "(Only you see bob's private lines here. Type here to answer bob; m <name> <text> writes to someone else, bye ends this conversation.)",
    );

    const reply = await t.ask(alice, 'm bob a secret back');
    expect(reply.content).toBe('Sent privately; the conversation goes on in our DM.');
    await t.fake.message('the copy in the DM', (m) => m.channelId === dm.id && m.content === '**[you → bob]** a secret back');
    // bob was at the menu: the conversation becomes his group, as the classic connect request says.
    expect(await bob.next('connect')).toMatchObject({ status: 'request', from: 'alice', front: 'discord', kind: 'direct' });
    expect(await bob.next('exchange')).toMatchObject({ from: '[alice]', message: 'a secret back', direct: true });

    bob.send({ action: 'exchange', from: '[bob]', message: 'second secret' });
    await t.fake.message('bob\'s second line', (m) => m.channelId === dm.id && m.content === '**[bob (tcp) → you]** second secret');
    expect(t.fake.postedIn(dm.id).filter((m) => m.content.includes("bob's private lines"))).toHaveLength(1);
    expect((await t.ask(alice, 'm bob a secret from the DM', dm.id)).content).toBe('**[you → bob]** a secret from the DM');
    expect(await bob.next('exchange')).toMatchObject({ from: '[alice]', message: 'a secret from the DM', direct: true });
    await peter.sync();
    expect(peter.pending().filter((f) => f.action === 'exchange')).toEqual([]);
    expect(postedOutsideDmOf(alice).filter((m) => m.content.includes('secret'))).toEqual([]);
    expect(t.fake.postedIn(thread.id).filter((m) => m.content.includes('bob'))).toEqual([]);
  });

  it('at the menu: opens the conversation in their DM with the bot (no thread); their plain lines there answer it, and /w switches them to another conversation there', async () => {
    const alice = t.fake.user('alice');
    const dm = t.fake.dmOf(alice);
    await t.ask(alice, 'who', dm.id);
    const bob = await t.tcp('bob');
    bob.send({ action: 'direct', target: 'alice', message: 'hello alice' });
    const line = await t.fake.message('the line', (m) => m.channelId === dm.id && m.content.endsWith('hello alice'));
    expect(line.content).toBe('**[bob (tcp) → you]** hello alice');
    const hint = await t.fake.message('how to answer', (m) => m.channelId === dm.id && m.content.startsWith("(Only you see bob's private lines here. Type here"));
    expect(hint.at).toBeGreaterThan(line.at);

    t.fake.dm(alice, 'hello bob');
    expect(await bob.next('connect')).toMatchObject({ status: 'request', from: 'alice', kind: 'direct' });
    expect(await bob.next('exchange')).toMatchObject({ from: '[alice]', message: 'hello bob', direct: true, front: 'discord' });

    // carol forms a group with alice: it comes to the same DM, but alice's plain lines still answer bob.
    const carol = await t.tcp('carol');
    carol.send({ action: 'connect', target: 'alice' });
    expect(await carol.next('connect')).toMatchObject({ status: 'success', group: 3 });
    const greeting = await t.fake.message('the group greeting', (m) => m.channelId === dm.id && m.content.startsWith('carol connected to you'));
    expect(greeting.content).toBe('carol connected to you (group 3: carol, alice). Its lines come here too; type /w #group-3 to chat in it here.');
    carol.send({ action: 'exchange', from: '[carol]', message: 'hi alice' });
    await t.fake.message('carol\'s line', (m) => m.channelId === dm.id && m.content === '**[carol (tcp) in #group-3]** hi alice');
    t.fake.dm(alice, 'still with you, bob');
    expect(await bob.next('exchange')).toMatchObject({ message: 'still with you, bob', direct: true });
    expect((await t.ask(alice, '/w #group-3', dm.id)).content).toBe('Your plain lines here now go to #group-3.');
    t.fake.dm(alice, 'hi carol');
    expect(await carol.next('exchange')).toMatchObject({ from: '[alice]', message: 'hi carol', group: 3 });
    expect((await t.ask(alice, '/w bob', dm.id)).content).toBe('Your plain lines here now go to bob.');

    t.fake.dm(alice, 'bye');
    await t.fake.message('the goodbye', (m) => m.channelId === dm.id && m.content === 'You left your private conversation with bob.');
    expect(await bob.next('exchange')).toMatchObject({ message: 'bye', direct: true });
    await bob.sync();
    await carol.sync();
    expect(carol.pending().filter((f) => f.action === 'exchange')).toEqual([]);
    expect(t.fake.threads()).toEqual([]);
    expect(postedOutsideDmOf(alice)).toEqual([]);
  });
});

describe('an invite-only group', () => {
  it('refuses a Discord user who connects to a member, saying why, until a member invites them', async () => {
    const peter = await t.tcp('peter');
    peter.send({ action: 'connect', target: '#lobby' });
    await peter.next('connect');
    peter.send({ action: 'lock', locked: true });
    // a classic client (no events feature) is told in words
    expect(await peter.next('note')).toMatchObject({ message: '(peter made this group invite-only)' });

    const alice = t.fake.user('alice');
    const refused = await t.ask(alice, 'c peter');
    expect(refused.content).toBe('peter is in #lobby, which is invite-only: type m peter \\<text> to write to them directly\nConnection unsuccessful');
    expect(t.fake.threads()).toEqual([]);

    peter.send({ action: 'invite', target: 'alice' });
    await t.fake.message('the invitation', (m) => m.channelId === t.fake.dmOf(alice).id && m.content === 'peter invites you to join #lobby: type c #lobby');
    expect((await t.ask(alice, 'c peter')).content).toMatch(/^You are connected with peter \(group 1\): chat in <#\d+>\.$/);
  });

  it('can be locked by its Discord owner: the thread is told, and others are refused', async () => {
    const alice = t.fake.user('alice');
    await t.ask(alice, 'c #den');
    const thread = await waitFor('the room thread', () => t.fake.threads()[0]);
    t.fake.say(alice, thread.id, '/lock');
    await t.fake.message('the lock notice', (m) => m.channelId === thread.id && m.content === '(alice made this group invite-only)');
    const peter = await t.tcp('peter');
    peter.send({ action: 'connect', target: 'alice' });
    expect(await peter.next('connect')).toMatchObject({ status: 'closed' });
    peter.send({ action: 'connect', target: '#den' });
    expect(await peter.next('connect')).toMatchObject({ status: 'closed', msg: '#den is invite-only: ask a member to invite you' });
  });
});
