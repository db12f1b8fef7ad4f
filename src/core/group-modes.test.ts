import { describe, expect, it } from 'vitest';
import { Hub } from './hub.js';
import { MemoryAccounts } from './memory-accounts.js';
import { MemoryHistory } from './memory-history.js';
import type { ClientAction, Feature, ModeChange, ServerEvent } from './protocol.js';
import { parseSonnets, SonnetBook } from './sonnets.js';

const sonnets = new SonnetBook(parseSonnets('I.\n\nFrom fairest creatures we desire increase,\n'));
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const NOW = new Date(Date.UTC(2026, 10, 25, 14, 30));

function setup() {
  const log = () => undefined;
  const hub = new Hub({
    history: new MemoryHistory(),
    accounts: new MemoryAccounts(),
    sonnets,
    clock: { now: () => NOW },
    log: { debug: log, info: log, warn: log, error: log },
    operators: [{ name: 'root', password: 'correct horse' }],
  });
  const user = async (name: string, features: Feature[] = ['events', 'rooms'], front = 'tcp') => {
    const events: ServerEvent[] = [];
    const session = hub.open({ front, deliver: (e) => events.push(e), features });
    await session.dispatch({ action: 'login', name });
    events.length = 0;
    /** Dispatches and returns the events it brought. */
    const act = async (action: ClientAction): Promise<ServerEvent[]> => {
      const from = events.length;
      await session.dispatch(action);
      return events.slice(from);
    };
    return { events, session, act, take: () => events.splice(0) };
  };
  return { hub, user };
}

const set = (mode: ModeChange['mode'], arg?: string): ModeChange => (arg === undefined ? { mode, on: true } : { mode, on: true, arg });
const unset = (mode: ModeChange['mode'], arg?: string): ModeChange => (arg === undefined ? { mode, on: false } : { mode, on: false, arg });

/** ann opens #tea (she is its operator) and bob joins it. */
async function tea() {
  const t = setup();
  const ann = await t.user('ann');
  const bob = await t.user('bob');
  await ann.act({ action: 'connect', target: '#tea' });
  await bob.act({ action: 'connect', target: '#tea' });
  ann.take();
  bob.take();
  return { ...t, ann, bob };
}

describe('group modes', () => {
  it('shows a new room as +n, its creator as operator, with its creation time', async () => {
    const { ann } = await tea();
    expect(await ann.act({ action: 'mode', group: 1 })).toEqual([
      { action: 'mode', status: 'shown', group: 1, modes: '+n', created: NOW.toISOString(), ops: ['ann'], voiced: [], bans: [], refused: [] },
    ]);
  });

  it('makes an operator\'s changes in order, tells every member once, and skips changes that change nothing', async () => {
    const { ann, bob } = await tea();
    const answer = await ann.act({ action: 'mode', group: 1, changes: [set('t'), set('k', 'sesame'), set('l', '5'), set('v', 'BOB'), set('t'), set('n')] });
    const changes = [set('t'), set('k', 'sesame'), set('l', '5'), set('v', 'bob')];
    expect(answer[0]).toEqual({ action: 'mode', status: 'changed', group: 1, by: 'ann', changes });
    expect(answer[1]).toMatchObject({ action: 'mode', status: 'shown', modes: '+klnt', key: 'sesame', limit: 5, voiced: ['bob'], refused: [] });
    expect(bob.take()).toEqual([{ action: 'mode', status: 'changed', group: 1, by: 'ann', changes }]);
  });

  it('refuses every change of a member who is not an operator, and bad arguments of one who is', async () => {
    const { ann, bob } = await tea();
    const [shown] = await bob.act({ action: 'mode', group: 1, changes: [set('m'), set('o', 'bob')] });
    expect(shown).toMatchObject({ status: 'shown', modes: '+n', refused: [{ change: set('m'), code: 'not-allowed' }, { change: set('o', 'bob'), code: 'not-allowed' }] });
    bob.take();
    const [answer] = await ann.act({ action: 'mode', group: 1, changes: [set('o', 'cy'), set('l', '0'), set('k', 'a b'), unset('n'), unset('o', 'ann')] });
    expect(answer).toMatchObject({ status: 'shown' });
    expect(answer?.action === 'mode' && answer.status === 'shown' && answer.refused.map((r) => [r.change.mode, r.code])).toEqual([
      ['o', 'no-such-member'],
      ['l', 'bad-request'],
      ['k', 'bad-request'],
      ['n', 'bad-request'],
      ['o', 'not-allowed'],
    ]);
    expect(bob.take()).toEqual([]);
  });

  it('lets an operator give operator, who may then kick; takes it away again', async () => {
    const { ann, bob, user } = await tea();
    const cy = await user('cy');
    await cy.act({ action: 'connect', target: '#tea' });
    await ann.act({ action: 'mode', group: 1, changes: [set('o', 'bob')] });
    await bob.act({ action: 'kick', target: 'cy', reason: 'spam', group: 1 });
    expect(cy.events.find((e) => e.action === 'disconnect')).toMatchObject({ by: 'bob', reason: 'spam', group: 1 });
    await ann.act({ action: 'mode', group: 1, changes: [unset('o', 'bob')] });
    expect(await bob.act({ action: 'kick', target: 'ann', group: 1 })).toMatchObject([{ action: 'error', code: 'not-allowed' }]);
  });

  it('keeps out a wrong key, a full room and a banned user, and says why', async () => {
    const { ann, user } = await tea();
    const cy = await user('cy');
    const dan = await user('dan', ['events'], 'web');
    await ann.act({ action: 'mode', group: 1, changes: [set('k', 'sesame'), set('b', 'dan')] });
    expect(await cy.act({ action: 'connect', target: '#tea' })).toMatchObject([{ status: 'closed', refused: 'key', msg: '#tea needs a key: c #tea <key>' }]);
    expect(await cy.act({ action: 'connect', target: '#tea', key: 'nope' })).toMatchObject([{ status: 'closed', refused: 'key' }]);
    expect(await dan.act({ action: 'connect', target: '#tea', key: 'sesame' })).toMatchObject([{ status: 'closed', refused: 'banned', msg: 'you are banned from #tea' }]);
    // Connecting to a member is refused the same way.
    expect(await dan.act({ action: 'connect', target: 'ann' })).toMatchObject([{ status: 'closed', refused: 'banned' }]);
    await ann.act({ action: 'mode', group: 1, changes: [set('l', '2')] });
    expect(await cy.act({ action: 'connect', target: '#tea', key: 'sesame' })).toMatchObject([{ status: 'closed', refused: 'full', msg: '#tea is full' }]);
    await ann.act({ action: 'mode', group: 1, changes: [unset('l')] });
    // The course's client sends all that followed `c`: `c #tea sesame` is the room and its key.
    expect(await cy.act({ action: 'connect', target: '#tea  sesame' })).toMatchObject([{ status: 'success', group: 1 }]);
  });

  it('lets an invitation past the lock but not past a ban; only operators invite while it is locked', async () => {
    const { ann, bob, user } = await tea();
    const cy = await user('cy');
    await ann.act({ action: 'mode', group: 1, changes: [set('i'), set('b', 'cy!*@*')] });
    expect(await bob.act({ action: 'invite', target: 'cy', group: 1 })).toMatchObject([{ action: 'error', code: 'not-allowed' }]);
    expect(await ann.act({ action: 'invite', target: 'bob', group: 1 })).toMatchObject([{ action: 'invite', status: 'member', target: 'bob' }]);
    await ann.act({ action: 'invite', target: 'cy', group: 1 });
    expect(await cy.act({ action: 'connect', target: '#tea' })).toMatchObject([{ status: 'closed', refused: 'banned' }]);
    await ann.act({ action: 'mode', group: 1, changes: [unset('b', 'CY!*@*')] });
    expect(await cy.act({ action: 'connect', target: '#tea' })).toMatchObject([{ status: 'success' }]);
  });

  it('lets only operators and voiced members speak while moderated, and no banned member; the refusal names the group', async () => {
    const { ann, bob } = await tea();
    await ann.act({ action: 'mode', group: 1, changes: [set('m')] });
    expect(await bob.act({ action: 'exchange', message: 'hi', group: 1 })).toEqual([
      { action: 'error', code: 'not-allowed', msg: '#tea is moderated: only its operators and voiced members speak', for: 'exchange', group: 1 },
    ]);
    await ann.act({ action: 'mode', group: 1, changes: [set('v', 'bob'), set('b', '*!*@tcp')] });
    expect(await bob.act({ action: 'exchange', message: 'hi', group: 1 })).toMatchObject([{ code: 'not-allowed', msg: 'you are banned from #tea, so you cannot speak there' }]);
    await ann.act({ action: 'mode', group: 1, changes: [unset('b', '*!*@tcp')] });
    await bob.act({ action: 'exchange', message: 'voiced', group: 1 });
    await ann.act({ action: 'exchange', message: 'op', group: 1 });
    await turn();
    expect(ann.take().filter((e) => e.action === 'exchange')).toMatchObject([{ message: 'voiced' }]);
    expect(bob.take().filter((e) => e.action === 'exchange')).toMatchObject([{ message: 'op' }]);
  });

  it('keeps the topic to operators under +t', async () => {
    const { ann, bob } = await tea();
    await ann.act({ action: 'mode', group: 1, changes: [set('t')] });
    expect(await bob.act({ action: 'topic', topic: 'mine', group: 1 })).toMatchObject([{ action: 'error', code: 'not-allowed' }]);
    expect(await ann.act({ action: 'topic', topic: 'tea at five', group: 1 })).toMatchObject([{ action: 'topic', topic: 'tea at five', by: 'ann' }]);
  });

  it('hides a secret group from the list of those outside it, not from its members', async () => {
    const { ann, user } = await tea();
    const cy = await user('cy');
    await ann.act({ action: 'mode', group: 1, changes: [set('s')] });
    const [outside] = await cy.act({ action: 'list' });
    expect(outside).toMatchObject({ groups: [], users: [{ name: 'ann', state: 1 }, { name: 'bob', state: 1 }, { name: 'cy', state: 0 }] });
    expect(outside?.action === 'list' && outside.users.some((u) => u.group !== undefined)).toBe(false);
    const [inside] = await ann.act({ action: 'list' });
    expect(inside).toMatchObject({ groups: [{ id: 1, room: '#tea', modes: '+s' }] });
  });

  it('tells a classic one-group member of a mode change in words', async () => {
    const { ann, user } = await tea();
    const old = await user('old', []);
    await old.act({ action: 'connect', target: '#tea' });
    old.take();
    await ann.act({ action: 'mode', group: 1, changes: [set('m'), set('v', 'old'), set('k', 'x')] });
    expect(old.take()).toEqual([{ action: 'note', from: '', message: '(ann set +m +v old +k x)' }]);
  });
});

describe('server operators', () => {
  it('proves an operator by name and password', async () => {
    const { ann } = await tea();
    expect(await ann.act({ action: 'oper', name: 'nobody', password: 'x' })).toMatchObject([{ action: 'oper', status: 'none' }]);
    expect(await ann.act({ action: 'oper', name: 'root', password: 'wrong' })).toMatchObject([{ action: 'oper', status: 'denied' }]);
    expect(await ann.act({ action: 'oper', name: 'ROOT', password: 'correct horse' })).toMatchObject([{ action: 'oper', status: 'ok' }]);
  });

  it('limits failed operator logins like password logins, the right password included', async () => {
    const { user } = await tea();
    const eve = await user('eve');
    for (let i = 0; i < 5; i++) expect(await eve.act({ action: 'oper', name: 'root', password: `guess ${i}` })).toMatchObject([{ status: 'denied', msg: 'wrong operator password' }]);
    expect(await eve.act({ action: 'oper', name: 'root', password: 'correct horse' })).toMatchObject([{ status: 'denied', msg: expect.stringMatching(/^too many failed operator logins: try again in \d+ s$/) }]);
  });

  it('lets an operator kick in a group they are not in', async () => {
    const { bob, user } = await tea();
    const op = await user('op');
    expect(await op.act({ action: 'kick', target: 'bob', group: 1 })).toMatchObject([{ action: 'error', code: 'not-member' }]);
    await op.act({ action: 'oper', name: 'root', password: 'correct horse' });
    expect(await op.act({ action: 'kick', target: 'bob', reason: 'out', group: 1 })).toEqual([]);
    expect(bob.events.find((e) => e.action === 'disconnect')).toMatchObject({ by: 'op', reason: 'out', group: 1 });
  });

  it('kills a connection on any front: the others see the reason as they quit, the victim is told last', async () => {
    const { ann, bob, user, hub } = await tea();
    const op = await user('op');
    expect(await op.act({ action: 'kill', target: 'bob' })).toMatchObject([{ action: 'error', code: 'not-allowed' }]);
    await op.act({ action: 'oper', name: 'root', password: 'correct horse' });
    expect(await op.act({ action: 'kill', target: 'nobody' })).toMatchObject([{ action: 'error', code: 'no-user' }]);
    expect(await op.act({ action: 'kill', target: 'OP' })).toMatchObject([{ action: 'error', code: 'bad-request' }]);
    expect(await op.act({ action: 'kill', target: 'bob', reason: 'flooding' })).toEqual([]);
    expect(bob.events.at(-1)).toEqual({ action: 'error', code: 'killed', msg: 'op ended your connection: flooding' });
    expect(ann.events.at(-1)).toMatchObject({ action: 'leave', name: 'bob', quit: true, reason: 'Killed (op (flooding))' });
    expect(hub.presence.get('bob')).toBeUndefined();
    // The front's own close that follows changes nothing.
    bob.session.close();
    expect(await bob.act({ action: 'time' })).toEqual([]);
  });
});
