import { describe, expect, it } from 'vitest';
import { Hub } from './hub.js';
import { MemoryAccounts } from './memory-accounts.js';
import { MemoryHistory } from './memory-history.js';
import { NO_OBSERVER } from './observer.js';
import type { ClientAction, Feature, ServerEvent } from './protocol.js';
import { parseSonnets, SonnetBook } from './sonnets.js';
import { groupState, type GroupState, type HostedSession, type SessionState } from './takeover.js';

const sonnets = new SonnetBook(parseSonnets('I.\n\nFrom fairest creatures we desire increase,\n'));
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const hubOn = (history: MemoryHistory, accounts = new MemoryAccounts(), observer = NO_OBSERVER): Hub =>
  new Hub({ history, accounts, sonnets, clock: { now: () => new Date(2026, 11, 7) }, log: quiet, observer });

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

/** What a node hands over of a session: its state, each group with the last line the node was given there (of the events given). */
function handed(session: HostedSession, given: readonly ServerEvent[]): SessionState {
  const state = session.state()!;
  const heard = new Map<number, number>();
  for (const e of given) if (e.action === 'exchange') heard.set(e.group, Math.max(e.seq, heard.get(e.group) ?? 0));
  return { ...state, groups: state.groups.map((g) => (heard.has(g.id) ? { ...g, heard: heard.get(g.id)! } : g)) };
}

/** Hands the sessions to a new hub on the same history, as their nodes would (each was given `given`, by default what the user got). */
function handOver(from: Hub, to: Hub, users: Record<string, { user: User; features: Feature[]; given?: readonly ServerEvent[] }>): Record<string, User | null> {
  const described: GroupState[] = from.groups.list().map(groupState);
  to.takeover.describe(described);
  const out: Record<string, User | null> = {};
  for (const [name, { user: was, features, given }] of Object.entries(users)) {
    const events: ServerEvent[] = [];
    const restored = to.restore({ front: 'tcp', features, deliver: (e) => events.push(e) }, handed(was.session, given ?? was.events));
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
      alice: { user: old.alice, features: ['events', 'rooms'] },
      bob: { user: old.bob, features: [] },
      carol: { user: old.carol, features: ['events'] },
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

  it('gives a handed-back member the stored lines its node never got, and those said before it was back: once, in order, not its own', async () => {
    const history = new MemoryHistory();
    const old = await firstHub(history);
    const room = old.hub.groups.room('#r')!;
    for (const text of ['lost 1', 'lost 2']) await old.alice.do({ action: 'exchange', message: text, group: room.id });
    old.hub.flush();
    await turn();
    const before = room.seq - 2;
    // Carol's node got the room's lines up to 'before' only: the last two were lost with the hub.
    const carolGot = old.carol.events.filter((e) => !(e.action === 'exchange' && e.message.startsWith('lost')));
    let refilled = 0;
    const hub = hubOn(history, new MemoryAccounts(), { ...NO_OBSERVER, refilled: (n) => void (refilled += n) });
    const alice = handOver(old.hub, hub, { alice: { user: old.alice, features: ['events', 'rooms'] } })['alice']!;
    await alice.do({ action: 'exchange', message: 'meanwhile', group: room.id });
    hub.flush();
    await turn();
    const carol = handOver(old.hub, hub, { carol: { user: old.carol, features: ['events'], given: carolGot } })['carol']!;
    await alice.do({ action: 'exchange', message: 'after', group: room.id });
    hub.flush();
    await turn();

    const lines = carol.events.filter((e) => e.action === 'exchange');
    expect(lines.map((e) => [e.message, e.seq])).toEqual([['lost 1', before + 1], ['lost 2', before + 2], ['meanwhile', before + 3], ['after', before + 4]]);
    expect(lines[0]).toMatchObject({ from: '[alice]', name: 'alice', front: 'tcp', group: room.id, id: expect.any(Number), ts: expect.any(String) });
    expect(carol.events).toHaveLength(4);
    expect(alice.events).toEqual([]);
    expect(refilled).toBe(3);
  });

  it('tells the members that dave, whom nobody handed back, quit, once the hand-over is over', async () => {
    const history = new MemoryHistory();
    const old = await firstHub(history);
    const hub = hubOn(history);
    const watcher = await login(hub, 'wes', ['events', 'presence']);
    const back = handOver(old.hub, hub, {
      alice: { user: old.alice, features: ['events', 'rooms'] },
      bob: { user: old.bob, features: [] },
      carol: { user: old.carol, features: ['events'] },
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
    const back = handOver(old.hub, hub, { alice: { user: old.alice, features: ['rooms'] } });
    expect(back['alice']).toBeNull();
    hub.takeover.settle();
    expect(handOver(old.hub, hub, { carol: { user: old.carol, features: [] } })['carol']).toBeNull();
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
