import { describe, expect, it } from 'vitest';
import { Hub } from './hub.js';
import { MemoryAccounts } from './memory-accounts.js';
import { MemoryHistory } from './memory-history.js';
import type { ClientAction, Feature, ServerEvent } from './protocol.js';
import { parseSonnets, SonnetBook } from './sonnets.js';

const sonnets = new SonnetBook(parseSonnets('I.\n\nFrom fairest creatures we desire increase,\n'));
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function setup(history = new MemoryHistory()) {
  const log = () => undefined;
  const hub = new Hub({
    history,
    accounts: new MemoryAccounts(),
    sonnets,
    clock: { now: () => new Date(2026, 10, 25, 14, 30) },
    log: { debug: log, info: log, warn: log, error: log },
  });
  const user = (name: string, features: Feature[] = ['events', 'rooms'], front = 'tcp') => {
    const events: ServerEvent[] = [];
    const labels: (string | undefined)[] = [];
    const session = hub.open({
      front,
      deliver: (e, label) => {
        events.push(e);
        labels.push(label);
      },
      features,
    });
    void session.dispatch({ action: 'login', name });
    return {
      events,
      labels,
      session,
      do: (action: ClientAction, label?: string) => session.dispatch(action, label),
      last: () => events.at(-1),
      take: () => events.splice(0),
      lines: () => events.filter((e) => e.action === 'exchange' || e.action === 'note').map((e) => ('from' in e ? `${e.from}${e.message}` : '')),
    };
  };
  return { hub, user, history };
}

describe('a large room', () => {
  it('lists everyone in a small group\'s join and leave notices, and only who came or went (with the count) past 100 members', async () => {
    const { user } = setup();
    const members = Array.from({ length: 100 }, (_, i) => user(`m${i}`));
    for (const m of members) await m.do({ action: 'connect', target: '#big' });
    const first = members[0]!;
    const joins = first.events.filter((e) => e.action === 'connect' && e.status === 'request');
    expect(joins.at(-1)).toMatchObject({ from: 'm99', members: expect.any(Array) });
    expect((joins.at(-1) as { members: unknown[] }).members).toHaveLength(100);
    for (const m of members) m.take();
    const late = user('late');
    await late.do({ action: 'connect', target: '#big' });
    expect(late.events.find((e) => e.action === 'connect' && e.status === 'success')).toMatchObject({ members: expect.any(Array) });
    const notice = first.events.find((e) => e.action === 'connect' && e.status === 'request');
    expect(notice).toEqual({ action: 'connect', status: 'request', from: 'late', front: 'tcp', group: 1, room: '#big', count: 101, kind: 'room' });
    // One event for every member: a front serialises it once.
    expect(members[50]!.events.find((e) => e.action === 'connect' && e.status === 'request')).toBe(notice);
    const later = user('later');
    await later.do({ action: 'connect', target: '#big' });
    first.take();
    await later.do({ action: 'disconnect' });
    expect(first.events.find((e) => e.action === 'leave')).toEqual({ action: 'leave', name: 'later', group: 1, count: 101, owner: 'm0' });
    await late.do({ action: 'disconnect' });
    expect((first.events.filter((e) => e.action === 'leave').at(-1) as { members: unknown[] }).members).toHaveLength(100);
  });
});

describe('many groups per user', () => {
  it('keeps a many-group user in rooms and ad-hoc groups at once, each line naming its group', async () => {
    const { user } = setup();
    const alice = user('alice');
    const bob = user('bob');
    const carol = user('carol');
    void alice.do({ action: 'connect', target: '#a' });
    void alice.do({ action: 'connect', target: '#b' });
    void bob.do({ action: 'connect', target: '#a' });
    void carol.do({ action: 'connect', target: '#b' });
    void alice.do({ action: 'connect', target: 'bob' });
    expect(alice.last()).toMatchObject({ action: 'connect', status: 'success', group: 1 });
    alice.take();
    void alice.do({ action: 'exchange', message: 'in a', group: 1 });
    void alice.do({ action: 'exchange', message: 'in b', group: 2 });
    await turn();
    expect(bob.events.filter((e) => e.action === 'exchange')).toEqual([expect.objectContaining({ message: 'in a', group: 1 })]);
    expect(carol.events.filter((e) => e.action === 'exchange')).toEqual([expect.objectContaining({ message: 'in b', group: 2 })]);
    void alice.do({ action: 'rooms' });
    expect(alice.last()).toMatchObject({ action: 'rooms', groups: [{ group: 1, label: '#a', focus: true }, { group: 2, label: '#b', focus: false }] });
    void carol.do({ action: 'exchange', message: 'unread one' });
    await turn();
    void alice.do({ action: 'rooms' });
    expect(alice.last()).toMatchObject({ groups: [{ unread: 0 }, { unread: 1 }] });
    void alice.do({ action: 'focus', target: '#B' });
    expect(alice.last()).toMatchObject({ action: 'focus', group: 2, title: '#b', unread: 1 });
    void alice.do({ action: 'disconnect' });
    expect(alice.last()).toEqual({ action: 'focus', group: 1, title: '#a', kind: 'room', members: expect.any(Array), unread: 0 });
  });

  it('refuses a line to a group the user is not in, by name', () => {
    const { user } = setup();
    const alice = user('alice');
    void user('bob').do({ action: 'connect', target: '#x' });
    void alice.do({ action: 'exchange', message: 'hi', group: 1 });
    expect(alice.last()).toEqual({ action: 'error', code: 'not-member', msg: 'you are not in group 1', for: 'exchange' });
  });
});

describe('direct conversations', () => {
  it('carries a line to one person in the pair\'s own group, which nobody else can join or see', async () => {
    const { user } = setup();
    const alice = user('alice');
    const bob = user('bob');
    const eve = user('eve');
    void alice.do({ action: 'direct', target: 'BOB', message: 'psst' }, 'd1');
    expect(alice.last()).toMatchObject({ action: 'direct', status: 'sent', target: 'bob', title: 'bob' });
    const dm = (alice.last() as { group: number }).group;
    expect(alice.labels.at(-1)).toBe('d1');
    await turn();
    expect(bob.last()).toMatchObject({ action: 'exchange', from: '[alice]', message: 'psst', direct: true });
    void eve.do({ action: 'connect', target: 'bob' });
    expect(eve.last()).toMatchObject({ action: 'connect', status: 'success' });
    expect((eve.last() as { group: number }).group).not.toBe(dm);
    void eve.do({ action: 'list' });
    const list = eve.last() as Extract<ServerEvent, { action: 'list' }>;
    expect(list.groups.every((g) => g.members.length < 2 || !(g.members.includes('alice') && g.members.includes('bob')))).toBe(true);
    void eve.do({ action: 'search', target: 'psst' });
    expect(eve.last()).toMatchObject({ action: 'search', matches: [] });
    void bob.do({ action: 'search', target: 'psst' });
    expect(bob.last()).toMatchObject({ matches: [{ message: 'psst', label: 'alice+bob' }] });
  });

  it('counts who is online and the rooms and ad-hoc groups, not direct conversations, without naming any', () => {
    const { user } = setup();
    const alice = user('alice');
    user('bob');
    const eve = user('eve');
    void alice.do({ action: 'direct', target: 'bob', message: 'psst' });
    void eve.do({ action: 'connect', target: '#tea' });
    void eve.do({ action: 'counts' }, 'n');
    expect(eve.last()).toEqual({ action: 'counts', users: 3, groups: 1 });
    expect(eve.labels.at(-1)).toBe('n');
  });

  it('keeps one id per pair of names, in either direction and after they log out and back in', async () => {
    const { user } = setup();
    const alice = user('alice');
    const bob = user('bob');
    void alice.do({ action: 'direct', target: 'bob', message: 'one' });
    const first = (alice.last() as { group: number }).group;
    void bob.do({ action: 'direct', target: 'alice', message: 'two' });
    expect(bob.last()).toMatchObject({ group: first, seq: 2 });
    alice.session.close();
    bob.session.close();
    await turn();
    const again = user('Alice');
    user('bob');
    void again.do({ action: 'direct', target: 'bob', message: 'three' });
    expect(again.last()).toMatchObject({ group: first, seq: 3 });
  });

  it('cleans a direct line like any chat line, and refuses one over the length limit', async () => {
    const { user } = setup();
    const alice = user('alice');
    const bob = user('bob');
    void alice.do({ action: 'direct', target: 'bob', message: 'one\r\ntwo\u0007\u202e' });
    await turn();
    expect(bob.last()).toMatchObject({ action: 'exchange', message: 'one\ntwo\u2407\u202e\u202c', direct: true });
    void alice.do({ action: 'direct', target: 'bob', message: 'x'.repeat(8001) }, 'long');
    expect(alice.last()).toMatchObject({ action: 'error', code: 'too-large', for: 'direct' });
    expect(alice.labels.at(-1)).toBe('long');
  });

  it('refuses a direct line to someone offline or to oneself', () => {
    const { user } = setup();
    const alice = user('alice');
    void alice.do({ action: 'direct', target: 'nobody', message: 'x' });
    expect(alice.last()).toMatchObject({ action: 'error', code: 'no-user', for: 'direct' });
    void alice.do({ action: 'direct', target: 'ALICE', message: 'x' });
    expect(alice.last()).toMatchObject({ action: 'error', code: 'bad-request', for: 'direct' });
  });
});

describe('the classic one-group view', () => {
  it('shows a direct line at the menu as a connect request, so the reply goes back privately', async () => {
    const { user } = setup();
    const classic = user('zz', []);
    const alice = user('alice');
    void alice.do({ action: 'direct', target: 'zz', message: 'hello zz' });
    await turn();
    expect(classic.take()).toEqual([
      { action: 'login', status: 'ok' },
      expect.objectContaining({ action: 'connect', status: 'request', from: 'alice', front: 'tcp', kind: 'direct' }),
      expect.objectContaining({ action: 'exchange', from: '[alice]', message: 'hello zz' }),
    ]);
    void classic.do({ action: 'exchange', message: 'hi alice' });
    await turn();
    expect(alice.last()).toMatchObject({ action: 'exchange', message: 'hi alice', direct: true });
  });

  it('shows a direct line while chatting elsewhere inline, marked private', async () => {
    const { user } = setup();
    const classic = user('zz', []);
    const peter = user('peter', []);
    void classic.do({ action: 'connect', target: 'peter' });
    const alice = user('alice');
    void alice.do({ action: 'direct', target: 'zz', message: 'psst' });
    await turn();
    expect(classic.lines()).toEqual(['[alice → you]psst']);
    expect(peter.lines()).toEqual([]);
  });

  it('shows direct lines while chatting elsewhere, and moves the focus to their conversation when the focus is left', async () => {
    const { user } = setup();
    const classic = user('zz', []);
    const alice = user('alice');
    const bob = user('bob');
    void alice.do({ action: 'direct', target: 'zz', message: 'first' });
    await turn();
    void bob.do({ action: 'direct', target: 'zz', message: 'one' });
    void bob.do({ action: 'direct', target: 'zz', message: 'two' });
    await turn();
    expect(classic.lines()).toEqual(['[alice]first', '[bob → you]one', '[bob → you]two']);
    classic.take();
    void classic.do({ action: 'disconnect' });
    expect(classic.take()).toEqual([expect.objectContaining({ action: 'connect', status: 'request', from: 'bob' })]);
    void classic.do({ action: 'disconnect' });
    expect(classic.take()).toEqual([]);
    void classic.do({ action: 'list' });
    expect(classic.last()).toMatchObject({ results: expect.stringContaining("'zz': 0") });
  });

  it('keeps a one-group session out of a second group, and a closed group out of reach', () => {
    const { user } = setup();
    const classic = user('zz', []);
    void classic.do({ action: 'connect', target: '#a' });
    void classic.do({ action: 'connect', target: '#b' });
    expect(classic.last()).toMatchObject({ action: 'connect', status: 'busy' });
    void classic.do({ action: 'lock', locked: true });
    const alice = user('alice');
    void alice.do({ action: 'connect', target: 'zz' });
    expect(alice.last()).toMatchObject({ action: 'connect', status: 'closed', msg: expect.stringContaining('invite-only') });
    void alice.do({ action: 'connect', target: '#a' });
    expect(alice.last()).toMatchObject({ action: 'connect', status: 'closed' });
    void classic.do({ action: 'invite', target: 'alice' });
    void alice.do({ action: 'connect', target: '#a' });
    expect(alice.last()).toMatchObject({ action: 'connect', status: 'success', locked: true });
  });

  it('tells an invitation while chatting in words the classic client prints', () => {
    const { user } = setup();
    const classic = user('zz', []);
    void classic.do({ action: 'connect', target: '#a' });
    const alice = user('alice');
    void alice.do({ action: 'connect', target: '#b' });
    void alice.do({ action: 'invite', target: 'zz' });
    expect(classic.last()).toEqual({ action: 'note', from: '', message: '(alice invites you to #b: type bye, then c #b)' });
  });

  it("tells an invitation to the group's other members that take events, and nothing to a classic member or the inviter", () => {
    const { user } = setup();
    const alice = user('alice');
    const bob = user('bob');
    const classic = user('zz', []);
    void alice.do({ action: 'connect', target: '#b' });
    void bob.do({ action: 'connect', target: '#b' });
    void classic.do({ action: 'connect', target: '#b' });
    const cy = user('cy');
    for (const u of [alice, bob, classic]) u.take();
    void alice.do({ action: 'invite', target: 'cy' });
    expect(bob.take()).toEqual([{ action: 'invite', status: 'invited', from: 'alice', front: 'tcp', target: 'cy', group: 1, room: '#b' }]);
    expect(classic.take()).toEqual([]);
    expect(alice.take()).toEqual([{ action: 'invite', status: 'sent', target: 'cy' }]);
    expect(cy.last()).toMatchObject({ action: 'invite', status: 'request', from: 'alice' });
  });
});

describe('answers name their requests', () => {
  it('labels every answer and no push, and settles once the answers are out', async () => {
    const { user } = setup();
    const alice = user('alice');
    const bob = user('bob');
    await alice.do({ action: 'connect', target: 'bob' }, 'c1');
    expect(alice.labels.at(-1)).toBe('c1');
    expect(bob.labels.at(-1)).toBeUndefined();
    await alice.do({ action: 'time' }, 'x');
    expect(alice.labels.at(-1)).toBe('x');
    await alice.do({ action: 'kick', target: 'bob' }, 'k');
    expect(alice.last()).toMatchObject({ action: 'error', code: 'not-allowed', for: 'kick' });
    expect(alice.labels.at(-1)).toBe('k');
  });

  it('runs a session\'s actions in order when one has to wait', async () => {
    const { hub } = setup();
    const events: string[] = [];
    const s = hub.open({ front: 'tcp', deliver: (e, label) => events.push(`${e.action}:${label}`) });
    await s.dispatch({ action: 'login', name: 'gus' });
    const registering = s.dispatch({ action: 'register', password: 'a fine password' }, 'r');
    const timing = s.dispatch({ action: 'time' }, 't');
    await Promise.all([registering, timing]);
    expect(events).toEqual(['login:undefined', 'register:r', 'time:t']);
  });
});
