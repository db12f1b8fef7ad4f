/**
 * Channel modes, keys, roles, bans, KICK, INVITE and server operators over real sockets, with
 * the real irc-framework client beside native-front users: the rules live in the core, so a
 * kick, a key or a kill holds for a JSON client and the course's classic client too.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { FrameworkClient } from '../helpers/irc-framework-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { WsClient } from '../helpers/ws-client.js';

let srv: TestServer;
const open: { close(): void }[] = [];

beforeEach(async () => {
  srv = await startTestServer({ FRONTS: 'tcp,irc,web', FLOOD_BURST: '1000', FLOOD_RATE: '1000', IRC_OPERS: 'root:correct horse' });
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

async function tcp(name: string, features?: string[]): Promise<ClassicClient> {
  const c = await ClassicClient.login(srv.tcpPort, name, features);
  open.push(c);
  return c;
}

/** Joins one channel (with its key) and waits until the client shows it. */
async function join(c: FrameworkClient, channel: string, key?: string): Promise<void> {
  c.client.join(channel, key);
  await c.next('userlist', (e) => e['channel'] === channel);
}

/** Sends a MODE and waits for its echo at the client. */
async function mode(c: FrameworkClient, ...params: string[]): Promise<void> {
  c.client.raw('MODE', ...params);
  await c.next('mode', (e) => e['target'] === params[0] && e['raw_modes'] === params[1]);
}

const refusal = (c: FrameworkClient, error: string) => c.next('irc error', (e) => e['error'] === error);

describe('channel modes through irc-framework', () => {
  it('holds +t, +k, +l, +m, +v, +o, +b and +s, each refusal in its standard numeric', async () => {
    const ann = await irc('ann');
    const zoe = await irc('zoe');
    const cy = await irc('cy');
    await join(ann, '#tea');
    await join(zoe, '#tea');
    await mode(ann, '#tea', '+tk', 'sesame');
    expect(await zoe.next('mode')).toMatchObject({ nick: 'ann', target: '#tea', modes: [{ mode: '+t' }, { mode: '+k', param: 'sesame' }] });

    zoe.client.raw('TOPIC', '#tea', 'mine');
    expect(await refusal(zoe, 'chanop_privs_needed')).toMatchObject({ channel: '#tea' });

    cy.client.join('#tea');
    expect(await refusal(cy, 'bad_channel_key')).toMatchObject({ channel: '#tea' });
    await join(cy, '#tea', 'sesame');

    await mode(ann, '#tea', '+l', '3');
    const dan = await irc('dan');
    dan.client.join('#tea', 'sesame');
    expect(await refusal(dan, 'channel_is_full')).toMatchObject({ channel: '#tea' });

    await mode(ann, '#tea', '+m');
    zoe.client.say('#tea', 'can I speak?');
    expect(await refusal(zoe, 'cannot_send_to_channel')).toMatchObject({ channel: '#tea' });
    await mode(ann, '#tea', '+v', 'zoe');
    zoe.client.say('#tea', 'voiced now');
    expect(await ann.next('privmsg')).toMatchObject({ nick: 'zoe', target: '#tea', message: 'voiced now' });

    await mode(ann, '#tea', '-l+bo', 'dan', 'zoe');
    dan.client.join('#tea', 'sesame');
    expect(await refusal(dan, 'banned_from_channel')).toMatchObject({ channel: '#tea' });
    ann.client.raw('MODE', '#tea', 'b');
    expect(await ann.next('banlist')).toMatchObject({ channel: '#tea', bans: [{ banned: 'dan!*@*', banned_by: 'ann' }] });
    // irc-framework asks for multi-prefix: a voiced operator shows both.
    ann.client.raw('NAMES', '#tea');
    const names = await ann.next('userlist', (e) => e['channel'] === '#tea');
    expect((names['users'] as { nick: string; modes: string[] }[]).map((u) => [u.nick, u.modes])).toEqual([
      ['ann', ['o']],
      ['zoe', ['o', 'v']],
      ['cy', []],
    ]);

    await mode(ann, '#tea', '+s');
    dan.client.raw('NAMES', '#tea');
    expect(await dan.next('userlist', (e) => e['channel'] === '#tea')).toMatchObject({ users: [] });
    ann.client.raw('MODE', '#tea');
    expect(await ann.next('channel info', (e) => e['modes'] !== undefined)).toMatchObject({ channel: '#tea', raw_modes: '+kmnst', raw_params: ['sesame'] });
  });
});

describe('KICK, INVITE, JOIN 0 and PART across fronts', () => {
  it('kicks users of every front out of the group, lets an invitation past +i, parts with a reason', async () => {
    const ann = await irc('ann');
    const zoe = await irc('zoe');
    const bob = await tcp('bob', ['events', 'rooms']);
    const old = await tcp('old');
    await join(ann, '#den');
    bob.send({ action: 'connect', target: '#den' });
    expect(await bob.next('connect')).toMatchObject({ status: 'success', room: '#den' });
    old.send({ action: 'connect', target: '#den' });
    expect(await old.next('connect')).toMatchObject({ status: 'success', room: '#den' });

    ann.client.raw('KICK', '#den', 'bob', 'too loud');
    expect(await ann.next('kick')).toMatchObject({ kicked: 'bob', channel: '#den', message: 'too loud' });
    expect(await bob.nextWhere('bob removed', (f) => f.action === 'disconnect')).toMatchObject({ by: 'ann', reason: 'too loud', room: '#den' });
    ann.client.raw('KICK', '#den', 'old', 'bye now');
    expect(await old.nextWhere('old removed', (f) => f.action === 'disconnect')).toMatchObject({ by: 'ann', msg: 'ann removed you from #den: bye now' });
    // Out of the group on every front: a line there reaches neither.
    ann.client.say('#den', 'still here?');
    await bob.sync();
    await old.sync();
    expect([...bob.pending(), ...old.pending()].filter((f) => f.action === 'exchange')).toEqual([]);

    await mode(ann, '#den', '+i');
    zoe.client.join('#den');
    expect(await refusal(zoe, 'invite_only_channel')).toMatchObject({ channel: '#den' });
    ann.client.raw('INVITE', 'zoe', '#den');
    expect(await zoe.next('invite')).toMatchObject({ nick: 'ann', channel: '#den' });
    await join(zoe, '#den');
    ann.client.raw('INVITE', 'zoe', '#den');
    expect(await refusal(ann, 'user_on_channel')).toMatchObject({ nick: 'zoe', channel: '#den' });

    await join(ann, '#a');
    await join(zoe, '#a');
    zoe.client.raw('PART', '#a,#den', 'off to bed');
    expect(await ann.next('part', (e) => e['channel'] === '#a')).toMatchObject({ nick: 'zoe', message: 'off to bed' });
    expect(await ann.next('part', (e) => e['channel'] === '#den')).toMatchObject({ nick: 'zoe', message: 'off to bed' });

    await join(zoe, '#a');
    await join(zoe, '#b');
    zoe.client.raw('JOIN', '0');
    expect(await zoe.next('part', (e) => e['channel'] === '#a')).toMatchObject({ nick: 'zoe' });
    expect(await zoe.next('part', (e) => e['channel'] === '#b')).toMatchObject({ nick: 'zoe' });
  });

  it('refuses a classic client a room with a key as its screens know (closed), and lets it in with c #room key', async () => {
    const ann = await irc('ann');
    await join(ann, '#vault');
    await mode(ann, '#vault', '+k', 'sesame');
    const old = await tcp('old');
    old.send({ action: 'connect', target: '#vault' });
    expect(await old.next('connect')).toEqual({ action: 'connect', status: 'closed', msg: '#vault needs a key: c #vault <key>', group: 1, refused: 'key' });
    old.send({ action: 'connect', target: '#vault', key: 'sesame' });
    expect(await old.next('connect')).toMatchObject({ status: 'success', room: '#vault' });
  });
});

describe('server operators', () => {
  it('become operators with OPER, kick anywhere, and KILL users of any front (TCP, IRC, WebSocket)', async () => {
    const ann = await irc('ann');
    const zoe = await irc('zoe');
    const op = await irc('op');
    const bob = await tcp('bob', ['events', 'rooms']);
    await join(ann, '#tea');
    await join(zoe, '#tea');
    bob.send({ action: 'connect', target: '#tea' });
    await bob.next('connect');
    op.client.raw('OPER', 'root', 'correct horse');
    expect(await op.next('mode', (e) => e['target'] === 'op')).toMatchObject({ modes: [{ mode: '+o' }] });

    op.client.raw('KICK', '#tea', 'zoe', 'out');
    expect(await zoe.next('kick')).toMatchObject({ nick: 'op', kicked: 'zoe', channel: '#tea', message: 'out' });

    op.client.raw('KILL', 'bob', 'flooding');
    expect(await bob.nextWhere('the kill', (f) => f.action === 'error')).toMatchObject({ code: 'killed', msg: 'op ended your connection: flooding' });
    await bob.waitClosed();
    expect(await ann.next('quit')).toMatchObject({ nick: 'bob', message: 'Killed (op (flooding))' });

    op.client.raw('KILL', 'ann', 'enough');
    await ann.next('close');

    const eve = await WsClient.login(srv.webPort, 'eve');
    open.push(eve);
    op.client.raw('KILL', 'eve', 'spam');
    expect(await eve.nextWhere('the kill', (f) => f.action === 'error')).toMatchObject({ code: 'killed' });
    await eve.waitClosed();
    expect([eve.closeCode, eve.closeReason]).toEqual([1008, 'killed by a server operator']);
  });
});
