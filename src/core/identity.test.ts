import { describe, expect, it } from 'vitest';
import { Hub } from './hub.js';
import { MemoryAccounts } from './memory-accounts.js';
import { MemoryHistory } from './memory-history.js';
import { PresenceTable } from './presence.js';
import type { ClientAction, Feature, ServerEvent } from './protocol.js';
import { parseSonnets, SonnetBook } from './sonnets.js';

const sonnets = new SonnetBook(parseSonnets('I.\n\nFrom fairest creatures we desire increase,\n'));
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function setup() {
  const log = () => undefined;
  const accounts = new MemoryAccounts();
  const hub = new Hub({ history: new MemoryHistory(), accounts, sonnets, clock: { now: () => new Date(2026, 10, 25, 14, 30) }, log: { debug: log, info: log, warn: log, error: log } });
  const user = (name: string, features: Feature[] = ['events', 'rooms'], front = 'tcp') => {
    const events: ServerEvent[] = [];
    const session = hub.open({ front, deliver: (e) => events.push(e), features });
    void session.dispatch({ action: 'login', name });
    events.length = 0;
    return { events, session, do: (action: ClientAction) => session.dispatch(action), take: () => events.splice(0) };
  };
  return { hub, user, accounts };
}

describe('the presence table', () => {
  it('renames in place, keeping login order, and refuses a name in use', () => {
    const table = new PresenceTable<string>();
    table.add('ann', 'A');
    table.add('bob', 'B');
    table.add('cy', 'C');
    expect(table.rename('ann', 'cy', 'A')).toBe(false);
    expect(table.rename('bob', 'ann', 'A')).toBe(false);
    expect(table.rename('ann', 'Anne', 'A')).toBe(true);
    expect(table.get('anne')).toBe('A');
    expect(table.get('ann')).toBeUndefined();
    expect(table.list()).toEqual(['A', 'B', 'C']);
    expect(table.rename('Anne', 'ANNE', 'A')).toBe(true);
    expect(table.size).toBe(3);
  });
});

describe('rename', () => {
  it('renames a guest everywhere: presence, groups, ownership, and tells who shares a group', async () => {
    const { user } = setup();
    const ann = user('ann');
    const bob = user('bob');
    const watcher = user('wat', ['events', 'presence']);
    const stranger = user('stranger');
    await ann.do({ action: 'connect', target: '#tea' });
    await bob.do({ action: 'connect', target: '#tea' });
    for (const u of [ann, bob, watcher, stranger]) u.take();
    await ann.do({ action: 'rename', name: 'Annie' });
    expect(ann.take()).toEqual([{ action: 'rename', status: 'ok', name: 'Annie', old: 'ann' }]);
    expect(bob.take()).toEqual([{ action: 'rename', old: 'ann', name: 'Annie', front: 'tcp' }]);
    expect(watcher.take()).toEqual([{ action: 'rename', old: 'ann', name: 'Annie', front: 'tcp' }]);
    expect(stranger.take()).toEqual([]);
    await bob.do({ action: 'list' });
    const list = bob.take()[0] as Extract<ServerEvent, { action: 'list' }>;
    expect(list.users.map((u) => u.name)).toEqual(['Annie', 'bob', 'wat', 'stranger']);
    expect(list.groups).toEqual([{ id: 1, members: ['Annie', 'bob'], room: '#tea', owner: 'Annie' }]);
    // The old name is free at once; the new one is taken.
    const again = user('ann');
    await again.do({ action: 'list' });
    expect(again.take()[0]).toMatchObject({ action: 'list' });
    await bob.do({ action: 'rename', name: 'annie' });
    expect(bob.take()).toEqual([{ action: 'rename', status: 'duplicate', name: 'annie', msg: 'annie is already in use' }]);
  });

  it('keeps a member\'s roles in a room across a rename', async () => {
    const { user } = setup();
    const ann = user('ann');
    const bob = user('bob');
    await ann.do({ action: 'connect', target: '#tea' });
    await bob.do({ action: 'connect', target: '#tea' });
    await ann.do({ action: 'mode', changes: [{ mode: 'o', on: true, arg: 'bob' }], group: 1 });
    await bob.do({ action: 'rename', name: 'rob' });
    await ann.do({ action: 'list' });
    expect(ann.events.at(-1)).toMatchObject({ action: 'list', groups: [{ id: 1, members: ['ann', 'rob'], owner: 'ann', ops: ['rob'] }] });
  });

  it('lets a guest change only the case of its name, and says nothing when nothing changes', async () => {
    const { user } = setup();
    const ann = user('ann');
    await ann.do({ action: 'rename', name: 'ANN' });
    await ann.do({ action: 'rename', name: 'ANN' });
    expect(ann.take()).toEqual([
      { action: 'rename', status: 'ok', name: 'ANN', old: 'ann' },
      { action: 'rename', status: 'ok', name: 'ANN', old: 'ANN' },
    ]);
  });

  it('refuses a malformed name, a reserved one, a registered one without its credential, and an account holder', async () => {
    const { hub, user, accounts } = setup();
    hub.reserveName('ics');
    accounts.register('owned', 'secret', 'owned:key');
    const ann = user('ann');
    await ann.do({ action: 'rename', name: '9lives' });
    await ann.do({ action: 'rename', name: 'ICS' });
    await ann.do({ action: 'rename', name: 'Owned' });
    expect(ann.take()).toEqual([
      { action: 'rename', status: 'invalid', name: '9lives', msg: 'a name starts with a letter and holds only letters, digits, _ and -' },
      { action: 'rename', status: 'duplicate', name: 'ICS', msg: 'ICS is already in use' },
      { action: 'rename', status: 'duplicate', name: 'Owned', msg: 'this name is registered', credential: 'password' },
    ]);
  });

  it('carries what the session saw to the new name, and ends its direct conversations', async () => {
    const { user } = setup();
    const ann = user('ann');
    const bob = user('bob', ['events']);
    await ann.do({ action: 'connect', target: '#tea' });
    await ann.do({ action: 'exchange', message: 'before the rename', group: 1 });
    await ann.do({ action: 'direct', target: 'bob', message: 'psst' });
    await turn();
    bob.take();
    await ann.do({ action: 'rename', name: 'zed' });
    // bob shares only the direct conversation: told of the rename, then of its end.
    expect(bob.take()).toEqual([
      { action: 'rename', old: 'ann', name: 'zed', front: 'tcp' },
      { action: 'disconnect', msg: 'everyone left, you are alone', group: 2 },
    ]);
    await ann.do({ action: 'search', target: 'rename' });
    expect(ann.take().at(-1)).toMatchObject({ action: 'search', matches: [{ message: 'before the rename', from: 'ann' }] });
    await ann.do({ action: 'direct', target: 'bob', message: 'again' });
    expect(ann.take().at(-1)).toMatchObject({ action: 'direct', status: 'sent', target: 'bob', title: 'bob' });
  });

  it('takes along only its own memberships: none of an earlier holder of the new name, its open ones to a later registration', async () => {
    const { user } = setup();
    const ann = user('ann');
    const carl = user('carl');
    await ann.do({ action: 'connect', target: '#tea' });
    await carl.do({ action: 'connect', target: '#tea' });
    // Another guest holds "bob" after ann logged in, and sees a line ann never saw.
    const bob = user('bob');
    await bob.do({ action: 'connect', target: '#den' });
    await carl.do({ action: 'connect', target: '#den' });
    await carl.do({ action: 'exchange', message: 'secret for bob', group: 2 });
    await turn();
    bob.session.close();
    await ann.do({ action: 'rename', name: 'bob' });
    await ann.do({ action: 'register', password: 'a fine password' });
    await carl.do({ action: 'exchange', message: 'after registering', group: 1 });
    await turn();
    ann.take();
    await ann.do({ action: 'search', target: 'secret' });
    await ann.do({ action: 'search', target: 'registering' });
    const [secret, after] = ann.take();
    expect(secret).toMatchObject({ action: 'search', matches: [] });
    expect(after).toMatchObject({ action: 'search', matches: [{ message: 'after registering' }] });
  });

  it('tells a classic client in its group in words, and one whose group it is not nothing', async () => {
    const { user } = setup();
    const ann = user('ann');
    const classic = user('cl', []);
    // Watching presence, so pushed the rename, but chatting in a room without ann.
    const far = user('far', ['presence']);
    await classic.do({ action: 'connect', target: 'ann' });
    await far.do({ action: 'connect', target: '#solo' });
    classic.take();
    far.take();
    await ann.do({ action: 'rename', name: 'anna' });
    expect(classic.take()).toEqual([{ action: 'note', from: '', message: '(ann is now known as anna)' }]);
    expect(far.take()).toEqual([]);
  });

  it('passes invitations on to the new name', async () => {
    const { user } = setup();
    const owner = user('owner');
    const ann = user('ann');
    await owner.do({ action: 'connect', target: '#club' });
    await owner.do({ action: 'lock', locked: true });
    await owner.do({ action: 'invite', target: 'ann' });
    await ann.do({ action: 'rename', name: 'anna' });
    ann.take();
    await ann.do({ action: 'connect', target: '#club' });
    expect(ann.take().at(-1)).toMatchObject({ action: 'connect', status: 'success', room: '#club' });
  });
});

describe('away', () => {
  it('keeps the message in presence, tells group peers with events once per change, and answers a direct line with it', async () => {
    const { user } = setup();
    const ann = user('ann');
    const bob = user('bob');
    const classic = user('cl', []);
    await ann.do({ action: 'connect', target: '#tea' });
    await bob.do({ action: 'connect', target: '#tea' });
    await classic.do({ action: 'connect', target: '#tea' });
    for (const u of [ann, bob, classic]) u.take();
    await ann.do({ action: 'away', message: '  lunch\nbreak ' });
    await ann.do({ action: 'away', message: 'lunch break' });
    expect(ann.take()).toEqual([
      { action: 'away', status: 'away', message: 'lunch break' },
      { action: 'away', status: 'away', message: 'lunch break' },
    ]);
    expect(bob.take()).toEqual([{ action: 'away', name: 'ann', front: 'tcp', message: 'lunch break' }]);
    expect(classic.take()).toEqual([]);
    await bob.do({ action: 'direct', target: 'ann', message: 'hi' });
    await bob.do({ action: 'list' });
    const [sent, list] = bob.take();
    expect(sent).toMatchObject({ action: 'direct', status: 'sent', away: 'lunch break' });
    expect((list as Extract<ServerEvent, { action: 'list' }>).users[0]).toEqual({ name: 'ann', front: 'tcp', state: 1, group: 1, away: 'lunch break' });
    await ann.do({ action: 'away' });
    expect(ann.take()).toEqual([{ action: 'away', status: 'back' }]);
    expect(bob.take()).toEqual([{ action: 'away', name: 'ann', front: 'tcp' }]);
  });
});

describe('quit with a reason', () => {
  it('tells the others the reason with the leave', async () => {
    const { user } = setup();
    const ann = user('ann');
    const bob = user('bob');
    await ann.do({ action: 'connect', target: '#tea' });
    await bob.do({ action: 'connect', target: '#tea' });
    ann.take();
    bob.session.close(undefined, 'Quit: gone\nfishing');
    expect(ann.take()).toEqual([{ action: 'leave', name: 'bob', group: 1, members: [{ name: 'ann', front: 'tcp' }], reason: 'Quit: gone fishing', quit: true, owner: 'ann' }]);
  });
});
