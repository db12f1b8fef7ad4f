/**
 * One group holding users of several fronts: each sees every other member's lines exactly
 * once and in the order they were sent, and never their own. Fronts add their clients here.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { startDiscordTest, type DiscordTest } from '../helpers/discord.js';
import { FrameworkClient } from '../helpers/irc-framework-client.js';
import type { TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { WsClient } from '../helpers/ws-client.js';

let t: DiscordTest;
let srv: TestServer;
const open: { close(): void }[] = [];

beforeEach(async () => {
  // Flood control would pace the IRC senders; this test is about order, not pace.
  t = await startDiscordTest({ env: { FRONTS: 'tcp,irc,discord,web', FLOOD_BURST: '1000', FLOOD_RATE: '1000' } });
  srv = t.srv;
});

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await t.close();
});

/** A member as the test sees it, whatever its front: say a line, and the lines it has received as [sender, text]. */
interface Member {
  name: string;
  say(text: string): void;
  received(): [string, string][];
}

async function tcpMember(name: string, room: string): Promise<Member> {
  const c = await ClassicClient.login(srv.tcpPort, name);
  open.push(c);
  c.send({ action: 'connect', target: room });
  await c.next('connect');
  return {
    name,
    say: (message) => c.send({ action: 'exchange', message }),
    received: () => c.frames.filter((f) => f.action === 'exchange').map((f) => [String(f['name']), String(f['message'])]),
  };
}

async function ircMember(name: string, room: string): Promise<Member> {
  const c = await FrameworkClient.connect(srv.ircPort, name);
  open.push(c);
  c.client.join(room);
  await c.next('userlist');
  return {
    name,
    say: (text) => c.client.say(room, text),
    received: () => c.events.filter((e) => e.event === 'privmsg' && e['target'] === room).map((e) => [String(e['nick']), String(e['message'])]),
  };
}

async function webMember(name: string, room: string): Promise<Member> {
  const c = await WsClient.login(srv.webPort, name);
  open.push({ close: () => c.ws.terminate() });
  c.send({ action: 'connect', target: room });
  await c.next('connect');
  return {
    name,
    say: (message) => c.send({ action: 'exchange', message }),
    received: () => c.events.filter((f) => f.action === 'exchange').map((f) => [String(f['name']), String(f['message'])]),
  };
}

/** A Discord user who types `c #room` in the bridged channel and then chats in the room's thread. */
async function discordMember(name: string, room: string): Promise<Member> {
  const user = t.fake.user(name);
  const asked = t.fake.say(user, t.fake.general.id, `c ${room}`);
  await t.fake.message(`the reply to ${name}`, (m) => m.replyTo === asked);
  const thread = await waitFor(`${name} in the room's thread`, () => t.fake.threads().find((th) => th.members.has(user.id)));
  return {
    name,
    say: (text) => void t.fake.say(user, thread.id, text),
    received: () =>
      t.fake
        .postedIn(thread.id)
        .filter((m) => m.via === 'webhook')
        .map((m): [string, string] => [String(m.username).replace(/ \(\w+\)$/, ''), m.content]),
  };
}

describe('a group across fronts', () => {
  it('gives every member every other member\'s lines once, in order', async () => {
    const members = [
      await ircMember('ivan', '#mix'),
      await tcpMember('tina', '#mix'),
      await discordMember('dora', '#mix'),
      await webMember('wendy', '#mix'),
      await ircMember('iris', '#mix'),
      await tcpMember('theo', '#mix'),
      await webMember('walt', '#mix'),
    ];
    const LINES = 40;
    for (let i = 0; i < LINES; i++) for (const m of members) m.say(`${m.name} line ${i}`);
    const expected = (me: Member) => members.filter((m) => m !== me).length * LINES;
    await waitFor('every line everywhere', () => members.every((m) => m.received().length >= expected(m)), 15_000);
    for (const me of members) {
      const got = me.received();
      expect(got.length, me.name).toBe(expected(me));
      for (const sender of members) {
        const lines = got.filter(([from]) => from === sender.name).map(([, text]) => text);
        const want = sender === me ? [] : Array.from({ length: LINES }, (_, i) => `${sender.name} line ${i}`);
        expect(lines, `${me.name} from ${sender.name}`).toEqual(want);
      }
    }
  });
});
