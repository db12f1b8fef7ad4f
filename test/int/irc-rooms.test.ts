/**
 * Many channels and private lines through the real irc-framework client, beside JSON clients
 * that show many groups and a classic one-group client: every line arrives once, in order, in
 * the right channel or query, and only to the members of its group.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClassicClient, type Frame } from '../helpers/classic-client.js';
import { FrameworkClient, type IrcEvent } from '../helpers/irc-framework-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

let srv: TestServer;
const open: { close(): void }[] = [];

beforeEach(async () => {
  // The throttle is tested on its own (irc-abuse); here every client sends in bursts.
  srv = await startTestServer({ FRONTS: 'tcp,irc', FLOOD_BURST: '1000', FLOOD_RATE: '1000' });
});

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await srv.destroy();
});

async function irc(nick: string): Promise<FrameworkClient> {
  const c = await FrameworkClient.connect(srv.ircPort, nick);
  open.push(c);
  return c;
}

/** A native-front user; with `rooms`, a JSON client that shows many groups. */
async function tcp(name: string, rooms = false): Promise<ClassicClient> {
  const c = await ClassicClient.login(srv.tcpPort, name, rooms ? ['events', 'rooms'] : undefined);
  open.push(c);
  return c;
}

/** Joins IRC channels and waits until the client shows each (its NAMES has come). */
async function joinAll(c: FrameworkClient, ...channels: string[]): Promise<void> {
  c.client.join(channels.join(','));
  for (const channel of channels) await c.next('userlist', (e) => e['channel'] === channel);
}

/** Joins a room from a JSON client; the room's group id. */
async function connect(c: ClassicClient, room: string): Promise<number> {
  c.send({ action: 'connect', target: room });
  const answer = await c.nextWhere(`the connect to ${room}`, (f) => f.action === 'connect' && f['status'] === 'success' && f['room'] === room);
  return Number(answer['group']);
}

/** What an IRC client was sent, per `target <sender>`: private lines have the client's own nick as target. */
function ircLines(c: FrameworkClient): Record<string, string[]> {
  const by: Record<string, string[]> = {};
  for (const e of c.events.filter((x: IrcEvent) => x.event === 'privmsg')) (by[`${String(e['target'])} <${String(e['nick'])}>`] ??= []).push(String(e['message']));
  return by;
}

/** What a JSON client was sent, per `group <sender>` (`direct <sender>` for private lines). */
function jsonLines(c: ClassicClient): Record<string, string[]> {
  const by: Record<string, string[]> = {};
  for (const f of c.pending().filter((x: Frame) => x.action === 'exchange')) (by[`${f['direct'] ? 'direct' : String(f['group'])} <${String(f['name'])}>`] ??= []).push(String(f['message']));
  return by;
}

const count = (lines: Record<string, string[]>): number => Object.values(lines).reduce((n, l) => n + l.length, 0);
const numbered = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('an IRC user in three channels and one private conversation', () => {
  it('gets every line once, in order, in the right channel or query, and only members get them', async () => {
    const zoe = await irc('zoe');
    const ann = await irc('ann');
    const bob = await tcp('bob', true);
    const cy = await tcp('cy');
    const dan = await tcp('dan');
    await joinAll(zoe, '#a', '#b', '#c');
    await joinAll(ann, '#a', '#b');
    const b = await connect(bob, '#b');
    const c = await connect(bob, '#c');
    cy.send({ action: 'connect', target: '#c' });
    expect(await cy.next('connect')).toMatchObject({ status: 'success', room: '#c' });
    const N = 5;
    for (let i = 0; i < N; i++) {
      zoe.client.say('#a', `za${i}`);
      zoe.client.say('#b', `zb${i}`);
      zoe.client.say('#c', `zc${i}`);
      zoe.client.say('bob', `zdm${i}`);
      ann.client.say('#a', `aa${i}`);
      ann.client.say('#b', `ab${i}`);
      bob.send({ action: 'exchange', message: `bb${i}`, group: b });
      bob.send({ action: 'exchange', message: `bc${i}`, group: c });
      bob.send({ action: 'direct', target: 'zoe', message: `bdm${i}` });
    }
    const zoeGets = { '#a <ann>': numbered('aa', N), '#b <ann>': numbered('ab', N), '#b <bob>': numbered('bb', N), '#c <bob>': numbered('bc', N), 'zoe <bob>': numbered('bdm', N) };
    const annGets = { '#a <zoe>': numbered('za', N), '#b <zoe>': numbered('zb', N), '#b <bob>': numbered('bb', N) };
    const bobGets = { [`${b} <zoe>`]: numbered('zb', N), [`${b} <ann>`]: numbered('ab', N), [`${c} <zoe>`]: numbered('zc', N), 'direct <zoe>': numbered('zdm', N) };
    const cyGets = { [`${c} <zoe>`]: numbered('zc', N), [`${c} <bob>`]: numbered('bc', N) };
    await waitFor('every line at zoe', () => count(ircLines(zoe)) >= count(zoeGets));
    await waitFor('every line at ann', () => count(ircLines(ann)) >= count(annGets));
    await waitFor('every line at bob', () => count(jsonLines(bob)) >= count(bobGets));
    await waitFor('every line at cy', () => count(jsonLines(cy)) >= count(cyGets));
    // Whatever was sent before these round trips has arrived by their end: nothing more is coming.
    for (const json of [bob, cy, dan]) await json.sync();
    zoe.client.say('#a', 'last');
    await ann.next('privmsg', (e) => e['message'] === 'last');
    ann.client.say('#a', 'last');
    await zoe.next('privmsg', (e) => e['message'] === 'last');
    expect(ircLines(zoe)).toEqual(zoeGets);
    expect(ircLines(ann)).toEqual(annGets);
    expect(jsonLines(bob)).toEqual(bobGets);
    expect(jsonLines(cy)).toEqual(cyGets);
    expect(jsonLines(dan)).toEqual({});
    expect(zoe.events.filter((e) => e.event === 'join' && e['nick'] === 'zoe').map((e) => e['channel'])).toEqual(['#a', '#b', '#c']);
  });

  it('parts one channel and keeps the others', async () => {
    const zoe = await irc('zoe');
    const ann = await irc('ann');
    await joinAll(zoe, '#a', '#b', '#c');
    await joinAll(ann, '#a', '#b', '#c');
    zoe.client.part('#b', 'only b');
    expect(await zoe.next('part')).toMatchObject({ nick: 'zoe', channel: '#b', message: 'only b' });
    expect(await ann.next('part')).toMatchObject({ nick: 'zoe', channel: '#b', message: 'only b' });
    for (const channel of ['#a', '#b', '#c']) ann.client.say(channel, `in ${channel}`);
    // ann's lines come in the order she said them: the one in #b would be here before the one in #c.
    await zoe.next('privmsg', (e) => e['target'] === '#c');
    expect(zoe.events.filter((e) => e.event === 'privmsg').map((e) => `${String(e['target'])} ${String(e['message'])}`)).toEqual(['#a in #a']);
    zoe.client.say('#c', 'still in c');
    expect(await ann.next('privmsg')).toMatchObject({ nick: 'zoe', target: '#c', message: 'still in c' });
    ann.client.raw('NAMES', '#a');
    const names = await ann.next('userlist', (e) => e['channel'] === '#a');
    expect((names['users'] as { nick: string }[]).map((u) => u.nick)).toEqual(['zoe', 'ann']);
  });

  it('refuses a JOIN of a locked room (473) until the owner invites', async () => {
    const ann = await irc('ann');
    const zoe = await irc('zoe');
    const peter = await tcp('peter');
    await joinAll(ann, '#den');
    ann.client.raw('MODE', '#den', '+i');
    expect(await ann.next('mode')).toMatchObject({ nick: 'ann', target: '#den', modes: [{ mode: '+i', param: null }] });
    zoe.client.join('#den');
    expect(await zoe.next('irc error')).toMatchObject({ error: 'invite_only_channel', channel: '#den' });
    peter.send({ action: 'connect', target: 'ann' });
    expect(await peter.next('connect')).toMatchObject({ status: 'closed' });
    ann.client.raw('INVITE', 'zoe', '#den');
    expect(await ann.next('invited')).toMatchObject({ nick: 'zoe', channel: '#den' });
    expect(await zoe.next('invite')).toMatchObject({ nick: 'ann', channel: '#den' });
    await joinAll(zoe, '#den');
    expect(await ann.next('join', (e) => e['nick'] === 'zoe')).toMatchObject({ channel: '#den' });
  });
});
