/**
 * Many groups at once across fronts, through real sockets: an IRC user in three channels and a
 * direct conversation, a classic client whose one group is one of those channels and who gets
 * a direct line, a web user in two rooms, a terminal-style JSON user in two. Every line arrives
 * exactly once, in its sender's order, in the right group, at exactly the members entitled to it.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ClassicClient, type Frame } from '../helpers/classic-client.js';
import { FrameworkClient } from '../helpers/irc-framework-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { WsClient } from '../helpers/ws-client.js';

let srv: TestServer;
const open: { close(): void }[] = [];

beforeEach(async () => {
  // Flood control would pace the senders; this test is about who gets what, and in which order.
  srv = await startTestServer({ FRONTS: 'tcp,irc,web', FLOOD_BURST: '1000', FLOOD_RATE: '1000' });
});

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await srv.destroy();
});

/** Logs a JSON client in with features (the classic client asks for none). */
async function loggedIn<C extends ClassicClient | WsClient>(client: C, name: string, features: string[]): Promise<C> {
  client.send({ action: 'login', name, features });
  expect(await client.next('login')).toMatchObject({ status: 'ok' });
  return client;
}

/** One received line: where (`#room`, or `dm` for a direct line), who said it, what. */
type Got = [where: string, from: string, text: string];

/** A JSON client (native or WebSocket) that shows many groups: joins rooms, says lines in one, sends direct lines. */
async function jsonMember(client: ClassicClient | WsClient, rooms: string[]) {
  const groups = new Map<string, number>();
  for (const room of rooms) {
    client.send({ action: 'connect', target: room, label: `join ${room}` });
    const reply = await client.next('connect');
    expect(reply).toMatchObject({ status: 'success', label: `join ${room}` });
    groups.set(room, Number(reply['group']));
  }
  const frames = (): Frame[] => ('frames' in client ? client.frames : client.events);
  const roomOf = (group: number): string => [...groups].find(([, id]) => id === group)?.[0] ?? `#group-${group}`;
  return {
    group: (room: string) => groups.get(room)!,
    say: (room: string, message: string) => client.send({ action: 'exchange', message, group: groups.get(room)! }),
    dm: (target: string, message: string) => client.send({ action: 'direct', target, message }),
    got: (): Got[] =>
      frames()
        .filter((f) => f.action === 'exchange')
        .map((f) => [f['direct'] ? 'dm' : roomOf(Number(f['group'])), String(f['name']), String(f['message'])]),
  };
}

it('carries lines in many rooms and direct conversations to exactly their members, once and in order', async () => {
  const alice = await FrameworkClient.connect(srv.ircPort, 'alice');
  open.push(alice);
  for (const room of ['#a', '#b', '#c']) {
    alice.client.join(room);
    await alice.next('userlist', (e) => e['channel'] === room);
  }
  // zz: the course's client, no features: its one group is #a
  const zz = await loggedIn(await ClassicClient.open(srv.tcpPort), 'zz', []);
  open.push(zz);
  zz.send({ action: 'connect', target: '#a' });
  const zzGroup = Number((await zz.next('connect'))['group']);
  const tomClient = await loggedIn(await ClassicClient.open(srv.tcpPort), 'tom', ['events', 'rooms']);
  open.push(tomClient);
  const tom = await jsonMember(tomClient, ['#a', '#c']);
  const wesClient = await loggedIn(await WsClient.open(srv.webPort), 'wes', ['events', 'rooms']);
  open.push({ close: () => wesClient.ws.close() });
  const wes = await jsonMember(wesClient, ['#b', '#c']);

  const expected = new Map<string, Got[]>([['alice', []], ['zz', []], ['tom', []], ['wes', []]]);
  const members: Record<string, string[]> = { '#a': ['alice', 'zz', 'tom'], '#b': ['alice', 'wes'], '#c': ['alice', 'tom', 'wes'] };
  const said = (room: string, from: string, text: string): void => {
    for (const m of members[room]!) if (m !== from) expected.get(m)!.push([room, from, text]);
  };
  for (let i = 0; i < 15; i++) {
    for (const room of ['#a', '#b', '#c']) {
      alice.client.say(room, `alice ${room} ${i}`);
      said(room, 'alice', `alice ${room} ${i}`);
    }
    zz.send({ action: 'exchange', message: `zz ${i}` });
    said('#a', 'zz', `zz ${i}`);
    tom.say('#a', `tom #a ${i}`);
    said('#a', 'tom', `tom #a ${i}`);
    tom.say('#c', `tom #c ${i}`);
    said('#c', 'tom', `tom #c ${i}`);
    wes.say('#b', `wes #b ${i}`);
    said('#b', 'wes', `wes #b ${i}`);
    alice.client.say('zz', `psst zz ${i}`);
    expected.get('zz')!.push(['dm', 'alice', `psst zz ${i}`]);
    wes.dm('alice', `psst alice ${i}`);
    expected.get('alice')!.push(['dm', 'wes', `psst alice ${i}`]);
  }

  const aliceGot = (): Got[] =>
    alice.events
      .filter((e) => e.event === 'privmsg')
      .map((e) => [String(e['target']).startsWith('#') ? String(e['target']) : 'dm', String(e['nick']), String(e['message'])]);
  const zzGot = (): Got[] =>
    zz.frames
      .filter((f) => f.action === 'exchange')
      .map((f) => [String(f['from']) === `[${String(f['name'])} → you]` ? 'dm' : Number(f['group']) === zzGroup ? '#a' : `#group-${String(f['group'])}`, String(f['name']), String(f['message'])]);
  const receivers: Record<string, () => Got[]> = { alice: aliceGot, zz: zzGot, tom: tom.got, wes: wes.got };
  const total = [...expected.values()].reduce((n, l) => n + l.length, 0);
  await waitFor(`all ${total} lines`, () => Object.entries(receivers).every(([who, got]) => got().length >= expected.get(who)!.length) || undefined, 20_000);
  for (const [who, got] of Object.entries(receivers)) {
    const lines = got();
    // exactly the lines entitled, each once ...
    expect([...lines].sort(), who).toEqual([...expected.get(who)!].sort());
    // ... and each sender's lines in one group in the order said
    for (const key of new Set(lines.map(([where, from]) => `${where} ${from}`))) {
      const mine = (l: Got[]): string[] => l.filter(([where, from]) => `${where} ${from}` === key).map(([, , text]) => text);
      expect(mine(lines), `${who}: ${key}`).toEqual(mine(expected.get(who)!));
    }
  }
  // the direct lines are nobody else's: not in anyone else's search
  tomClient.send({ action: 'search', target: 'psst', label: 's' });
  expect(await tomClient.next('search')).toMatchObject({ matches: [], label: 's' });
}, 60_000);
