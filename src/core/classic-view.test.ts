/** The classic one-group view's rules (docs/PROTOCOL.md, Many groups), through the hub. */
import { describe, expect, it } from 'vitest';
import { MemoryAccounts } from './memory-accounts.js';
import { MemoryHistory } from './memory-history.js';
import { Hub } from './hub.js';
import type { ClientAction, Feature, ServerEvent } from './protocol.js';
import { parseSonnets, SonnetBook } from './sonnets.js';

const sonnets = new SonnetBook(parseSonnets('I.\n\nFrom fairest creatures we desire increase,\n'));
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function setup() {
  const log = () => undefined;
  const hub = new Hub({
    history: new MemoryHistory(),
    accounts: new MemoryAccounts(),
    sonnets,
    clock: { now: () => new Date(2026, 10, 25, 14, 30) },
    log: { debug: log, info: log, warn: log, error: log },
  });
  /** A user; the default features are a many-group client's, `[]` is the course's client. */
  const user = (name: string, features: Feature[] = ['events', 'rooms']) => {
    const events: ServerEvent[] = [];
    const session = hub.open({ front: 'tcp', deliver: (e) => events.push(e), features });
    void session.dispatch({ action: 'login', name });
    events.length = 0;
    return {
      events,
      session,
      do: (action: ClientAction) => session.dispatch(action),
      last: () => events.at(-1),
      take: () => events.splice(0),
    };
  };
  return { hub, user };
}

const note = (message: string): ServerEvent => ({ action: 'note', from: '', message });

describe('the classic one-group view', () => {
  it('tells a client without events a topic or lock change of its group in words, which it prints as a line', () => {
    const { user } = setup();
    const zz = user('zz', []);
    const ann = user('ann', ['events']);
    void zz.do({ action: 'connect', target: '#a' });
    void ann.do({ action: 'connect', target: '#a' });
    zz.take();
    ann.take();
    void ann.do({ action: 'topic', topic: 'tea at five' });
    void zz.do({ action: 'lock', locked: true });
    void zz.do({ action: 'lock', locked: false });
    expect(zz.take()).toEqual([note('(ann set the topic: tea at five)'), note('(zz made this group invite-only)'), note('(zz opened this group to everyone)')]);
    expect(ann.take().map((e) => e.action)).toEqual(['topic', 'lock', 'lock']);
  });

  it('counts lines of a group it is not looking at, tells them once, and their count when that group becomes the focus again', async () => {
    const { user } = setup();
    const zz = user('zz', []);
    const ann = user('ann');
    const bob = user('bob');
    void zz.do({ action: 'connect', target: '#a' });
    void ann.do({ action: 'connect', target: '#a' });
    void bob.do({ action: 'direct', target: 'zz', message: 'psst' });
    await turn();
    void zz.do({ action: 'focus', target: 'bob' });
    zz.take();
    void ann.do({ action: 'exchange', message: 'one', group: 1 });
    void ann.do({ action: 'exchange', message: 'two', group: 1 });
    await turn();
    expect(zz.take()).toEqual([note('(new lines in #a: type bye to leave this group and go there)')]);
    void zz.do({ action: 'disconnect' });
    expect(zz.take()).toEqual([
      expect.objectContaining({ action: 'connect', status: 'request', from: '#a', group: 1 }),
      note('(2 lines in #a while you were in bob; ? <word> searches them)'),
    ]);
  });

  it('tells new lines of a group once per focus, however the focus moved', async () => {
    const { user } = setup();
    const zz = user('zz', []);
    const ann = user('ann');
    const bob = user('bob');
    void zz.do({ action: 'connect', target: '#a' });
    void ann.do({ action: 'connect', target: '#a' });
    void ann.do({ action: 'connect', target: '#b' });
    void bob.do({ action: 'direct', target: 'zz', message: 'psst' });
    await turn();
    void zz.do({ action: 'focus', target: 'bob' });
    void ann.do({ action: 'exchange', message: 'one', group: 1 });
    await turn();
    void zz.do({ action: 'focus', target: '#a' });
    void zz.do({ action: 'focus', target: 'bob' });
    zz.take();
    void ann.do({ action: 'exchange', message: 'two', group: 1 });
    await turn();
    expect(zz.take()).toEqual([note('(new lines in #a: type bye to leave this group and go there)')]);
  });

  it('does not count a direct line it showed inline when the focus moves to its conversation', async () => {
    const { user } = setup();
    const zz = user('zz', []);
    const ann = user('ann');
    const bob = user('bob');
    void zz.do({ action: 'connect', target: '#a' });
    void ann.do({ action: 'connect', target: '#a' });
    void bob.do({ action: 'direct', target: 'zz', message: 'psst' });
    await turn();
    expect(zz.last()).toMatchObject({ action: 'exchange', from: '[bob → you]', message: 'psst' });
    zz.take();
    void zz.do({ action: 'disconnect' });
    expect(zz.take()).toEqual([expect.objectContaining({ action: 'connect', status: 'request', from: 'bob', kind: 'direct' })]);
  });

  it('tells a session removed from a group it is not looking at, naming the group', async () => {
    const { user } = setup();
    const ann = user('ann');
    const zz = user('zz', []);
    void ann.do({ action: 'connect', target: '#a' });
    void zz.do({ action: 'connect', target: '#a' });
    void ann.do({ action: 'direct', target: 'zz', message: 'psst' });
    await turn();
    void zz.do({ action: 'focus', target: 'ann' });
    zz.take();
    void ann.do({ action: 'kick', target: 'zz', reason: 'quiet please', group: 1 });
    expect(zz.take()).toEqual([note('(ann removed you from #a: quiet please)')]);
  });
});

describe('direct conversations end like a group of two', () => {
  it('takes the other person out and tells them when one leaves or goes offline; the next direct line brings it back under its id', async () => {
    const { user } = setup();
    const ann = user('ann');
    const zz = user('zz', []);
    void ann.do({ action: 'direct', target: 'zz', message: 'hello' });
    await turn();
    const id = (zz.take()[0] as { group: number }).group;
    void ann.do({ action: 'disconnect', group: id });
    expect(zz.take()).toEqual([{ action: 'disconnect', msg: 'everyone left, you are alone', group: id }]);
    void zz.do({ action: 'exchange', message: 'anyone?' });
    expect(zz.take()).toEqual([expect.objectContaining({ action: 'error', code: 'not-chatting' })]);

    ann.take();
    void ann.do({ action: 'direct', target: 'zz', message: 'again' });
    await turn();
    expect(zz.take()[0]).toMatchObject({ action: 'connect', status: 'request', from: 'ann', group: id });
    zz.session.close();
    expect(ann.take()).toEqual([
      expect.objectContaining({ action: 'direct', status: 'sent', group: id }),
      { action: 'disconnect', msg: 'everyone left, you are alone', group: id },
    ]);
  });

  it('tells a classic session whose other conversation ended, in words', async () => {
    const { user } = setup();
    const zz = user('zz', []);
    user('ann');
    const bob = user('bob');
    void zz.do({ action: 'connect', target: 'ann' });
    void bob.do({ action: 'direct', target: 'zz', message: 'psst' });
    await turn();
    const dm = (bob.take()[0] as { group: number }).group;
    zz.take();
    void bob.do({ action: 'disconnect', group: dm });
    expect(zz.take()).toEqual([note('(bob left your conversation)')]);
    void zz.do({ action: 'list' });
    expect(zz.last()).toMatchObject({ users: [{ name: 'zz', state: 1, group: 1 }, { name: 'ann' }, { name: 'bob', state: 0 }] });
  });

  it('is no group to anyone else: connecting to its id finds nothing, as for an id never used', async () => {
    const { user } = setup();
    const ann = user('ann');
    const bob = user('bob');
    const eve = user('eve');
    void ann.do({ action: 'direct', target: 'bob', message: 'hello' });
    const id = (ann.last() as { group: number }).group;
    await turn();
    void eve.do({ action: 'connect', target: `#group-${id}` });
    expect(eve.last()).toEqual({ action: 'connect', status: 'no-user', msg: `there is no group ${id}` });
    void bob.do({ action: 'connect', target: `#group-${id}` });
    expect(bob.last()).toMatchObject({ action: 'connect', status: 'success', group: id, kind: 'direct', peer: 'ann' });
  });

  it('names no direct conversation in list, though its people are talking', async () => {
    const { user } = setup();
    const ann = user('ann');
    const zz = user('zz', []);
    void ann.do({ action: 'direct', target: 'zz', message: 'hello' });
    await turn();
    void zz.do({ action: 'list' });
    expect(zz.last()).toMatchObject({
      results: "Users: ------------\n{'ann': 1, 'zz': 1}\nGroups: -----------\n{}\n",
      users: [{ name: 'ann', front: 'tcp', state: 1 }, { name: 'zz', front: 'tcp', state: 1 }],
      groups: [],
    });
  });
});

describe('a many-group session leaving its focus', () => {
  it('is told where its focus went with the unread count there', async () => {
    const { user } = setup();
    const ann = user('ann');
    const cy = user('cy');
    void ann.do({ action: 'connect', target: '#a' });
    void cy.do({ action: 'connect', target: '#a' });
    void ann.do({ action: 'connect', target: '#b' });
    void cy.do({ action: 'exchange', message: 'one' });
    void cy.do({ action: 'exchange', message: 'two' });
    await turn();
    ann.take();
    void ann.do({ action: 'disconnect' });
    expect(ann.take()).toEqual([{ action: 'focus', group: 1, title: '#a', kind: 'room', members: expect.any(Array), unread: 2 }]);
  });
});
