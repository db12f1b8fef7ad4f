import { describe, expect, it } from 'vitest';
import { ircHarness, turn } from '../../../test/helpers/irc-session.js';
import type { ServerEvent } from '../../core/protocol.js';
import { LineTag, parseMsgid } from './line-tags.js';
import { ChannelMirror } from './outbound.js';
import { ReplyBuffer } from './reply-buffer.js';

const owner = { serverName: 'srv', serviceMask: 'ics!ics@srv', target: () => 'zoe', written: () => undefined };

interface Caps {
  lineTags?: number;
  echo?: boolean;
  extendedJoin?: boolean;
  userhostInNames?: boolean;
  multiPrefix?: boolean;
  awayNotify?: boolean;
  inviteNotify?: boolean;
  account?: string;
  labels?: string[];
}

function mirror(caps: Caps = {}) {
  const out = new ReplyBuffer(owner);
  const labels = caps.labels ?? [];
  const viewer = {
    nick: 'zoe',
    serverName: 'srv',
    serviceMask: 'ics!ics@srv',
    lineTags: caps.lineTags ?? 0,
    echo: caps.echo ?? false,
    extendedJoin: caps.extendedJoin ?? false,
    userhostInNames: caps.userhostInNames ?? false,
    multiPrefix: caps.multiPrefix ?? false,
    awayNotify: caps.awayNotify ?? false,
    inviteNotify: caps.inviteNotify ?? false,
    account: caps.account ?? null,
    echoLabel: () => labels.shift(),
    now: () => new Date(1_800_000_000_000),
    maskOf: (n: string, f: string) => `${n}!${n}@${f}`,
    realnameOf: (n: string) => n,
  };
  const m = new ChannelMirror(viewer, out);
  const take = (): string[] => out.take().split('\r\n').filter((l) => l !== '');
  return { m, take };
}

const members = (...list: [string, string][]) => list.map(([name, front]) => ({ name, front }));

describe('ChannelMirror', () => {
  it('joins an ad-hoc group with JOIN, a topic describing it, and NAMES from every front', () => {
    const { m, take } = mirror();
    m.apply({ action: 'connect', status: 'request', from: 'peter', front: 'tcp', group: 3, members: members(['peter', 'tcp'], ['zoe', 'irc']) });
    expect(take()).toEqual([
      ':zoe!zoe@irc JOIN :#group-3',
      ':srv 332 zoe #group-3 :ICS chat group 3: every line said here reaches everyone in it; /part or bye leaves',
      ':srv 333 zoe #group-3 ics!ics@srv :1800000000',
      ':srv 353 zoe = #group-3 :peter zoe',
      ':srv 366 zoe #group-3 :End of /NAMES list',
      ':ics!ics@srv NOTICE zoe :peter (tcp) connected with you: chat in #group-3; bye or /part there leaves',
    ]);
    m.apply({ action: 'connect', status: 'request', from: 'dana', front: 'discord', group: 3, members: members(['peter', 'tcp'], ['zoe', 'irc'], ['dana', 'discord']) });
    expect(take()).toEqual([':dana!dana@discord JOIN :#group-3']);
  });

  it('joins a room with its topic and its owner as operator', () => {
    const { m, take } = mirror();
    m.apply({ action: 'connect', status: 'success', peer: '#Tea', group: 7, room: '#Tea', owner: 'ann', topic: 'oolong', members: members(['ann', 'web'], ['zoe', 'irc']) });
    expect(take()).toEqual([
      ':zoe!zoe@irc JOIN :#Tea',
      ':srv 332 zoe #Tea :oolong',
      ':srv 333 zoe #Tea ics!ics@srv :1800000000',
      ':srv 353 zoe = #Tea :@ann zoe',
      ':srv 366 zoe #Tea :End of /NAMES list',
    ]);
    m.apply({ action: 'topic', group: 7, topic: 'sencha', by: 'ann' });
    expect(take()).toEqual([':ann!ann@web TOPIC #Tea :sencha']);
    m.apply({ action: 'leave', name: 'ann', group: 7, members: members(['zoe', 'irc']), reason: 'off', owner: 'zoe' });
    expect(take()).toEqual([':ann!ann@web PART #Tea :off', ':srv MODE #Tea +o :zoe']);
  });

  it('shows others leaving as PART, QUIT or KICK', () => {
    const { m, take } = mirror();
    m.apply({ action: 'connect', status: 'success', peer: '#r', group: 1, room: '#r', owner: 'ann', members: members(['ann', 'tcp'], ['bob', 'web'], ['cy', 'tcp'], ['zoe', 'irc']) });
    take();
    m.apply({ action: 'leave', name: 'bob', group: 1, members: members(['ann', 'tcp'], ['cy', 'tcp'], ['zoe', 'irc']), quit: true, owner: 'ann' });
    m.apply({ action: 'leave', name: 'cy', group: 1, members: members(['ann', 'tcp'], ['zoe', 'irc']), kickedBy: 'ann', reason: 'spam', owner: 'ann' });
    m.apply({ action: 'leave', name: 'ann', group: 1, members: members(['zoe', 'irc']), owner: 'zoe' });
    expect(take()).toEqual([':bob!bob@web QUIT :left the chat', ':ann!ann@tcp KICK #r cy :spam', ':ann!ann@tcp PART :#r', ':srv MODE #r +o :zoe']);
  });

  it('follows a large room by the one who came or went, as its notices name only them', () => {
    const { m, take } = mirror();
    const many = Array.from({ length: 150 }, (_, i): [string, string] => [`m${i}`, 'tcp']);
    m.apply({ action: 'connect', status: 'success', peer: '#big', group: 1, room: '#big', owner: 'm0', members: members(...many, ['zoe', 'irc']) });
    take();
    m.apply({ action: 'connect', status: 'request', from: 'late', front: 'web', group: 1, room: '#big', count: 152, kind: 'room' });
    m.apply({ action: 'connect', status: 'request', from: 'late', front: 'web', group: 1, room: '#big', count: 152, kind: 'room' });
    m.apply({ action: 'leave', name: 'm7', group: 1, count: 151, owner: 'm0' });
    expect(take()).toEqual([':late!late@web JOIN :#big', ':m7!m7@tcp PART :#big']);
    const view = m.find('#big')!;
    m.channelNames(view);
    const names = take().filter((l) => l.includes(' 353 ')).join(' ');
    expect(names).toContain(' late');
    expect(names).not.toContain(' m7 ');
    expect([...view.byName.keys()]).toHaveLength(151);
  });

  it('keeps reasons and topics from other fronts on one line', () => {
    const { m, take } = mirror();
    m.apply({ action: 'connect', status: 'success', peer: '#r', group: 1, room: '#r', owner: 'ann', members: members(['ann', 'tcp'], ['bob', 'tcp'], ['cy', 'tcp'], ['zoe', 'irc']) });
    take();
    m.apply({ action: 'leave', name: 'bob', group: 1, members: members(['ann', 'tcp'], ['cy', 'tcp'], ['zoe', 'irc']), reason: 'bye\r\nQUIT :x\0', owner: 'ann' });
    m.apply({ action: 'leave', name: 'cy', group: 1, members: members(['ann', 'tcp'], ['zoe', 'irc']), kickedBy: 'ann', reason: 'out\nKILL zoe', owner: 'ann' });
    m.apply({ action: 'disconnect', msg: 'removed', group: 1, room: '#r', by: 'ann', reason: 'and\r\nyou' });
    expect(take()).toEqual([':bob!bob@tcp PART #r :bye  QUIT :x ', ':ann!ann@tcp KICK #r cy :out KILL zoe', ':ann!ann@tcp KICK #r zoe :and  you']);
  });

  it('tells the last member that everyone left, and parts them', () => {
    const { m, take } = mirror();
    m.apply({ action: 'connect', status: 'request', from: 'peter', front: 'tcp', group: 2, members: members(['peter', 'tcp'], ['zoe', 'irc']) });
    take();
    m.apply({ action: 'disconnect', msg: 'everyone left, you are alone', group: 2 });
    expect(take()).toEqual([':ics!ics@srv NOTICE zoe :everyone left, you are alone', ':zoe!zoe@irc PART #group-2 :everyone left, you are alone']);
    expect(m.get(2)).toBeUndefined();
  });

  it('shows a kick of this user as KICK', () => {
    const { m, take } = mirror();
    m.apply({ action: 'connect', status: 'success', peer: '#r', group: 1, room: '#r', owner: 'ann', members: members(['ann', 'tcp'], ['zoe', 'irc']) });
    take();
    m.apply({ action: 'disconnect', msg: 'ann removed you from #r', group: 1, room: '#r', by: 'ann' });
    expect(take()).toEqual([':ann!ann@tcp KICK #r zoe :ann']);
  });

  it('relays chat lines from other fronts without any control data, split to fit 512 bytes', () => {
    const { m, take } = mirror();
    m.apply({ action: 'connect', status: 'request', from: 'peter', front: 'tcp', group: 4, members: members(['peter', 'tcp'], ['zoe', 'irc']) });
    take();
    const line = (message: string): ServerEvent => ({ action: 'exchange', from: '[peter]', message, name: 'peter', front: 'tcp', id: 1, group: 4, seq: 1, ts: '2026-11-25T14:30:00.000Z' });
    m.apply(line('hi\r\nQUIT :fake\x00\x01ACTION x\x01'));
    expect(take()).toEqual([':peter!peter@tcp PRIVMSG #group-4 :hi', ':peter!peter@tcp PRIVMSG #group-4 :QUIT :fakeACTION x']);
    m.apply(line('é'.repeat(1000)));
    const long = take();
    expect(long.length).toBe(5);
    for (const l of long) expect(Buffer.byteLength(l + '\r\n')).toBeLessThanOrEqual(512);
    m.apply({ ...(line('elsewhere') as Extract<ServerEvent, { action: 'exchange' }>), group: 99 });
    expect(take()).toEqual([]);
  });

  it('stamps lines with their time (server-time) and their id (msgid, with message-tags)', () => {
    const said = (m: ChannelMirror): void =>
      void m.apply({ action: 'exchange', from: '[peter]', message: 'tick', name: 'peter', front: 'tcp', id: 1, group: 4, seq: 9, ts: '2026-11-25T14:30:00.000Z' });
    const expected: [number, string][] = [
      [LineTag.time, '@time=2026-11-25T14:30:00.000Z :peter!peter@tcp PRIVMSG #group-4 :tick'],
      [LineTag.msgid, '@msgid=4-9 :peter!peter@tcp PRIVMSG #group-4 :tick'],
      [LineTag.time | LineTag.msgid, '@time=2026-11-25T14:30:00.000Z;msgid=4-9 :peter!peter@tcp PRIVMSG #group-4 :tick'],
    ];
    for (const [lineTags, line] of expected) {
      const { m, take } = mirror({ lineTags });
      m.apply({ action: 'connect', status: 'request', from: 'peter', front: 'tcp', group: 4, members: members(['peter', 'tcp'], ['zoe', 'irc']) });
      take();
      said(m);
      expect(take()).toEqual([line]);
    }
    expect(parseMsgid('4-9')).toEqual({ group: 4, seq: 9 });
    expect(parseMsgid('4-x')).toBeNull();
  });

  it("shows the user's own lines only with echo-message, a direct one to the person written to, the first with its command's label", () => {
    const own = (group: number, seq: number, direct = false): ServerEvent => ({
      action: 'exchange',
      from: '[zoe]',
      message: 'mine',
      name: 'zoe',
      front: 'irc',
      id: seq,
      group,
      seq,
      ts: '2026-11-25T14:30:00.000Z',
      ...(direct ? { direct: true as const } : {}),
    });
    const join = { action: 'connect', status: 'success', peer: '#a', group: 1, room: '#a', owner: 'zoe', members: members(['zoe', 'irc']) } as const;
    const silent = mirror();
    silent.m.apply(join);
    silent.take();
    silent.m.apply(own(1, 1));
    expect(silent.take()).toEqual([]);
    const { m, take } = mirror({ echo: true, lineTags: LineTag.msgid, labels: ['L1'] });
    m.apply(join);
    take();
    m.apply(own(1, 1));
    m.apply(own(1, 2));
    m.wroteTo(5, 'peter');
    m.apply(own(5, 1, true));
    m.apply(own(6, 1, true));
    expect(take()).toEqual(['@label=L1;msgid=1-1 :zoe!zoe@irc PRIVMSG #a :mine', '@msgid=1-2 :zoe!zoe@irc PRIVMSG #a :mine', '@msgid=5-1 :zoe!zoe@irc PRIVMSG peter :mine']);
  });

  it('names the account and real name in JOIN with extended-join, and whole masks in NAMES with userhost-in-names', () => {
    const { m, take } = mirror({ extendedJoin: true, userhostInNames: true, account: 'zoe' });
    m.apply({ action: 'connect', status: 'success', peer: '#a', group: 1, room: '#a', owner: 'ann', members: members(['ann', 'web'], ['zoe', 'irc']) });
    expect(take()).toEqual([':zoe!zoe@irc JOIN #a zoe :zoe', ':srv 353 zoe = #a :@ann!ann@web zoe!zoe@irc', ':srv 366 zoe #a :End of /NAMES list']);
    m.apply({ action: 'connect', status: 'request', from: 'bob', front: 'tcp', group: 1, members: members(['ann', 'web'], ['zoe', 'irc'], ['bob', 'tcp']) });
    expect(take()).toEqual([':bob!bob@tcp JOIN #a * :bob']);
  });

  it('mirrors each group as its own channel: lines, leaves and topics land in the right one', () => {
    const { m, take } = mirror();
    m.apply({ action: 'connect', status: 'success', peer: '#a', group: 1, room: '#a', owner: 'zoe', members: members(['zoe', 'irc'], ['ann', 'tcp']) });
    m.apply({ action: 'connect', status: 'success', peer: '#b', group: 2, room: '#b', owner: 'bob', members: members(['bob', 'web'], ['zoe', 'irc'], ['ann', 'tcp']) });
    take();
    expect(m.channels().map((v) => v.name)).toEqual(['#a', '#b']);
    expect(m.find('#A')?.id).toBe(1);
    expect(m.find('#group-2')?.name).toBe('#b');
    const line = (group: number, message: string): ServerEvent => ({ action: 'exchange', from: '[ann]', message, name: 'ann', front: 'tcp', id: group, group, seq: 1, ts: '2026-11-25T14:30:00.000Z' });
    m.apply(line(2, 'in b'));
    m.apply(line(1, 'in a'));
    m.apply({ action: 'topic', group: 2, topic: 'bees', by: 'bob' });
    m.apply({ action: 'leave', name: 'ann', group: 1, members: members(['zoe', 'irc']), owner: 'zoe' });
    expect(take()).toEqual([':ann!ann@tcp PRIVMSG #b :in b', ':ann!ann@tcp PRIVMSG #a :in a', ':bob!bob@web TOPIC #b :bees', ':ann!ann@tcp PART :#a']);
    m.selfPart(1, 'done');
    expect(take()).toEqual([':zoe!zoe@irc PART #a :done']);
    expect(m.channels().map((v) => v.name)).toEqual(['#b']);
  });

  it('shows someone going offline as one QUIT, however many channels they shared', () => {
    const { m, take } = mirror();
    m.apply({ action: 'connect', status: 'success', peer: '#a', group: 1, room: '#a', owner: 'ann', members: members(['ann', 'tcp'], ['zoe', 'irc']) });
    m.apply({ action: 'connect', status: 'success', peer: '#b', group: 2, room: '#b', owner: 'ann', members: members(['ann', 'tcp'], ['zoe', 'irc']) });
    take();
    m.apply({ action: 'leave', name: 'ann', group: 1, members: members(['zoe', 'irc']), quit: true, owner: 'zoe' });
    m.apply({ action: 'leave', name: 'ann', group: 2, members: members(['zoe', 'irc']), quit: true, owner: 'zoe' });
    expect(take()).toEqual([':srv MODE #a +o :zoe', ':ann!ann@tcp QUIT :left the chat', ':srv MODE #b +o :zoe']);
  });

  it('shows a direct line as a private PRIVMSG from its sender, and never a direct conversation as a channel', () => {
    const { m, take } = mirror({ lineTags: LineTag.time });
    m.apply({ action: 'connect', status: 'success', peer: 'bob', group: 9, members: members(['bob', 'tcp'], ['zoe', 'irc']), kind: 'direct' });
    m.apply({ action: 'exchange', from: '[bob]', message: 'psst\nsecond', name: 'bob', front: 'tcp', id: 4, group: 9, seq: 1, ts: '2026-11-25T14:30:00.000Z', direct: true });
    expect(take()).toEqual(['@time=2026-11-25T14:30:00.000Z :bob!bob@tcp PRIVMSG zoe :psst', '@time=2026-11-25T14:30:00.000Z :bob!bob@tcp PRIVMSG zoe :second']);
    expect(m.channels()).toEqual([]);
  });

  it('shows a room being locked and unlocked as MODE +i and -i from its owner, once', () => {
    const { m, take } = mirror();
    m.apply({ action: 'connect', status: 'success', peer: '#a', group: 1, room: '#a', owner: 'ann', members: members(['ann', 'web'], ['zoe', 'irc']) });
    take();
    m.apply({ action: 'lock', group: 1, locked: true, by: 'ann' });
    m.apply({ action: 'lock', group: 1, locked: true, by: 'ann' });
    expect(m.get(1)?.locked).toBe(true);
    m.apply({ action: 'lock', group: 1, locked: false, by: 'ann' });
    m.apply({ action: 'lock', group: 5, locked: true, by: 'ann' });
    expect(take()).toEqual([':ann!ann@web MODE #a :+i', ':ann!ann@web MODE #a :-i']);
  });

  it('shows an invitation as INVITE from the inviter on their front', () => {
    const { m, take } = mirror();
    m.apply({ action: 'invite', status: 'request', from: 'ann', front: 'discord', group: 5, room: '#tea' });
    expect(take()).toEqual([':ann!ann@discord INVITE zoe :#tea']);
  });
});

describe('translation out, through the hub', () => {
  it('delivers a line from another front to every IRC member of the group', async () => {
    const { irc, other } = ircHarness();
    const a = await irc('ann');
    const b = await irc('bob');
    const peter = await other('peter');
    await a.send('JOIN #tea');
    await b.send('JOIN #tea');
    await peter.session.dispatch({ action: 'connect', target: '#tea' });
    a.take();
    b.take();
    await peter.say('one line for all');
    await turn();
    expect(a.take()).toEqual([':peter!peter@tcp PRIVMSG #tea :one line for all']);
    expect(b.take()).toEqual([':peter!peter@tcp PRIVMSG #tea :one line for all']);
  });
});
