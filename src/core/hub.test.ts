import { describe, expect, it } from 'vitest';
import { RESTART_MSG } from './classic.js';
import { Hub } from './hub.js';
import { MemoryAccounts } from './memory-accounts.js';
import { MemoryHistory } from './memory-history.js';
import { HistoryUnavailable } from './history.js';
import type { LogFields } from './log.js';
import type { ClientAction, Feature, ServerEvent } from './protocol.js';
import { parseSearchQuery } from './search-query.js';
import { parseSonnets, SonnetBook } from './sonnets.js';

const sonnets = new SonnetBook(parseSonnets('I.\n\nFrom fairest creatures we desire increase,\n'));
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function setup(history = new MemoryHistory()) {
  const logs: string[] = [];
  const log = (level: string) => (msg: string, fields?: LogFields) => logs.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`);
  const hub = new Hub({
    history,
    accounts: new MemoryAccounts(),
    sonnets,
    clock: { now: () => new Date(2026, 10, 25, 14, 30) },
    log: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
  });
  const user = (name: string, front = 'tcp', features: Feature[] = ['events']) => {
    const events: ServerEvent[] = [];
    const session = hub.open({ front, deliver: (e) => events.push(e), features });
    const u = {
      events,
      session,
      do: (action: ClientAction) => session.dispatch(action),
      last: () => events.at(-1),
      of: <A extends ServerEvent['action']>(action: A) => events.filter((e): e is Extract<ServerEvent, { action: A }> => e.action === action),
    };
    u.do({ action: 'login', name });
    return u;
  };
  return { hub, user, logs, history };
}

describe('Hub sessions', () => {
  it('checks each action\'s states centrally', () => {
    const { hub } = setup();
    const events: ServerEvent[] = [];
    const s = hub.open({ front: 'tcp', deliver: (e) => events.push(e) });
    s.dispatch({ action: 'exchange', message: 'x' });
    s.dispatch({ action: 'login', name: 'a' });
    s.dispatch({ action: 'login', name: 'b' });
    s.dispatch({ action: 'exchange', message: 'x' });
    expect(events).toEqual([
      { action: 'error', code: 'not-logged-in', msg: 'log in first', for: 'exchange' },
      { action: 'login', status: 'ok' },
      { action: 'error', code: 'already-logged-in', msg: 'you are logged in as a', for: 'login' },
      { action: 'error', code: 'not-chatting', msg: 'you are not in a group: connect to someone first', for: 'exchange' },
    ]);
  });

  it('catches a handler bug at the session boundary and keeps serving', () => {
    const history = new MemoryHistory();
    history.search = () => {
      throw new Error('boom');
    };
    const { user, logs } = setup(history);
    const a = user('alice');
    a.do({ action: 'search', target: 'x' });
    expect(a.last()).toMatchObject({ action: 'error', code: 'internal', for: 'search' });
    expect(logs.some((l) => l.startsWith('error handler failed') && l.includes('boom'))).toBe(true);
    a.do({ action: 'ping', message: 'ok' });
    expect(a.last()).toEqual({ action: 'pong', message: 'ok' });
  });

  it('survives a front whose deliver throws', () => {
    const { hub, user, logs } = setup();
    const bad = hub.open({ front: 'tcp', deliver: () => { throw new Error('socket gone'); } });
    bad.dispatch({ action: 'login', name: 'bad' });
    const a = user('alice');
    a.do({ action: 'connect', target: 'bad' });
    expect(a.last()).toMatchObject({ action: 'connect', status: 'success' });
    expect(logs.some((l) => l.includes('front failed to deliver'))).toBe(true);
  });

  it('frees a name when its session closes, and announces presence to watchers', () => {
    const { user } = setup();
    const watcher = user('watcher', 'web', ['presence']);
    const a = user('alice');
    a.session.close();
    a.session.close();
    expect(watcher.of('presence')).toEqual([
      { action: 'presence', name: 'alice', front: 'tcp', status: 'online' },
      { action: 'presence', name: 'alice', front: 'tcp', status: 'offline' },
    ]);
    expect(user('ALICE').last()).toEqual({ action: 'login', status: 'ok' });
  });
});

describe('Hub chat lines', () => {
  it('stores a line before delivering it, once, to the others only', async () => {
    const { user, history } = setup();
    const a = user('alice');
    const b = user('bob');
    a.do({ action: 'connect', target: 'bob' });
    a.do({ action: 'exchange', message: 'hello' });
    expect(b.of('exchange')).toEqual([]);
    await turn();
    expect(b.of('exchange')).toHaveLength(1);
    expect(a.of('exchange')).toHaveLength(0);
    expect(history.search('bob', [['hello']], 10).total).toBe(1);
  });

  it('delivers queued lines before a membership change, so order holds', () => {
    const { user } = setup();
    const a = user('alice');
    const b = user('bob');
    a.do({ action: 'connect', target: 'bob' });
    a.do({ action: 'exchange', message: 'last words' });
    a.do({ action: 'disconnect' });
    expect(b.events.slice(-2).map((e) => e.action)).toEqual(['exchange', 'disconnect']);
  });

  it('does not deliver a line to someone who joined after it was sent', async () => {
    const { user } = setup();
    const a = user('alice');
    user('bob').do({ action: 'connect', target: 'alice' });
    a.do({ action: 'exchange', message: 'before carol' });
    const c = user('carol');
    c.do({ action: 'connect', target: 'alice' });
    await turn();
    expect(c.of('exchange')).toEqual([]);
  });

  it('tells the senders when the history cannot be written, and delivers nothing', async () => {
    const history = new MemoryHistory();
    const { user, logs } = setup(history);
    const a = user('alice');
    const b = user('bob');
    a.do({ action: 'connect', target: 'bob' });
    await turn();
    history.commit = () => {
      throw new Error('disk full');
    };
    a.do({ action: 'exchange', message: 'lost?' });
    await turn();
    expect(b.of('exchange')).toEqual([]);
    expect(a.last()).toMatchObject({ action: 'error', code: 'not-stored', for: 'exchange' });
    expect(logs.some((l) => l.includes('history commit failed'))).toBe(true);
  });

  it('says in a search reply that the count of older matches stopped, when the history says so', () => {
    const history = new MemoryHistory();
    const { user } = setup(history);
    const a = user('alice');
    history.search = () => ({ lines: [{ id: 7, group: 1, seq: 7, sender: 'bob', senderKey: 'bob', text: 'a word', ts: 0, label: '#a' }], total: 110, more: true });
    a.do({ action: 'search', target: 'word' });
    expect(a.last()).toMatchObject({ action: 'search', omitted: 109, more: true });
    expect(String((a.last() as { results: string }).results).split('\n').at(-1)).toBe('(more than 109 older matches not shown)');
  });

  it('answers a search the history cannot serve with unavailable, and keeps the session', async () => {
    const history = new MemoryHistory();
    const { user, logs } = setup(history);
    const a = user('alice');
    history.search = () => {
      throw new HistoryUnavailable('database is locked');
    };
    a.do({ action: 'search', target: 'anything' });
    expect(a.last()).toMatchObject({ action: 'error', code: 'unavailable', for: 'search' });
    expect(logs.some((l) => l.includes('history search failed') && l.includes('database is locked'))).toBe(true);
    a.do({ action: 'time' });
    expect(a.last()).toMatchObject({ action: 'time' });
  });
});

describe('Hub rooms', () => {
  it('opens a room with one member, lets anyone join by name, and keeps it while anyone is in it', async () => {
    const { user } = setup();
    const a = user('alice');
    a.do({ action: 'connect', target: '#Poetry' });
    expect(a.last()).toEqual({ action: 'connect', status: 'success', peer: '#Poetry', group: 1, room: '#Poetry', owner: 'alice', members: [{ name: 'alice', front: 'tcp' }], kind: 'room' });
    const b = user('bob', 'irc');
    b.do({ action: 'connect', target: '#poetry' });
    expect(b.last()).toMatchObject({ status: 'success', group: 1, room: '#Poetry' });
    expect(a.last()).toMatchObject({ action: 'connect', status: 'request', from: 'bob', front: 'irc', room: '#Poetry' });
    a.do({ action: 'disconnect' });
    expect(b.last()).toEqual({ action: 'leave', name: 'alice', group: 1, members: [{ name: 'bob', front: 'irc' }], owner: 'bob' });
    b.do({ action: 'exchange', message: 'talking to myself' });
    await turn();
    b.do({ action: 'list' });
    expect(b.last()).toMatchObject({ action: 'list', groups: [{ id: 1, members: ['bob'], room: '#Poetry', owner: 'bob' }] });
    b.do({ action: 'disconnect' });
    b.do({ action: 'list' });
    expect(b.last()).toMatchObject({ groups: [] });
  });

  it('joins a group by id with #group-N, and refuses bad room names', () => {
    const { user } = setup();
    const a = user('alice');
    user('bob').do({ action: 'connect', target: 'alice' });
    const c = user('carol');
    c.do({ action: 'connect', target: '#group-1' });
    expect(c.last()).toMatchObject({ status: 'success', group: 1, peer: '#group-1' });
    expect(a.last()).toMatchObject({ status: 'request', from: 'carol' });
    const d = user('dave');
    d.do({ action: 'connect', target: '#group-9' });
    expect(d.last()).toMatchObject({ status: 'no-user', msg: 'there is no group 9' });
    d.do({ action: 'connect', target: '#no!' });
    expect(d.last()).toMatchObject({ status: 'no-user' });
  });

  it('shares a topic with the group', () => {
    const { user } = setup();
    const a = user('alice');
    const b = user('bob');
    a.do({ action: 'connect', target: '#sonnets' });
    b.do({ action: 'connect', target: '#sonnets' });
    b.do({ action: 'topic', topic: 'sonnet 18\r\nPRIVMSG x' });
    expect(a.last()).toEqual({ action: 'topic', group: 1, topic: 'sonnet 18 PRIVMSG x', by: 'bob' });
    const c = user('carol');
    c.do({ action: 'connect', target: '#sonnets' });
    expect(c.last()).toMatchObject({ topic: 'sonnet 18 PRIVMSG x' });
    c.do({ action: 'topic' });
    expect(c.last()).toEqual({ action: 'topic', group: 1, topic: 'sonnet 18 PRIVMSG x' });
  });

  it('lets the owner kick a member, and no one else', () => {
    const { user } = setup();
    const a = user('alice');
    const b = user('bob');
    const c = user('carol');
    for (const u of [a, b, c]) u.do({ action: 'connect', target: '#room' });
    b.do({ action: 'kick', target: 'carol' });
    expect(b.last()).toMatchObject({ action: 'error', code: 'not-allowed' });
    a.do({ action: 'kick', target: 'nobody' });
    expect(a.last()).toMatchObject({ action: 'error', code: 'no-such-member' });
    a.do({ action: 'kick', target: 'CAROL', reason: 'spam' });
    expect(c.last()).toEqual({ action: 'disconnect', msg: 'alice removed you from #room: spam', group: 1, room: '#room', by: 'alice', reason: 'spam' });
    expect(b.last()).toMatchObject({ action: 'leave', name: 'carol', kickedBy: 'alice', reason: 'spam' });
    c.do({ action: 'exchange', message: 'still here?' });
    expect(c.last()).toMatchObject({ action: 'error', code: 'not-chatting' });
  });

  it('refuses kicks in ad-hoc groups', () => {
    const { user } = setup();
    const a = user('alice');
    user('bob');
    a.do({ action: 'connect', target: 'bob' });
    a.do({ action: 'kick', target: 'bob' });
    expect(a.last()).toMatchObject({ action: 'error', code: 'not-allowed' });
  });

  it('sends invitations', () => {
    const { user } = setup();
    const a = user('alice');
    const b = user('bob');
    a.do({ action: 'invite', target: 'bob' });
    expect(a.last()).toMatchObject({ action: 'invite', status: 'not-chatting' });
    a.do({ action: 'connect', target: '#tea' });
    a.do({ action: 'invite', target: 'nobody' });
    expect(a.last()).toMatchObject({ action: 'invite', status: 'no-user' });
    a.do({ action: 'invite', target: 'BOB' });
    expect(a.last()).toEqual({ action: 'invite', status: 'sent', target: 'bob' });
    // bob is at the menu: the invitation reaches him as it is
    expect(b.last()).toEqual({ action: 'invite', status: 'request', from: 'alice', front: 'tcp', group: 1, room: '#tea' });
  });

  it('tells the others why a member left, and whether they went offline', () => {
    const { user } = setup();
    const a = user('alice');
    const b = user('bob', 'irc');
    const c = user('carol');
    for (const u of [a, b, c]) u.do({ action: 'connect', target: '#tea' });
    b.do({ action: 'disconnect', reason: 'off to bed' });
    expect(a.last()).toEqual({ action: 'leave', name: 'bob', group: 1, members: [{ name: 'alice', front: 'tcp' }, { name: 'carol', front: 'tcp' }], reason: 'off to bed', owner: 'alice' });
    c.session.close();
    expect(a.last()).toEqual({ action: 'leave', name: 'carol', group: 1, members: [{ name: 'alice', front: 'tcp' }], quit: true, owner: 'alice' });
  });
});

describe('Hub reserved names', () => {
  it('keeps a reserved name from every login, in any case', () => {
    const { hub, user } = setup();
    hub.reserveName('ics');
    const u = user('ICS');
    expect(u.last()).toMatchObject({ action: 'login', status: 'duplicate' });
    u.do({ action: 'login', name: 'icsfan' });
    expect(u.last()).toEqual({ action: 'login', status: 'ok' });
  });
});

describe('Hub shutdown', () => {
  it('delivers the lines said so far, then tells every logged-in user once, and says nothing after', async () => {
    const { hub, user, history } = setup();
    const a = user('alice');
    const b = user('bob', 'irc');
    const c = user('carol', 'web');
    const heard: ServerEvent[] = [];
    const guest = hub.open({ front: 'tcp', deliver: (e) => heard.push(e) });
    a.do({ action: 'connect', target: 'bob' });
    c.do({ action: 'connect', target: 'bob' });
    a.do({ action: 'exchange', message: 'last words' });
    hub.shutdown();
    hub.shutdown();
    const restart = { action: 'restart', from: '', message: RESTART_MSG };
    expect(b.events.slice(-2)).toEqual([expect.objectContaining({ action: 'exchange', message: 'last words' }), restart]);
    expect(c.events.slice(-2)).toEqual([expect.objectContaining({ action: 'exchange', message: 'last words' }), restart]);
    expect(a.last()).toEqual(restart);
    a.do({ action: 'exchange', message: 'too late' });
    a.session.close();
    b.session.close();
    guest.close();
    await turn();
    for (const u of [a, b, c]) expect(u.last()).toEqual(restart);
    expect(heard).toEqual([]);
    expect(history.search('alice', parseSearchQuery('late'), 10).total).toBe(0);
    expect(history.search('bob', parseSearchQuery('words'), 10).total).toBe(1);
  });
});
