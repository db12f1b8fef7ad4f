/**
 * A Discord user in two groups and a private conversation at once, with users on the TCP, IRC
 * and web fronts: each group keeps its own thread (reused when the user comes back, renamed as
 * an ad-hoc group's members change), the private conversation stays in the DM with the bot,
 * and every line arrives exactly once, in order, to exactly the members entitled to it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDiscordTest, type DiscordTest } from '../helpers/discord.js';
import { RawIrc } from '../helpers/irc-raw.js';
import { WsClient } from '../helpers/ws-client.js';
import { waitFor } from '../helpers/wait.js';
import type { FakeChannel, FakeUser, Posted } from '../fakes/discord/fake-discord.js';
import { ClassicClient, type Frame } from '../helpers/classic-client.js';

let t: DiscordTest;
const open: { close(): void }[] = [];

beforeEach(async () => {
  t = await startDiscordTest({ env: { FRONTS: 'tcp,irc,web,discord', FLOOD_BURST: '1000', FLOOD_RATE: '1000' } });
});

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await t.close();
});

async function irc(nick: string): Promise<RawIrc> {
  const c = await RawIrc.register(t.srv.ircPort, nick);
  open.push(c);
  return c;
}

/** A web user whose client shows many groups. */
async function web(name: string): Promise<WsClient> {
  const c = await WsClient.open(t.srv.webPort);
  open.push(c);
  c.send({ action: 'login', name, features: ['events', 'rooms'] });
  expect(await c.next('login')).toMatchObject({ status: 'ok' });
  return c;
}

/** The thread a reply to `c ...` points to. */
function threadIn(reply: Posted): FakeChannel {
  const id = /<#(\d+)>/.exec(reply.content)?.[1];
  const thread = id === undefined ? undefined : t.fake.channels.get(id);
  if (!thread) throw new Error(`no thread in ${JSON.stringify(reply.content)}`);
  return thread;
}

/** Relayed lines (webhook posts) in a thread, as `sender: text`. */
const relayed = (thread: FakeChannel): string[] => t.fake.postedIn(thread.id).filter((m) => m.via === 'webhook').map((m) => `${m.username}: ${m.content}`);

/** PRIVMSGs an IRC client got, as `target <sender> text`, in order. */
const ircLines = (lines: readonly string[]): string[] =>
  lines.flatMap((l) => {
    const m = /^:([^!]+)!\S+ PRIVMSG (\S+) :(.*)$/.exec(l);
    return m ? [`${m[2]} <${m[1]}> ${m[3]}`] : [];
  });

/** Chat lines a JSON client got, as `group <sender> text`. */
const jsonLines = (events: readonly Frame[]): string[] => events.filter((e) => e.action === 'exchange').map((e) => `${String(e['group'])} <${String(e['name'])}> ${String(e['message'])}`);

describe('a Discord user in many groups', () => {
  it('talks in two groups and a private conversation at once, with TCP, IRC and web users: every line once, in order, only to its members', async () => {
    const peterd = t.fake.user('peterd');
    const ivy = await irc('ivy');
    const wes = await web('wes');
    const tom: ClassicClient = await t.tcp('tom');

    const lobby = threadIn(await t.ask(peterd, 'c #lobby'));
    expect(lobby.name).toBe('#lobby');
    ivy.send('JOIN #lobby');
    await ivy.expect(/ 366 ivy #lobby /);
    wes.send({ action: 'connect', target: '#lobby' });
    expect(await wes.next('connect')).toMatchObject({ status: 'success', room: '#lobby', group: 1 });
    await t.fake.message('wes joining', (m) => m.channelId === lobby.id && m.content === '(wes joined)');

    const duo = threadIn(await t.ask(peterd, 'c tom'));
    expect(await tom.next('connect')).toMatchObject({ status: 'request', from: 'peterd', front: 'discord', group: 2 });
    expect(duo.name).toBe('peterd, tom');
    expect(t.fake.threads()).toHaveLength(2);

    // A private line to the IRC user: a query there; the answer comes to the DM, marked.
    const dm = t.fake.dmOf(peterd);
    expect((await t.ask(peterd, 'm ivy just between us')).content).toBe('Sent privately; the conversation goes on in our DM.');
    await t.fake.message('the copy in the DM', (m) => m.channelId === dm.id && m.content === '**[you → ivy]** just between us');
    await ivy.expect(/^:peterd!\S+ PRIVMSG ivy :just between us$/);
    ivy.send('PRIVMSG peterd :yes, only us');
    await t.fake.message('ivy\'s answer', (m) => m.channelId === dm.id && m.content === '**[ivy (irc) → you]** yes, only us');

    // Lines in every place, interleaved.
    for (let i = 1; i <= 3; i++) {
      t.fake.say(peterd, lobby.id, `lobby ${i}`);
      t.fake.say(peterd, duo.id, `duo ${i}`);
      t.fake.dm(peterd, `dm ${i}`);
      ivy.send(`PRIVMSG #lobby :ivy ${i}`);
      wes.send({ action: 'exchange', message: `wes ${i}`, group: 1 });
      tom.send({ action: 'exchange', from: '[tom]', message: `tom ${i}` });
    }
    await waitFor('the lines in #lobby', () => relayed(lobby).length >= 6);
    await waitFor('tom\'s lines', () => relayed(duo).length >= 3);
    await waitFor('the DM lines to ivy', () => ivy.lines.filter((l) => / PRIVMSG ivy :dm \d$/.test(l)).length >= 3);
    await waitFor('peterd\'s lines at tom', () => tom.pending().filter((f) => f.action === 'exchange').length >= 3);
    const [ivyGot] = await Promise.all([ivy.sync(), wes.sync(), tom.sync()]);

    const lobbyLines = relayed(lobby);
    expect(lobbyLines.filter((l) => l.startsWith('ivy'))).toEqual(['ivy (irc): ivy 1', 'ivy (irc): ivy 2', 'ivy (irc): ivy 3']);
    expect(lobbyLines.filter((l) => l.startsWith('wes'))).toEqual(['wes (web): wes 1', 'wes (web): wes 2', 'wes (web): wes 3']);
    expect(lobbyLines).toHaveLength(6);
    expect(relayed(duo)).toEqual(['tom (tcp): tom 1', 'tom (tcp): tom 2', 'tom (tcp): tom 3']);
    // Nothing typed on Discord comes back to Discord; the DM holds only what is private to peterd.
    expect(t.fake.messages.filter((m) => m.via !== 'user' && /^(\*\*.*)?(lobby|duo|dm) \d$/.test(m.content))).toEqual([]);
    expect(t.fake.postedIn(dm.id).map((m) => m.content).filter((c) => /(ivy|wes|tom) \d/.test(c))).toEqual([]);

    const ivySaw = ircLines(ivyGot);
    expect(ivySaw.filter((l) => l.includes('<peterd>'))).toEqual([
      '#lobby <peterd> lobby 1',
      'ivy <peterd> dm 1',
      '#lobby <peterd> lobby 2',
      'ivy <peterd> dm 2',
      '#lobby <peterd> lobby 3',
      'ivy <peterd> dm 3',
    ]);
    expect(ivySaw.filter((l) => l.includes('<wes>'))).toEqual(['#lobby <wes> wes 1', '#lobby <wes> wes 2', '#lobby <wes> wes 3']);
    expect(ivySaw.filter((l) => /duo|tom/.test(l))).toEqual([]);
    // Each sender's lines in order (senders on different fronts may interleave either way).
    const wesSaw = jsonLines(wes.events);
    expect(wesSaw.filter((l) => l.includes('<peterd>'))).toEqual(['1 <peterd> lobby 1', '1 <peterd> lobby 2', '1 <peterd> lobby 3']);
    expect(wesSaw.filter((l) => l.includes('<ivy>'))).toEqual(['1 <ivy> ivy 1', '1 <ivy> ivy 2', '1 <ivy> ivy 3']);
    expect(wesSaw).toHaveLength(6);
    expect(jsonLines(tom.pending())).toEqual(['2 <peterd> duo 1', '2 <peterd> duo 2', '2 <peterd> duo 3']);
  });

  it('reuses a group\'s thread when the user comes back to it, and renames an ad-hoc group\'s thread as its members change', async () => {
    const peterd = t.fake.user('peterd');
    const tom = await t.tcp('tom');
    const lobby = threadIn(await t.ask(peterd, 'c #lobby'));
    const duo = threadIn(await t.ask(peterd, 'c tom'));
    await tom.next('connect');

    t.fake.say(peterd, lobby.id, 'bye');
    await waitFor('the #lobby thread to be archived', () => lobby.archived);
    const wes = await web('wes');
    wes.send({ action: 'connect', target: '#lobby' });
    const again = Number((await wes.next('connect'))['group']);
    expect(threadIn(await t.ask(peterd, 'j lobby'))).toBe(lobby);
    expect(lobby.archived).toBe(false);
    await t.fake.message('the greeting in the reopened thread', (m) => m.channelId === lobby.id && m.content.startsWith(`<@${peterd.id}> you are connected with #lobby`));
    wes.send({ action: 'exchange', message: 'welcome back', group: again });
    await t.fake.message('wes\'s line in the old thread', (m) => m.channelId === lobby.id && m.via === 'webhook' && m.content === 'welcome back');
    t.fake.say(peterd, lobby.id, 'glad to be back');
    expect(await wes.next('exchange')).toMatchObject({ name: 'peterd', message: 'glad to be back', group: again });

    const carol = await t.tcp('carol');
    carol.send({ action: 'connect', target: 'tom' });
    await carol.next('connect');
    await waitFor('the thread renamed after the three', () => duo.name === 'peterd, tom, carol');
    carol.send({ action: 'disconnect' });
    await waitFor('the thread renamed after the two', () => duo.name === 'peterd, tom');
    expect(t.fake.threads()).toHaveLength(2);
    expect(t.fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/threads'))).toHaveLength(2);
  });

  it('follows one documented rule in a thread: lines go to its group, bye leaves it, /commands are commands about it', async () => {
    const peterd: FakeUser = t.fake.user('peterd');
    const tom = await ClassicClient.login(t.srv.tcpPort, 'tom', ['events', 'rooms']);
    open.push(tom);
    const lobby = threadIn(await t.ask(peterd, 'c #lobby'));
    threadIn(await t.ask(peterd, 'c tom'));
    await tom.next('connect');
    tom.send({ action: 'connect', target: '#lobby' });
    await tom.next('connect');

    // peterd's focus is the group with tom; in the #lobby thread, who is a line and /who a command.
    t.fake.say(peterd, lobby.id, 'who');
    expect(await tom.nextWhere('the line in #lobby', (f) => f.action === 'exchange')).toMatchObject({ message: 'who', group: 1 });
    const whoId = t.fake.say(peterd, lobby.id, '/who');
    const who = await t.fake.message('the answer to /who', (m) => m.replyTo === whoId);
    expect(who.content).toContain('**Online (2):**');
    const topicId = t.fake.say(peterd, lobby.id, '/topic sonnets');
    await t.fake.message('the topic notice in #lobby', (m) => m.channelId === lobby.id && m.content === '(peterd set the topic: sonnets)');
    expect(t.fake.messages.filter((m) => m.replyTo === topicId)).toEqual([]);
    t.fake.say(peterd, lobby.id, 'bye');
    expect(await tom.nextWhere('the leave of #lobby', (f) => f.action === 'leave')).toMatchObject({ name: 'peterd', group: 1 });
    const rooms = t.fake.slash(peterd, t.fake.general, 'rooms');
    expect(await t.fake.responses(rooms)).toEqual([{ kind: 'reply', content: '1. #group-2 (here)', ephemeral: true }]);
  });
});

describe('after a restart', () => {
  it('a room comes back to its old thread, opened again', async () => {
    const peterd = t.fake.user('peterd');
    const lobby = threadIn(await t.ask(peterd, 'c #Lobby'));
    expect(lobby.name).toBe('#Lobby');
    await t.restart();
    await waitFor('the thread archived by the stop', () => lobby.archived);
    // His first command logs him in, which brings him back into the room he kept, under its own name.
    expect(threadIn(await t.ask(peterd, 'j lobby'))).toBe(lobby);
    expect(lobby.archived).toBe(false);
    await t.fake.message('the greeting in the old thread', (m) => m.channelId === lobby.id && m.content.startsWith(`<@${peterd.id}> you are connected with #Lobby`));
    t.fake.say(peterd, lobby.id, 'back again');
    const tom = await t.tcp('tom');
    tom.send({ action: 'connect', target: '#lobby' });
    await tom.next('connect');
    t.fake.say(peterd, lobby.id, 'hello tom');
    expect(await tom.next('exchange')).toMatchObject({ name: 'peterd', message: 'hello tom' });
    expect(t.fake.threads()).toEqual([lobby]);
  });
});

describe('catch-up on return', () => {
  it('a Discord user who quit comes back into the room they kept, in its thread, and is told in their DM what they missed; live lines once', async () => {
    const peterd = t.fake.user('peterd');
    const tom = await ClassicClient.login(t.srv.tcpPort, 'tom', ['events', 'rooms']);
    open.push(tom);
    const lobby = threadIn(await t.ask(peterd, 'c #lobby'));
    tom.send({ action: 'connect', target: '#lobby' });
    const group = (await tom.next('connect'))['group'];
    await t.ask(peterd, 'q');
    await tom.nextWhere('peterd quitting', (f) => f.action === 'leave' && f['name'] === 'peterd');
    tom.send({ action: 'exchange', message: 'the news', group });
    tom.send({ action: 'direct', target: 'peterd', message: 'psst' });
    await tom.sync();
    await t.ask(peterd, 'time');
    const dm = t.fake.dmOf(peterd).id;
    const room = await t.fake.message('the catch-up of #lobby', (m) => m.channelId === dm && m.content.includes('1 line in #lobby while you were away'));
    expect(room.content).toContain('tom : the news');
    const direct = await t.fake.message('the catch-up of the DM', (m) => m.channelId === dm && m.content.includes('1 line in tom while you were away'));
    expect(direct.content).toContain('tom : psst');
    tom.send({ action: 'exchange', message: 'live now', group });
    await waitFor('the live line in the thread', () => relayed(lobby).includes('tom (tcp): live now'));
    expect(relayed(lobby).filter((l) => l.includes('the news'))).toEqual([]);
    expect(t.fake.threads()).toEqual([lobby]);
  });
});
