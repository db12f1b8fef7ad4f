/**
 * Identity across fronts over real sockets: irc-framework clients, a web user and a classic
 * terminal user share a room; an IRC user's new nick, away message and quit reason reach every
 * front in its own shape, and WHOIS shows what USER gave.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FrameworkClient } from '../helpers/irc-framework-client.js';
import { RawIrc } from '../helpers/irc-raw.js';
import { ClassicClient } from '../helpers/classic-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { WsClient } from '../helpers/ws-client.js';

let srv: TestServer | null = null;
const closers: (() => void)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await srv?.destroy();
  srv = null;
});

async function start(): Promise<TestServer> {
  srv = await startTestServer({ FRONTS: 'tcp,irc,web' });
  return srv;
}

function track<T extends { close(): void }>(client: T): T {
  closers.push(() => client.close());
  return client;
}

describe('identity across fronts', () => {
  it('renames an IRC user on every front: NICK to IRC peers, an event on the web, a note to a classic client', async () => {
    const { ircPort, webPort, tcpPort } = await start();
    const alice = track(await FrameworkClient.connect(ircPort, 'alice'));
    const bob = track(await FrameworkClient.connect(ircPort, 'bob'));
    alice.client.join('#tea');
    await alice.next('join', (e) => e['nick'] === 'alice');
    bob.client.join('#tea');
    await bob.next('join', (e) => e['nick'] === 'bob');
    const web = track(await WsClient.login(webPort, 'wendy'));
    web.send({ action: 'connect', target: '#tea' });
    await web.nextWhere('the join', (f) => f.action === 'connect' && f['status'] === 'success');
    const classic = track(await ClassicClient.login(tcpPort, 'carl'));
    classic.send({ action: 'connect', target: '#tea' });
    await classic.nextWhere('the join', (f) => f.action === 'connect' && f['status'] === 'success');

    alice.client.changeNick('alicia');
    expect(await alice.next('nick')).toMatchObject({ nick: 'alice', new_nick: 'alicia', ident: '~alice', hostname: 'irc' });
    expect(await bob.next('nick')).toMatchObject({ nick: 'alice', new_nick: 'alicia' });
    expect(await web.next('rename')).toEqual({ action: 'rename', old: 'alice', name: 'alicia', front: 'irc' });
    await classic.nextWhere('the note', (f) => f.action === 'note');
    expect(classic.lastRaw).toBe('{"action": "note", "from": "", "message": "(alice is now known as alicia)"}');

    // The channel goes on under the new name, both ways.
    alice.client.say('#tea', 'still me');
    expect(await bob.next('privmsg')).toMatchObject({ nick: 'alicia', target: '#tea', message: 'still me' });
    expect(await web.next('exchange')).toMatchObject({ name: 'alicia', message: 'still me' });
    web.send({ action: 'exchange', message: 'hello alicia' });
    expect(await alice.next('privmsg', (e) => e['nick'] === 'wendy')).toMatchObject({ target: '#tea', message: 'hello alicia' });
    // A taken nick is refused as a server refuses it; the old one still works.
    bob.client.changeNick('wendy');
    expect(await bob.next('nick in use')).toMatchObject({ nick: 'wendy' });
  });

  it('shows WHOIS as USER gave it, AWAY to senders on every front, and a QUIT reason to the others', async () => {
    const { ircPort, webPort } = await start();
    const alice = track(await FrameworkClient.connect(ircPort, 'alice'));
    const bob = track(await FrameworkClient.connect(ircPort, 'bob'));
    alice.client.join('#tea');
    // alice opens the room (so is its operator) before bob joins it.
    await alice.next('join', (e) => e['nick'] === 'alice');
    bob.client.join('#tea');
    await bob.next('join', (e) => e['nick'] === 'bob');
    const web = track(await WsClient.login(webPort, 'wendy'));
    web.send({ action: 'connect', target: '#tea' });
    await web.nextWhere('the join', (f) => f.action === 'connect' && f['status'] === 'success');

    alice.client.whois('bob');
    expect(await alice.next('whois')).toMatchObject({ nick: 'bob', ident: '~bob', hostname: 'irc', real_name: 'bob via irc-framework', channels: '#tea' });

    bob.client.raw('AWAY', 'making tea');
    await bob.next('away', (e) => e['self'] === true);
    alice.client.say('bob', 'tea?');
    expect(await alice.next('away', (e) => e['self'] === false)).toMatchObject({ nick: 'bob', message: 'making tea' });
    web.send({ action: 'direct', target: 'bob', message: 'tea?' });
    expect(await web.next('direct')).toMatchObject({ status: 'sent', target: 'bob', away: 'making tea' });

    bob.client.quit('see you');
    expect(await alice.next('quit')).toMatchObject({ nick: 'bob', message: 'Quit: see you' });
    expect(await web.next('leave')).toMatchObject({ name: 'bob', reason: 'Quit: see you', quit: true });
  });

  it('registers a client whose USER line is not UTF-8, its realname read lossily; LUSERS counts who has not registered', async () => {
    const { ircPort } = await start();
    const waiting = track(await RawIrc.open(ircPort));
    waiting.send('NICK waiting');
    const c = track(await RawIrc.open(ircPort));
    c.write(Buffer.concat([Buffer.from('NICK lat\r\nUSER caf'), Buffer.from([0xe9]), Buffer.from(' 0 * :Caf'), Buffer.from([0xe9, 0x20, 0x43, 0x72, 0xe8]), Buffer.from('me\r\n')]));
    expect(await c.expect(/ 001 /)).toBe(':ics-chat.local 001 lat :Welcome to the ICS chat IRC gateway, lat!~caf@irc');
    c.send('WHOIS lat');
    expect(await c.expect(/ 311 /)).toBe(':ics-chat.local 311 lat lat ~caf irc * :Caf\ufffd Cr\ufffdme');
    expect((await c.sync()).filter((l) => / 253 /.test(l))).toEqual([':ics-chat.local 253 lat 1 :unknown connection(s)']);
    c.send('LUSERS');
    expect(await c.expect(/ 253 /)).toBe(':ics-chat.local 253 lat 1 :unknown connection(s)');
  });
});
