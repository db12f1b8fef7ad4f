import { describe, expect, it } from 'vitest';
import { Hub } from './hub.js';
import { MemoryAccounts } from './memory-accounts.js';
import { MemoryHistory } from './memory-history.js';
import { MemoryKeeps } from './keeps.js';
import type { ClientAction, Feature, ServerEvent } from './protocol.js';
import { parseSonnets, SonnetBook } from './sonnets.js';

const sonnets = new SonnetBook(parseSonnets('I.\n\nFrom fairest creatures we desire increase,\n'));
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
type Missed = Extract<ServerEvent, { action: 'missed' }>;

function setup(missedLines = 50) {
  const log = () => undefined;
  const clock = { now: Date.UTC(2026, 10, 25, 14, 30) };
  const history = new MemoryHistory();
  const hub = new Hub({
    history,
    accounts: new MemoryAccounts(),
    keeps: new MemoryKeeps(),
    sonnets,
    clock: { now: () => new Date(clock.now++) },
    roomForgetMs: 60_000,
    log: { debug: log, info: log, warn: log, error: log },
    limits: { missedLines },
  });
  /** A user logged in; `id` makes them a registered (identity) user, else a guest. */
  const user = (name: string, id?: string, features: Feature[] = ['events', 'rooms']) => {
    const events: ServerEvent[] = [];
    const session = hub.open({ front: 'tcp', deliver: (e) => events.push(e), features, ...(id ? { identity: { provider: 'test', id } } : {}) });
    void session.dispatch({ action: 'login', name });
    const ask = async (action: ClientAction): Promise<ServerEvent[]> => {
      events.length = 0;
      await session.dispatch(action, 'x');
      return events.splice(0);
    };
    const say = async (message: string, group: number): Promise<void> => {
      await session.dispatch({ action: 'exchange', message, group });
      await turn();
    };
    return { events, session, ask, say };
  };
  return { hub, history, user, clock };
}

const missedOf = (events: ServerEvent[]): Missed[] => events.filter((e): e is Missed => e.action === 'missed');

describe('resume', () => {
  it('brings a registered user back into their rooms and direct conversation with exactly what they missed, then live lines', async () => {
    const { user } = setup();
    let alice = user('alice', 'a');
    const bob = user('bob');
    await alice.session.dispatch({ action: 'connect', target: '#tea' });
    await alice.session.dispatch({ action: 'connect', target: '#cake' });
    await bob.session.dispatch({ action: 'connect', target: '#tea' });
    await bob.session.dispatch({ action: 'connect', target: '#cake' });
    await bob.say('seen before', 1);
    alice.session.close();
    await bob.say('tea while away', 1);
    await bob.say('cake while away', 2);
    await bob.ask({ action: 'direct', target: 'alice', message: 'psst' });
    await turn();
    alice = user('alice', 'a');
    const answers = await alice.ask({ action: 'resume' });
    expect(answers.map((e) => (e.action === 'connect' && e.status !== 'request' ? e.peer : null)).filter((p) => p !== null)).toEqual(['#tea', '#cake', 'bob']);
    const missed = missedOf(answers);
    expect(missed.map((m) => [m.title, m.lines.map((l) => l.message), m.older])).toEqual([
      ['#tea', ['tea while away'], 0],
      ['#cake', ['cake while away'], 0],
      ['bob', ['psst'], 0],
    ]);
    expect(answers.at(-1)).toEqual({ action: 'resume', groups: 3 });
    await bob.say('live', 1);
    expect(alice.events.filter((e) => e.action === 'exchange').map((e) => e.action === 'exchange' && e.message)).toEqual(['live']);
    // Resuming again brings nothing twice.
    expect(missedOf(await alice.ask({ action: 'resume' }))).toEqual([]);
    // Search finds the lines said while away, as it would had alice stayed.
    const found = await alice.ask({ action: 'search', target: 'away' });
    expect(found.find((e) => e.action === 'search')).toMatchObject({ matches: [{ message: 'tea while away' }, { message: 'cake while away' }] });
  });

  it('shows the newest lines only, with a count of the older ones, across a room opened again meanwhile', async () => {
    const { user } = setup(2);
    let alice = user('alice', 'a');
    let bob = user('bob');
    await alice.session.dispatch({ action: 'connect', target: '#tea' });
    alice.session.close();
    // #tea empties and is opened again under a new id while alice is away.
    await bob.session.dispatch({ action: 'connect', target: '#tea' });
    await bob.say('one', 2);
    await bob.say('two', 2);
    bob.session.close();
    bob = user('bob');
    await bob.session.dispatch({ action: 'connect', target: '#TEA' });
    await bob.say('three', 3);
    await bob.say('four', 3);
    alice = user('alice', 'a');
    const [missed] = missedOf(await alice.ask({ action: 'resume' }));
    expect(missed).toMatchObject({ group: 3, title: '#TEA', older: 2, msg: '2 lines in #TEA while you were away (and 2 older: ? <word> searches them)' });
    expect(missed!.lines.map((l) => l.message)).toEqual(['three', 'four']);
  });

  it('keeps nothing of a guest, nor of a room a registered user left with bye', async () => {
    const { user } = setup();
    let guest = user('gus');
    let alice = user('alice', 'a');
    const bob = user('bob');
    for (const u of [guest, alice, bob]) await u.session.dispatch({ action: 'connect', target: '#tea' });
    await alice.session.dispatch({ action: 'disconnect', group: 1 });
    guest.session.close();
    alice.session.close();
    await bob.say('gone', 1);
    guest = user('gus');
    alice = user('alice', 'a');
    expect(await guest.ask({ action: 'resume' })).toEqual([{ action: 'resume', groups: 0 }]);
    expect(await alice.ask({ action: 'resume' })).toEqual([{ action: 'resume', groups: 0 }]);
  });

  it('tells the members of a room that the returning user is back', async () => {
    const { user } = setup();
    let alice = user('alice', 'a');
    const bob = user('bob');
    await alice.session.dispatch({ action: 'connect', target: '#tea' });
    await bob.session.dispatch({ action: 'connect', target: '#tea' });
    alice.session.close();
    alice = user('alice', 'a');
    bob.events.length = 0;
    await alice.ask({ action: 'resume' });
    expect(bob.events).toContainEqual(expect.objectContaining({ action: 'connect', status: 'request', from: 'alice', group: 1 }));
  });

  it('a kept room joined again by connect before resume: each line found once, nothing left to resume', async () => {
    const { user } = setup();
    let alice = user('alice', 'a');
    const bob = user('bob');
    await alice.session.dispatch({ action: 'connect', target: '#tea' });
    await bob.session.dispatch({ action: 'connect', target: '#tea' });
    alice.session.close();
    await bob.say('while away', 1);
    alice = user('alice', 'a');
    await alice.session.dispatch({ action: 'connect', target: '#tea' });
    await bob.say('while back', 1);
    expect(await alice.ask({ action: 'resume' })).toEqual([{ action: 'resume', groups: 0 }]);
    const found = (await alice.ask({ action: 'search', target: 'while' })).find((e) => e.action === 'search');
    expect(found).toMatchObject({ matches: [{ message: 'while away' }, { message: 'while back' }] });
  });

  it('a room nobody is in finds its topic, lock and modes again, unless it rested past the forget time kept by nobody', async () => {
    const { user, clock } = setup();
    const ann = user('ann');
    const topic = async (room: string): Promise<ServerEvent | undefined> => (await ann.ask({ action: 'connect', target: room })).find((e) => e.action === 'connect');
    await ann.session.dispatch({ action: 'connect', target: '#tea' });
    await ann.session.dispatch({ action: 'topic', topic: 'tulips', group: 1 });
    await ann.session.dispatch({ action: 'mode', group: 1, changes: [{ mode: 'k', on: true, arg: 'sesame' }] });
    await ann.session.dispatch({ action: 'disconnect', group: 1 });
    expect(await topic('#tea')).toMatchObject({ status: 'success', topic: 'tulips', modes: '+k' });
    // Its key holds for those who come after the one who opened it.
    expect((await user('cy').ask({ action: 'connect', target: '#tea' })).find((e) => e.action === 'connect')).toMatchObject({ status: 'closed', refused: 'key' });
    await ann.session.dispatch({ action: 'disconnect', group: 2 });
    clock.now += 60_000;
    expect(await topic('#tea')).not.toHaveProperty('topic');
    // Kept by a registered member, it is remembered however long it rests.
    const alice = user('alice', 'a');
    await alice.session.dispatch({ action: 'connect', target: '#tea' });
    await ann.session.dispatch({ action: 'topic', topic: 'roses', group: 3 });
    alice.session.close();
    await ann.session.dispatch({ action: 'disconnect', group: 3 });
    clock.now += 3_600_000;
    expect(await topic('#tea')).toMatchObject({ topic: 'roses' });
  });

  it('a member banned while away is not brought back, and no longer keeps the room', async () => {
    const { user } = setup();
    let alice = user('alice', 'a');
    const bob = user('bob');
    await bob.session.dispatch({ action: 'connect', target: '#tea' });
    await alice.session.dispatch({ action: 'connect', target: '#tea' });
    alice.session.close();
    await bob.session.dispatch({ action: 'mode', group: 1, changes: [{ mode: 'b', on: true, arg: 'alice' }] });
    await bob.say('after the ban', 1);
    alice = user('alice', 'a');
    expect(await alice.ask({ action: 'resume' })).toEqual([{ action: 'resume', groups: 0 }]);
    expect(await alice.ask({ action: 'resume' })).toEqual([{ action: 'resume', groups: 0 }]);
  });
});
