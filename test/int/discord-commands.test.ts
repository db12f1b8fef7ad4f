/** Commands typed in a bridged channel or a DM, and slash commands, against the real discord.js. */
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { startDiscordTest, type DiscordTest } from '../helpers/discord.js';
import { RawIrc } from '../helpers/irc-raw.js';
import { waitFor } from '../helpers/wait.js';
import { REGISTER_ON_DISCORD } from '../../src/bridges/discord/answers.js';

let t: DiscordTest;

beforeEach(async () => {
  t = await startDiscordTest();
});

afterEach(async () => {
  await t.close();
});



/** Who the hub says is online, as a TCP user sees it. */
async function online(viewer: ClassicClient): Promise<string[]> {
  viewer.send({ action: 'list' });
  const list = await viewer.next('list');
  return (list['users'] as { name: string; front: string }[]).map((u) => `${u.name}@${u.front}`);
}

describe('text commands in a bridged channel', () => {
  it('who: logs the user in on their first command and replies with everyone online', async () => {
    await t.tcp('peter');
    const alice = t.fake.user('alice');
    const reply = await t.ask(alice, 'who');
    expect(reply.content).toBe('**Online (2):** peter (tcp), alice (discord)\n**Chatting:** nobody');
    expect(reply.channelId).toBe(t.fake.general.id);
    expect(reply.allowedMentions).toMatchObject({ parse: [] });
  });

  it('time, p 3 and p3, and a sonnet that does not exist', async () => {
    const alice = t.fake.user('alice');
    expect((await t.ask(alice, 'time')).content).toMatch(/^Time is: \d\d\.\d\d\.\d\d,\d\d:\d\d$/);
    const spaced = await t.ask(alice, 'p 3');
    expect(spaced.content).toMatch(/^\*\*Sonnet 3\*\* \(III\.\)\n\nLook in thy glass and tell the face thou viewest\n/);
    expect((await t.ask(alice, 'p3')).content).toBe(spaced.content);
    expect((await t.ask(alice, 'p 200')).content).toContain('Sonnet 200 not found');
  });

  it('help: the menu; q: goodbye, and the user is offline', async () => {
    const peter = await t.tcp('peter');
    const alice = t.fake.user('alice');
    const help = await t.ask(alice, 'help');
    expect(help.content).toContain('c _peer_: to connect to the _peer_ and chat');
    expect(help.content).toContain('/who /time /connect');
    expect(await online(peter)).toContain('alice@discord');
    expect((await t.ask(alice, 'q')).content).toBe('See you next time!');
    expect(await online(peter)).toEqual(['peter@tcp']);
  });

  it('answers nothing that is not a command (but the chatter is online from then on)', async () => {
    const peter = await t.tcp('peter');
    const alice = t.fake.user('alice');
    const chatter = ['hello everyone', 'c', '?', 'p', 'who is there?', 'pizza tonight'].map((text) => t.fake.say(alice, t.fake.general.id, text));
    const bob = t.fake.user('bob');
    const reply = await t.ask(bob, 'time');
    expect(t.fake.messages.filter((m) => m.replyTo && chatter.includes(m.replyTo))).toEqual([]);
    expect(t.fake.postedIn(t.fake.general.id)).toEqual([reply]);
    expect((await online(peter)).sort()).toEqual(['alice@discord', 'bob@discord', 'peter@tcp']);
  });

  it('ignores channels that are not bridged, and answers a command addressed to the bot by mention', async () => {
    const alice = t.fake.user('alice');
    t.fake.say(alice, t.fake.other.id, 'time');
    const reply = await t.ask(alice, `<@${t.fake.bot.id}> time`);
    expect(reply.content).toMatch(/^Time is: /);
    expect(t.fake.postedIn(t.fake.other.id)).toEqual([]);
  });

  it('c peter: a public reply pointing to the group thread, the same thread when asked again; bye: leaves the group', async () => {
    const peter = await t.tcp('peter');
    const alice = t.fake.user('alice');
    const reply = await t.ask(alice, 'c peter');
    const thread = t.fake.threads()[0]!;
    expect(reply.content).toBe(`You are connected with peter (group 1): chat in <#${thread.id}>.`);
    expect(await peter.next('connect')).toMatchObject({ status: 'request', from: 'alice', front: 'discord' });
    expect((await t.ask(alice, 'c peter')).content).toBe(`You are connected with peter (group 1): chat in <#${thread.id}>.`);
    expect(t.fake.threads()).toEqual([thread]);
    expect((await t.ask(alice, 'bye')).content).toBe('You left group 1.');
    expect(await peter.next('disconnect')).toMatchObject({ msg: 'everyone left, you are alone' });
    expect((await t.ask(alice, 'bye')).content).toBe('You are not in a group.');
    expect((await t.ask(alice, 'c nobody')).content).toContain('User is not online');
    expect((await t.ask(alice, 'c alice')).content).toContain('Cannot talk to yourself');
  });

  it('? love: the results go by DM only; the channel reply just says so', async () => {
    const peter = await t.tcp('peter');
    const alice = t.fake.user('alice');
    await t.ask(alice, 'c peter');
    await peter.next('connect');
    peter.send({ action: 'exchange', from: '[peter]', message: 'all my love to you' });
    const thread = t.fake.threads()[0]!;
    await t.fake.message('peter\'s line in the thread', (m) => m.channelId === thread.id && m.content.includes('all my love'));
    const reply = await t.ask(alice, '? love');
    expect(reply.content).toBe('I sent you the results by DM.');
    const dm = t.fake.dmOf(alice);
    const results = await t.fake.message('the results by DM', (m) => m.channelId === dm.id && m.content.includes('searched for'));
    expect(results.content).toMatch(/^Your history, searched for "love":\n\(\d\d\.\d\d\.\d\d,\d\d:\d\d\) #group-1 peter : all my love to you$/);
    const publicPosts = t.fake.messages.filter((m) => m.channelId !== dm.id && m.via !== 'user');
    expect(publicPosts.filter((m) => m.content.includes('searched for') || (m.content.includes('all my love') && m.channelId === t.fake.general.id))).toEqual([]);
  });

  it('? love with DMs closed: says so publicly, and the results appear nowhere', async () => {
    const alice = t.fake.user('alice');
    t.fake.closedDms.add(alice.id);
    const reply = await t.ask(alice, '? love');
    expect(reply.content).toContain('I could not DM you the results');
    expect(t.fake.messages.filter((m) => m.content.includes('not found') || m.content.includes('searched for'))).toEqual([]);
  });
});

describe('commands by DM', () => {
  it('answers in the DM, search results included, and says what it does not know', async () => {
    const alice = t.fake.user('alice');
    const dm = t.fake.dmOf(alice);
    expect((await t.ask(alice, 'who', dm.id)).content).toContain('alice (discord)');
    const search = await t.ask(alice, '? nothing', dm.id);
    expect(search.channelId).toBe(dm.id);
    expect(search.content).toBe("'nothing' not found");
    expect((await t.ask(alice, 'hello there', dm.id)).content).toBe('I do not know "hello there"; type help for the menu.');
    expect((await t.ask(alice, 'c', dm.id)).content).toBe('usage: c \\<name>: connect to a user');
  });
});

describe('slash commands', () => {
  it('/who, /time and /poem answer publicly', async () => {
    await t.tcp('peter');
    const alice = t.fake.user('alice');
    const who = t.fake.slash(alice, t.fake.general, 'who');
    expect(await t.fake.responses(who)).toEqual([{ kind: 'reply', content: '**Online (2):** peter (tcp), alice (discord)\n**Chatting:** nobody', ephemeral: false }]);
    const time = t.fake.slash(alice, t.fake.general, 'time');
    expect((await t.fake.responses(time))[0]).toMatchObject({ kind: 'reply', ephemeral: false, content: expect.stringMatching(/^Time is: /) });
    const poem = t.fake.slash(alice, t.fake.general, 'poem', { number: 18 });
    const [sonnet] = await t.fake.responses(poem);
    expect(sonnet).toMatchObject({ kind: 'reply', ephemeral: false });
    expect(sonnet!.content).toMatch(/^\*\*Sonnet 18\*\* \(XVIII\.\)\n\nShall I compare thee to a summer's day\?\n/);
  });

  it('/connect answers once the thread exists; /bye and /quit', async () => {
    const peter = await t.tcp('peter');
    const alice = t.fake.user('alice');
    const connect = t.fake.slash(alice, t.fake.general, 'connect', { peer: 'peter' });
    const responses = await t.fake.responses(connect, 2);
    const thread = t.fake.threads()[0]!;
    expect(responses).toEqual([
      { kind: 'defer', content: '', ephemeral: false },
      { kind: 'edit', content: `You are connected with peter (group 1): chat in <#${thread.id}>.`, ephemeral: false },
    ]);
    await peter.next('connect');
    const reconnect = t.fake.slash(alice, t.fake.general, 'connect', { peer: 'peter' });
    expect((await t.fake.responses(reconnect, 2))[1]).toEqual({ kind: 'edit', content: `You are connected with peter (group 1): chat in <#${thread.id}>.`, ephemeral: false });
    expect(t.fake.threads()).toEqual([thread]);
    const bye = t.fake.slash(alice, t.fake.general, 'bye');
    expect(await t.fake.responses(bye)).toEqual([{ kind: 'reply', content: 'You left group 1.', ephemeral: false }]);
    await peter.next('disconnect');
    const quit = t.fake.slash(alice, t.fake.general, 'quit');
    expect(await t.fake.responses(quit)).toEqual([{ kind: 'reply', content: 'See you next time!', ephemeral: false }]);
    expect(await online(peter)).toEqual(['peter@tcp']);
    const again = t.fake.slash(alice, t.fake.general, 'quit');
    expect(await t.fake.responses(again)).toEqual([{ kind: 'reply', content: 'You are not in the chat.', ephemeral: true }]);
  });

  it('/search and /help answer ephemerally, and nothing is posted in the channel', async () => {
    const alice = t.fake.user('alice');
    const search = t.fake.slash(alice, t.fake.general, 'search', { term: 'love' });
    expect(await t.fake.responses(search)).toEqual([{ kind: 'reply', content: "'love' not found", ephemeral: true }]);
    const help = t.fake.slash(alice, t.fake.general, 'help');
    expect((await t.fake.responses(help))[0]).toMatchObject({ kind: 'reply', ephemeral: true, content: expect.stringContaining('++++ Choose one') });
    expect(t.fake.postedIn(t.fake.general.id)).toEqual([]);
  });

  it('work in a DM, and refuse a channel that is not bridged', async () => {
    const alice = t.fake.user('alice');
    const who = t.fake.slash(alice, 'dm', 'who');
    expect((await t.fake.responses(who))[0]!.content).toContain('alice (discord)');
    const elsewhere = t.fake.slash(alice, t.fake.other, 'time');
    expect(await t.fake.responses(elsewhere)).toEqual([{ kind: 'reply', content: `I only answer in <#${t.fake.general.id}> and DMs.`, ephemeral: true }]);
  });
});

describe('identity', () => {
  it('derives the chat name from the Discord username, with a suffix on a clash', async () => {
    const peter = await t.tcp('peter');
    await t.ask(t.fake.user('john.doe'), 'time');
    await t.ask(t.fake.user('peter'), 'time');
    expect(await online(peter)).toEqual(['peter@tcp', 'john_doe@discord', 'peter2@discord']);
  });

  it('keeps the name and history across restarts, and no other front can take the name', async () => {
    const peter = await t.tcp('peter');
    const alice = t.fake.user('alice');
    await t.ask(alice, 'c peter');
    await peter.next('connect');
    const thread = t.fake.threads()[0]!;
    t.fake.say(alice, thread.id, 'remember the daffodils');
    expect(await peter.next('exchange')).toMatchObject({ from: '[alice]', message: 'remember the daffodils' });
    await t.ask(alice, 'q');

    const impostor = await ClassicClient.open(t.srv.tcpPort);
    onTestFinished(() => void impostor.socket.destroy());
    impostor.send({ action: 'login', name: 'Alice' });
    expect(await impostor.next('login')).toEqual({ action: 'login', status: 'duplicate', msg: 'this name is registered', credential: 'discord' });
    impostor.send({ action: 'login', name: 'alice', password: 'a guessed password' });
    expect(await impostor.next('login')).toEqual({ action: 'login', status: 'duplicate', msg: 'this name is registered', credential: 'discord' });

      await t.restart();
    const watcher = await t.tcp('watcher');
    const again = t.fake.slash(alice, t.fake.general, 'search', { term: 'daffodils' });
    expect((await t.fake.responses(again))[0]!.content).toMatch(/alice : remember the daffodils$/);
    expect(await online(watcher)).toEqual(['watcher@tcp', 'alice@discord']);
  });

  it('needs no password and takes none: register is answered privately and never carried out, SASL is refused', async () => {
    await t.close();
    t = await startDiscordTest({ env: { FRONTS: 'tcp,irc,discord' } });
    const alice = t.fake.user('alice');
    const dm = t.fake.dmOf(alice);
    await t.ask(alice, 'time');
    expect((await t.ask(alice, 'register', dm.id)).content).toBe(REGISTER_ON_DISCORD);
    await t.ask(alice, 'register my secret words');
    const whispered = await t.fake.message('the answer by DM', (m) => m.channelId === dm.id && m.content === REGISTER_ON_DISCORD);
    expect(whispered).toBeDefined();
    expect(t.fake.messages.filter((m) => m.via !== 'user' && m.content.includes('my secret words'))).toEqual([]);
    expect(t.srv.logs.filter((l) => l.includes('my secret words') || l.includes('name registered'))).toEqual([]);

    const irc = await RawIrc.open(t.srv.ircPort);
    irc.send('CAP LS 302', 'CAP REQ :sasl', 'NICK someone', 'USER someone 0 * :x', 'AUTHENTICATE PLAIN');
    await irc.expect(/^AUTHENTICATE \+$/);
    irc.send(`AUTHENTICATE ${Buffer.from('\0alice\0my secret words').toString('base64')}`);
    expect(await irc.expect(/ 904 /)).toBe(':ics-chat.local 904 * :SASL authentication failed: alice is registered to a discord account, not to a password');
    irc.send('CAP END', 'NICK alice');
    expect(await irc.expect(/ 433 /)).toContain('alice :Nickname is already in use (this name is registered)');
    irc.close();
  });

  it('logs out a user in no group after DISCORD_IDLE_MINUTES, but not one in a group', async () => {
    await t.close();
    t = await startDiscordTest({ env: { DISCORD_IDLE_MINUTES: '0.005' } });
    const peter = await t.tcp('peter');
    const alice = t.fake.user('alice');
    await t.ask(alice, 'c peter');
    await peter.next('connect');
    await t.ask(t.fake.user('bob'), 'time');
    await waitFor('bob to be logged out', () => t.front.users() === 1);
    expect(await online(peter)).toEqual(['peter@tcp', 'alice@discord']);
  });
});
