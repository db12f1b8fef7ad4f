import { describe, expect, it } from 'vitest';
import { Hub } from './hub.js';
import { MemoryAccounts } from './memory-accounts.js';
import { MemoryHistory } from './memory-history.js';
import type { ClientAction, Feature, ServerEvent } from './protocol.js';
import { parseSonnets, SonnetBook } from './sonnets.js';
import { groupState, type GroupState, type HostedSession } from './takeover.js';

const sonnets = new SonnetBook(parseSonnets('I.\n\nFrom fairest creatures we desire increase,\n'));
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const hubOn = (history: MemoryHistory, accounts = new MemoryAccounts()): Hub => new Hub({ history, accounts, sonnets, clock: { now: () => new Date(2026, 11, 7) }, log: quiet });

interface User {
  session: HostedSession;
  events: ServerEvent[];
  do(action: ClientAction): Promise<void>;
}

function user(session: HostedSession, events: ServerEvent[]): User {
  return { session, events, do: (action) => session.dispatch(action) };
}

async function login(hub: Hub, name: string, features: Feature[] = ['events']): Promise<User> {
  const events: ServerEvent[] = [];
  const u = user(hub.open({ front: 'tcp', deliver: (e) => events.push(e), features }), events);
  await u.do({ action: 'login', name });
  return u;
}

/** Alice, bob (the course's client) and carol on the first hub with dave, whose node dies with it: dave owns #r and is bob's pair. */
async function firstHub(history: MemoryHistory) {
  const hub = hubOn(history);
  const alice = await login(hub, 'alice', ['events', 'rooms']);
  const bob = await login(hub, 'bob', []);
  const carol = await login(hub, 'carol');
  const dave = await login(hub, 'dave', ['events', 'rooms']);
  await bob.do({ action: 'connect', target: 'dave' });
  for (const u of [dave, alice, carol]) await u.do({ action: 'connect', target: '#r' });
  await alice.do({ action: 'direct', target: 'carol', message: 'psst' });
  await alice.do({ action: 'exchange', message: 'before', group: hub.groups.room('#r')!.id });
  hub.flush();
  await turn();
  return { hub, alice, bob, carol, dave };
}

/** Hands the sessions to a new hub on the same history, as their nodes would. */
function handOver(from: Hub, to: Hub, users: Record<string, { session: HostedSession; features: Feature[] }>): Record<string, User | null> {
  const described: GroupState[] = from.groups.list().map(groupState);
  to.takeover.describe(described);
  const out: Record<string, User | null> = {};
  for (const [name, { session, features }] of Object.entries(users)) {
    const events: ServerEvent[] = [];
    const restored = to.restore({ front: 'tcp', features, deliver: (e) => events.push(e) }, session.state()!);
    out[name] = restored && user(restored, events);
  }
  return out;
}

describe('a hub taking over from one that died', () => {
  it('runs the handed-back sessions on in their groups, ids and numbering, without a word to anyone', async () => {
    const history = new MemoryHistory();
    const old = await firstHub(history);
    const room = old.hub.groups.room('#r')!;
    const hub = hubOn(history);
    const back = handOver(old.hub, hub, {
      alice: { session: old.alice.session, features: ['events', 'rooms'] },
      bob: { session: old.bob.session, features: [] },
      carol: { session: old.carol.session, features: ['events'] },
    });
    const [alice, bob, carol] = [back['alice']!, back['bob']!, back['carol']!];
    expect([alice.events, bob.events, carol.events]).toEqual([[], [], []]);
    expect(hub.groups.room('#r')).toMatchObject({ id: room.id, seq: room.seq });
    expect(hub.groups.room('#r')!.members.map((m) => m.member.name)).toEqual(['alice', 'carol']);

    await alice.do({ action: 'exchange', message: 'after', group: room.id });
    hub.flush();
    await turn();
    expect(carol.events).toEqual([expect.objectContaining({ action: 'exchange', message: 'after', group: room.id, seq: room.seq + 1 })]);
    await carol.do({ action: 'direct', target: 'alice', message: 'still here' });
    await turn();
    const direct = alice.events.find((e) => e.action === 'exchange' && e.direct);
    expect(direct).toMatchObject({ message: 'still here', group: old.hub.groups.list().find((g) => g.kind === 'direct')!.id, seq: 2 });
    expect(bob.events).toEqual([]);
    // A group opened now takes an id none of the last hub's had.
    const fresh = await login(hub, 'erin');
    await fresh.do({ action: 'connect', target: '#new' });
    expect(hub.groups.room('#new')!.id).toBeGreaterThan(Math.max(...old.hub.groups.list().map((g) => g.id)));
  });

  it('tells the members that dave, whom nobody handed back, quit, once the hand-over is over', async () => {
    const history = new MemoryHistory();
    const old = await firstHub(history);
    const hub = hubOn(history);
    const watcher = await login(hub, 'wes', ['events', 'presence']);
    const back = handOver(old.hub, hub, {
      alice: { session: old.alice.session, features: ['events', 'rooms'] },
      bob: { session: old.bob.session, features: [] },
      carol: { session: old.carol.session, features: ['events'] },
    });
    hub.takeover.settle();
    const room = hub.groups.room('#r')!;
    const left = { action: 'leave', name: 'dave', group: room.id, members: [{ name: 'alice', front: 'tcp' }, { name: 'carol', front: 'tcp' }], reason: 'Node went away', quit: true };
    expect(back['alice']!.events).toEqual([expect.objectContaining(left)]);
    expect(back['carol']!.events).toEqual([expect.objectContaining(left)]);
    // The course's client, alone in its pair: the menu again, as when a peer vanishes.
    expect(back['bob']!.events).toEqual([{ action: 'disconnect', msg: 'everyone left, you are alone', group: expect.any(Number) }]);
    expect(watcher.events).toContainEqual({ action: 'presence', name: 'dave', front: 'tcp', status: 'offline' });
    // The room's owner was not handed back: the first member handed back owns it.
    expect(room.owner?.name).toBe('alice');
    expect(hub.groups.membership(room, room.owner!)?.op).toBe(true);
    await login(hub, 'dave');
  });

  it('refuses a session whose name was taken meanwhile, and any once the hand-over is over', async () => {
    const history = new MemoryHistory();
    const old = await firstHub(history);
    const hub = hubOn(history);
    await login(hub, 'alice');
    const back = handOver(old.hub, hub, { alice: { session: old.alice.session, features: ['rooms'] } });
    expect(back['alice']).toBeNull();
    hub.takeover.settle();
    expect(handOver(old.hub, hub, { carol: { session: old.carol.session, features: [] } })['carol']).toBeNull();
  });

  it('keeps a registered session\'s account and history key', async () => {
    const history = new MemoryHistory();
    const accounts = new MemoryAccounts();
    const first = hubOn(history, accounts);
    const ann = await login(first, 'ann');
    await ann.do({ action: 'register', password: 'correct horse battery' });
    await turn();
    expect(ann.events.at(-1)).toMatchObject({ action: 'register', status: 'ok' });
    const state = ann.session.state()!;
    expect(state.account).toBe('ann');
    const hub = hubOn(history, accounts);
    const back = hub.restore({ front: 'tcp', deliver: () => undefined }, state);
    expect(back?.state()).toMatchObject({ name: 'ann', account: 'ann', historyKey: state.historyKey });
  });
});
