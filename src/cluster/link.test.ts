import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait.js';
import { Hub } from '../core/hub.js';
import { MemoryAccounts } from '../core/memory-accounts.js';
import { MemoryHistory } from '../core/memory-history.js';
import type { Feature, ServerEvent } from '../core/protocol.js';
import type { Session } from '../core/session.js';
import { parseSonnets, SonnetBook } from '../core/sonnets.js';
import { HubHost, type LinkTiming } from './hub-host.js';
import { RemoteHub } from './remote-hub.js';
import { LocalTransport } from './transport.js';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const timing: LinkTiming = { heartbeatMs: 10, leaseMs: 80 };
const stops: (() => void)[] = [];

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

function hubNode(transport: LocalTransport): { hub: Hub; host: HubHost } {
  const hub = new Hub({ history: new MemoryHistory(), accounts: new MemoryAccounts(), sonnets: new SonnetBook(parseSonnets('I.\n\nFrom fairest creatures we desire increase,\n')), clock: { now: () => new Date() }, log: quiet });
  const host = new HubHost(hub, transport, timing, quiet);
  host.start();
  stops.push(() => host.stop());
  return { hub, host };
}

function node(name: string, transport: LocalTransport): RemoteHub {
  const remote = new RemoteHub(name, transport, timing, quiet);
  remote.start();
  stops.push(() => remote.stop());
  return remote;
}

interface User {
  session: Session;
  events: ServerEvent[];
  next(action: string): Promise<ServerEvent>;
}

async function login(remote: RemoteHub, name: string, features: Feature[] = []): Promise<User> {
  const events: ServerEvent[] = [];
  let seen = 0;
  const session = remote.open({ front: 'tcp', features, deliver: (e) => events.push(e) });
  await session.dispatch({ action: 'login', name });
  const user: User = {
    session,
    events,
    next: (action) =>
      waitFor(`${name} to get ${action}`, () => {
        const at = events.findIndex((e, i) => i >= seen && e.action === action);
        if (at < 0) return null;
        seen = at + 1;
        return events[at];
      }),
  };
  expect(events.at(-1)).toMatchObject({ action: 'login', status: 'ok' });
  return user;
}

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

  it('ends the sessions of a hub that is gone as at a restart, and serves the next hub', async () => {
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

  it('starts over after a break in the bus: the users it carried are told of a restart, and their names come free', async () => {
    const transport = new LocalTransport();
    hubNode(transport);
    const a = node('a', transport);
    const alice = await login(a, 'alice');
    transport.reconnect();
    expect(await alice.next('restart')).toMatchObject({ action: 'restart' });
    expect(await alice.next('error')).toMatchObject({ code: 'killed' });
    await login(a, 'alice');
  });
});
