/** A real IRC client library (irc-framework) against the gateway, beside native TCP users. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { FrameworkClient } from '../helpers/irc-framework-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

let srv: TestServer;
const open: { close(): void }[] = [];

beforeEach(async () => {
  srv = await startTestServer({ FRONTS: 'tcp,irc' });
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

async function tcp(name: string): Promise<ClassicClient> {
  const c = await ClassicClient.login(srv.tcpPort, name);
  open.push(c);
  return c;
}

describe('irc-framework', () => {
  it('registers with CAP and gets the capabilities it asked for', async () => {
    const zoe = await irc('zoe');
    expect(zoe.client.user.nick).toBe('zoe');
    expect(zoe.client.network.cap.enabled).toContain('multi-prefix');
    expect(await zoe.fromService(/^Hi zoe!/)).toContain('/msg ics help');
  });

  it('runs the service commands and lists users of both fronts', async () => {
    const zoe = await irc('zoe');
    await tcp('peter');
    await zoe.fromService(/^Hi /);
    zoe.client.say('ics', 'who');
    await zoe.fromService(/^\{\}$/);
    expect(zoe.serviceLines()).toEqual(['Here are all the users in the system:', 'Users: ------------', "{'zoe': 0, 'peter': 0}", 'Groups: -----------']);
    zoe.client.say('ics', 'time');
    expect(await zoe.fromService(/^Time is: /)).toMatch(/^Time is: \d\d\.\d\d\.\d\d,\d\d:\d\d$/);
    zoe.client.say('ics', 'p 3');
    expect(await zoe.fromService(/^III\.$/)).toBe('III.');
    await zoe.fromService(/^Look in thy glass/);
    zoe.client.say('ics', 's summer');
    expect(await zoe.fromService(/^Sonnet 18 /)).toContain("Shall I compare thee to a summer's day?");
    zoe.client.say('ics', 'help');
    await zoe.fromService(/^Send me these as private messages/);
  });

  it('who lists both fronts', async () => {
    const zoe = await irc('zoe');
    await tcp('peter');
    zoe.client.say('ics', 'who');
    await zoe.fromService(/^\{'zoe': 0, 'peter': 0\}$/);
    zoe.client.whois('peter');
    const whois = await zoe.next('whois');
    expect(whois).toMatchObject({ nick: 'peter', ident: 'peter', hostname: 'tcp', server_info: 'connected through the tcp front' });
  });

  it('forms a group from IRC to a terminal user and chats both ways', async () => {
    const zoe = await irc('zoe');
    const peter = await tcp('peter');
    zoe.client.say('ics', 'c peter');
    const join = await zoe.next('join');
    expect(join).toMatchObject({ nick: 'zoe', channel: '#group-1' });
    const names = await zoe.next('userlist');
    expect((names['users'] as { nick: string }[]).map((u) => u.nick).sort()).toEqual(['peter', 'zoe']);
    expect(await peter.next('connect')).toMatchObject({ status: 'request', from: 'zoe', front: 'irc' });
    zoe.client.say('#group-1', 'hello from irc');
    expect(await peter.next('exchange')).toMatchObject({ from: '[zoe]', message: 'hello from irc', front: 'irc' });
    peter.send({ action: 'exchange', message: 'hello from tcp' });
    const line = await zoe.next('privmsg', (m) => m['target'] === '#group-1');
    expect(line).toMatchObject({ nick: 'peter', ident: 'peter', hostname: 'tcp', message: 'hello from tcp' });
    zoe.client.part('#group-1', 'see you');
    expect(await zoe.next('part')).toMatchObject({ nick: 'zoe', channel: '#group-1', message: 'see you' });
    expect(await peter.next('disconnect')).toMatchObject({ msg: 'everyone left, you are alone' });
  });

  it('joins the IRC user when a terminal user connects to them, and parts them when the group dissolves', async () => {
    const zoe = await irc('zoe');
    const peter = await tcp('peter');
    peter.send({ action: 'connect', target: 'zoe' });
    expect(await peter.next('connect')).toMatchObject({ status: 'success', peer: 'zoe' });
    expect(await zoe.next('join')).toMatchObject({ nick: 'zoe', channel: '#group-1' });
    const topic = await zoe.next('topic');
    expect(String(topic['topic'])).toMatch(/^ICS chat group 1/);
    peter.send({ action: 'exchange', message: 'hi zoe' });
    expect(await zoe.next('privmsg')).toMatchObject({ nick: 'peter', target: '#group-1', message: 'hi zoe' });
    zoe.client.say('#group-1', 'hi peter');
    expect(await peter.next('exchange')).toMatchObject({ message: 'hi peter' });
    peter.send({ action: 'disconnect' });
    expect(await zoe.fromService(/everyone left/)).toBe('everyone left, you are alone');
    expect(await zoe.next('part')).toMatchObject({ nick: 'zoe', channel: '#group-1', message: 'everyone left, you are alone' });
  });

  it('leaves with bye in the channel, and through the service', async () => {
    const zoe = await irc('zoe');
    const peter = await tcp('peter');
    zoe.client.say('ics', 'c peter');
    await zoe.next('join');
    await peter.next('connect');
    zoe.client.say('#group-1', 'bye');
    expect(await peter.next('exchange')).toMatchObject({ message: 'bye' });
    expect(await peter.next('disconnect')).toMatchObject({ msg: 'everyone left, you are alone' });
    await zoe.next('part', (p) => p['nick'] === 'zoe');
    peter.send({ action: 'connect', target: 'zoe' });
    await zoe.next('join');
    zoe.client.say('ics', 'bye');
    await zoe.next('part', (p) => p['nick'] === 'zoe');
    expect(await peter.next('disconnect')).toMatchObject({ msg: 'everyone left, you are alone' });
  });

  it('opens a room that users of both fronts share, with topic and kick', async () => {
    const zoe = await irc('zoe');
    const bob = await irc('bob');
    const peter = await tcp('peter');
    zoe.client.join('#poetry');
    await zoe.next('join');
    zoe.client.raw('TOPIC', '#poetry', 'sonnets only');
    await zoe.next('topic', (t) => t['nick'] === 'zoe');
    peter.send({ action: 'connect', target: '#poetry' });
    expect(await peter.next('connect')).toMatchObject({ status: 'success', room: '#poetry', owner: 'zoe', topic: 'sonnets only' });
    expect(await zoe.next('join', (j) => j['nick'] === 'peter')).toMatchObject({ hostname: 'tcp' });
    bob.client.join('#poetry');
    const names = await bob.next('userlist');
    expect((names['users'] as { nick: string; modes: string[] }[]).map((u) => `${u.modes.includes('o') ? '@' : ''}${u.nick}`)).toEqual(['@zoe', 'peter', 'bob']);
    zoe.client.raw('KICK', '#poetry', 'bob', 'limericks');
    expect(await bob.next('kick')).toMatchObject({ kicked: 'bob', nick: 'zoe', message: 'limericks' });
  });

  it('sends a private message as a direct line, and shows the answer privately, in no channel', async () => {
    const zoe = await irc('zoe');
    const peter = await tcp('peter');
    zoe.client.say('peter', 'are you there?');
    expect(await peter.next('connect')).toMatchObject({ status: 'request', from: 'zoe', kind: 'direct' });
    expect(await peter.next('exchange')).toMatchObject({ name: 'zoe', message: 'are you there?' });
    peter.send({ action: 'exchange', message: 'yes, privately' });
    expect(await zoe.next('privmsg')).toMatchObject({ nick: 'peter', hostname: 'tcp', target: 'zoe', message: 'yes, privately' });
    zoe.client.say('nobody', 'hello?');
    expect(await zoe.next('irc error')).toMatchObject({ error: 'no_such_nick', nick: 'nobody' });
    expect(zoe.events.filter((e) => e.event === 'join')).toEqual([]);
  });

  it('shows a QUIT when an IRC user leaves the chat, and frees the nick', async () => {
    const zoe = await irc('zoe');
    const ann = await irc('ann');
    zoe.client.join('#tea');
    await zoe.next('join');
    ann.client.join('#tea');
    await zoe.next('join', (j) => j['nick'] === 'ann');
    ann.client.quit('gone fishing');
    expect(await zoe.next('quit')).toMatchObject({ nick: 'ann', hostname: 'irc' });
    await waitFor('ann to close', () => ann.events.some((e) => e.event === 'close'));
    const again = await irc('ann');
    expect(again.client.user.nick).toBe('ann');
  });
});
