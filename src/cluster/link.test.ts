import { afterEach, describe, expect, it } from 'vitest';
import { everyLineOnce, LinkHarness, login } from '../../test/helpers/link-harness.js';
import { waitFor } from '../../test/helpers/wait.js';
import { LossyTransport } from '../../test/fakes/lossy-transport.js';
import { MemoryHistory } from '../core/memory-history.js';
import type { ServerEvent } from '../core/protocol.js';
import { nodeSubject } from './link-protocol.js';
import { LocalTransport, type Transport } from './transport.js';

// Thirty heartbeats to a lease: with eight, a test timed out once under load, and a loaded machine
// can hold a live node's heartbeats past so short a lease, when the hub takes that node for dead too.
const links = new LinkHarness({ heartbeatMs: 10, leaseMs: 300 });
const hubOn = (history: MemoryHistory) => links.hubOn(history);
const hubNode = (transport: Transport, hub = hubOn(new MemoryHistory())) => links.hubNode(transport, hub);
const node = (name: string, transport: Transport) => links.node(name, transport);

afterEach(() => links.stopAll());

describe('a hub on one node, users on others', () => {
  it('puts users of different nodes in one conversation, each name once, answers settled in order', async () => {
    const transport = new LocalTransport();
    hubNode(transport);
    const [a, b] = [node('a', transport), node('b', transport)];
    const alice = await login(a, 'alice');
    const bob = await login(b, 'bob');
    expect(alice.session.name).toBe('alice');
    const taken = b.open({ front: 'tcp', deliver: () => undefined });
    const answers: ServerEvent[] = [];
    const again = b.open({ front: 'irc', deliver: (e) => answers.push(e) });
    await again.dispatch({ action: 'login', name: 'ALICE' });
    expect(answers).toEqual([expect.objectContaining({ action: 'login', status: 'duplicate' })]);
    expect(taken.name).toBeNull();

    await alice.session.dispatch({ action: 'connect', target: 'bob' });
    expect(await alice.next('connect')).toMatchObject({ status: 'success', peer: 'bob' });
    expect(await bob.next('connect')).toMatchObject({ status: 'request', from: 'alice' });
    for (let i = 0; i < 20; i++) void alice.session.dispatch({ action: 'exchange', message: `line ${i}` });
    await waitFor('20 lines at bob', () => bob.events.filter((e) => e.action === 'exchange').length === 20);
    expect(bob.events.filter((e) => e.action === 'exchange').map((e) => (e as { message: string }).message)).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i}`));

    await bob.session.dispatch({ action: 'list' });
    expect(await bob.next('list')).toMatchObject({ users: [{ name: 'alice', state: 1 }, { name: 'bob', state: 1 }] });
  });

  it('carries a line to a group\'s members on one node once, as one event every front there shares', async () => {
    const transport = new LocalTransport();
    const published: string[] = [];
    const spy: Transport = {
      publish: (subject, data) => {
        published.push(data);
        transport.publish(subject, data);
      },
      subscribe: (subject, hear) => transport.subscribe(subject, hear),
    };
    hubNode(spy);
    const [a, b] = [node('a', transport), node('b', transport)];
    const here = await Promise.all(['ann', 'amy', 'abe'].map((n) => login(a, n, ['events', 'rooms'])));
    const bob = await login(b, 'bob', ['events', 'rooms']);
    for (const u of [...here, bob]) {
      await u.session.dispatch({ action: 'connect', target: '#shared' });
      await u.next('connect');
    }
    await bob.session.dispatch({ action: 'exchange', message: 'said once, heard thrice' });
    const heard = await Promise.all(here.map((u) => u.next('exchange')));
    expect(heard[0]).toMatchObject({ message: 'said once, heard thrice', name: 'bob' });
    expect(heard[1]).toBe(heard[0]);
    expect(heard[2]).toBe(heard[0]);
    expect(published.join('').split('said once, heard thrice').length - 1).toBe(1);
  });

  it('takes a node that falls silent for dead: its users leave, their names come free', async () => {
    const transport = new LocalTransport();
    hubNode(transport);
    const [a, b] = [node('a', transport), node('b', transport)];
    const alice = await login(a, 'alice');
    const bob = await login(b, 'bob');
    await alice.session.dispatch({ action: 'connect', target: 'bob' });
    await bob.next('connect');
    b.stop();
    expect(await alice.next('disconnect')).toMatchObject({ msg: 'everyone left, you are alone' });
    await login(a, 'bob');
  });

  it('takes a node restarted under the same name for a new life: the old one\'s users quit, the new one is served', async () => {
    const transport = new LocalTransport();
    hubNode(transport);
    const before = node('a', transport);
    await login(before, 'alice');
    before.stop();
    const after = links.node('a', transport, { now: () => Date.now() + 1 });
    await login(after, 'bob');
    await login(after, 'alice');
  });

  it('ends the sessions of a hub that is gone as at a restart when no hub takes over within the lease, and serves the next hub', async () => {
    const transport = new LocalTransport();
    const first = hubNode(transport);
    const a = node('a', transport);
    const alice = await login(a, 'alice');
    first.host.stop();
    expect(await alice.next('restart')).toMatchObject({ action: 'restart' });
    expect(await alice.next('error')).toMatchObject({ code: 'killed' });
    expect(alice.session.name).toBe('alice');
    hubNode(transport);
    await login(a, 'alice');
  });

  it('gives every member every line once and in one order over a bus that drops, repeats and reorders', async () => {
    const bus = new LocalTransport();
    const sides = [1, 2, 3, 4].map((seed) => new LossyTransport(bus, { drop: 0.1, duplicate: 0.1, reorder: 0.1 }, seed));
    await everyLineOnce(links, sides, 100, 20_000);
    const lost = sides.reduce((n, s) => n + s.counts.dropped + s.counts.duplicated + s.counts.reordered, 0);
    expect(lost).toBeGreaterThan(20);
  }, 30_000);

  it('hands the sessions to the hub that takes over: names, groups and order kept, unanswered calls answered, the dead node\'s users quit', async () => {
    const transport = new LocalTransport();
    const history = new MemoryHistory();
    const first = hubNode(transport, hubOn(history));
    const [a, b, d] = [node('a', transport), node('b', transport), node('d', transport)];
    const alice = await login(a, 'alice', ['events', 'rooms']);
    const bob = await login(b, 'bob');
    const dave = await login(d, 'dave', ['events']);
    await bob.session.dispatch({ action: 'connect', target: 'alice' });
    const pair = (await alice.next('connect')) as { group: number };
    await alice.session.dispatch({ action: 'connect', target: '#r' });
    await dave.session.dispatch({ action: 'connect', target: '#r' });
    const room = (await alice.next('connect')) as { group: number };
    await alice.session.dispatch({ action: 'exchange', message: 'before', group: pair.group });
    expect(await bob.next('exchange')).toMatchObject({ message: 'before' });

    // The hub's node dies with dave's: bob's line goes to a hub that never answers.
    first.host.stop();
    d.stop();
    const unanswered = bob.session.dispatch({ action: 'exchange', message: 'into the void' });
    await waitFor('the hub to be lost', () => !a.connected && !b.connected);
    await unanswered;
    expect(await bob.next('error')).toMatchObject({ code: 'unavailable', for: 'exchange' });
    const second = hubNode(transport, hubOn(history));
    await waitFor('the next hub to be heard', () => a.connected && b.connected);

    for (let i = 0; i < 5; i++) void bob.session.dispatch({ action: 'exchange', message: `after ${i}` });
    await alice.session.dispatch({ action: 'exchange', message: 'and back', group: pair.group });
    await waitFor('five lines at alice', () => alice.events.filter((e) => e.action === 'exchange' && e.message.startsWith('after')).length === 5);
    expect(alice.events.filter((e) => e.action === 'exchange').map((e) => (e as { message: string }).message)).toEqual(['after 0', 'after 1', 'after 2', 'after 3', 'after 4']);
    expect(await bob.next('exchange')).toMatchObject({ message: 'and back', group: pair.group });
    expect(await alice.next('leave')).toMatchObject({ name: 'dave', group: room.group, quit: true });
    for (const u of [alice, bob]) expect(u.events.some((e) => e.action === 'restart')).toBe(false);
    expect([alice.session.name, bob.session.name]).toEqual(['alice', 'bob']);
    expect(second.hub.groups.get(pair.group)?.members.map((m) => m.member.name)).toEqual(['alice', 'bob']);
    await login(a, 'dave');
  });

  it('gives a member the lines a dead hub stored but never got to its node, from the history, once and in order, before the lines said after', async () => {
    const inner = new LocalTransport();
    // The bus to node a fails while the first hub still runs: what it sends there is lost with it.
    let cut = false;
    const transport: Transport = {
      publish: (subject, data) => (cut && subject === nodeSubject('a') ? undefined : inner.publish(subject, data)),
      subscribe: (subject, hear) => inner.subscribe(subject, hear),
    };
    const history = new MemoryHistory();
    const first = hubNode(transport, hubOn(history));
    const [a, b] = [node('a', transport), node('b', transport)];
    const alice = await login(a, 'alice', ['events']);
    const bob = await login(b, 'bob', ['events']);
    await bob.session.dispatch({ action: 'connect', target: 'alice' });
    await alice.next('connect');
    await bob.session.dispatch({ action: 'exchange', message: 'heard' });
    await alice.next('exchange');
    cut = true;
    for (const text of ['lost 1', 'lost 2', 'lost 3']) await bob.session.dispatch({ action: 'exchange', message: text });
    first.host.stop();
    await waitFor('the hub to be lost', () => !a.connected && !b.connected);
    cut = false;
    hubNode(transport, hubOn(history));
    await waitFor('the next hub to be heard', () => a.connected && b.connected);
    await bob.session.dispatch({ action: 'exchange', message: 'after' });
    const said = (): string[] => alice.events.flatMap((e) => (e.action === 'exchange' ? [e.message] : []));
    await waitFor('the line said after at alice', () => said().includes('after'));
    expect(said()).toEqual(['heard', 'lost 1', 'lost 2', 'lost 3', 'after']);
    const seqs = alice.events.flatMap((e) => (e.action === 'exchange' ? [e.seq] : []));
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
    expect(bob.events.filter((e) => e.action === 'exchange')).toEqual([]);
  });

  it('ends only the session the next hub cannot take on (its name was taken meanwhile)', async () => {
    const transport = new LocalTransport();
    const history = new MemoryHistory();
    const first = hubNode(transport, hubOn(history));
    const a = node('a', transport);
    const alice = await login(a, 'alice');
    const bob = await login(a, 'bob');
    first.host.stop();
    await waitFor('the hub to be lost', () => !a.connected);
    const hub = hubOn(history);
    await hub.open({ front: 'web', deliver: () => undefined }).dispatch({ action: 'login', name: 'alice' });
    hubNode(transport, hub);
    expect(await alice.next('restart')).toMatchObject({ action: 'restart' });
    await bob.session.dispatch({ action: 'list' });
    expect(await bob.next('list')).toMatchObject({ users: [{ name: 'alice' }, { name: 'bob' }] });
    expect(bob.events.some((e) => e.action === 'restart')).toBe(false);
  });

  it('keeps the calls made while no hub is heard for the next one: a session opened meanwhile logs in, a line said meanwhile is delivered once', async () => {
    const transport = new LocalTransport();
    const history = new MemoryHistory();
    const first = hubNode(transport, hubOn(history));
    const a = node('a', transport);
    const alice = await login(a, 'alice');
    const bob = await login(a, 'bob');
    await alice.session.dispatch({ action: 'connect', target: 'bob' });
    await bob.next('connect');
    first.host.stop();
    await waitFor('the hub to be lost', () => !a.connected);
    const said = alice.session.dispatch({ action: 'exchange', message: 'while nobody listened' });
    const carol = login(a, 'carol');
    hubNode(transport, hubOn(history));
    await said;
    expect(await bob.next('exchange')).toMatchObject({ message: 'while nobody listened' });
    expect((await carol).session.name).toBe('carol');
    expect(alice.events.some((e) => e.action === 'error')).toBe(false);
  });
});
