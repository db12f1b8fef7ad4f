/**
 * The cluster's links in one process, for tests: a hub node (HubHost over a Hub on memory stores)
 * and other nodes (RemoteHub), over whatever transport a test gives them (in process, a real
 * nats-server, a lossy double in front of either), with users logged in through the nodes.
 */
import { expect } from 'vitest';
import { HubHost, type LinkTiming } from '../../src/cluster/hub-host.js';
import { RemoteHub, type RemoteOptions } from '../../src/cluster/remote-hub.js';
import type { Transport } from '../../src/cluster/transport.js';
import { Hub } from '../../src/core/hub.js';
import { MemoryAccounts } from '../../src/core/memory-accounts.js';
import type { HistoryStore } from '../../src/core/history.js';
import { MemoryHistory } from '../../src/core/memory-history.js';
import type { Feature, ServerEvent } from '../../src/core/protocol.js';
import type { Presence } from '../../src/core/presence.js';
import type { OnlineMember, Session } from '../../src/core/session.js';
import { parseSonnets, SonnetBook } from '../../src/core/sonnets.js';
import { waitFor } from './wait.js';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export interface LinkUser {
  session: Session;
  events: ServerEvent[];
  /** The user's next event of that action after the last one this returned. */
  next(action: string): Promise<ServerEvent>;
}

export class LinkHarness {
  private readonly stops: (() => void)[] = [];

  constructor(private readonly timing: LinkTiming) {}

  /** A hub on memory stores; `presence` for one other than its own table. */
  hubOn(history: HistoryStore, presence?: Presence<OnlineMember>): Hub {
    const sonnets = new SonnetBook(parseSonnets('I.\n\nFrom fairest creatures we desire increase,\n'));
    return new Hub({ history, accounts: new MemoryAccounts(), sonnets, clock: { now: () => new Date() }, log: quiet, ...(presence ? { presence } : {}) });
  }

  /** A hub node; `streamCap`: the most batches a node's stream keeps unacknowledged (HubHost's default when absent). */
  hubNode(transport: Transport, hub = this.hubOn(new MemoryHistory()), streamCap?: number): { hub: Hub; host: HubHost } {
    const host = new HubHost(hub, transport, this.timing, quiet, undefined, undefined, streamCap);
    host.start();
    this.stops.push(() => host.stop());
    return { hub, host };
  }

  /** A node; `options` as RemoteHub takes them. */
  node(name: string, transport: Transport, options: RemoteOptions = {}): RemoteHub {
    const remote = new RemoteHub(name, transport, this.timing, quiet, options);
    remote.start();
    this.stops.push(() => remote.stop());
    return remote;
  }

  /** Stops every hub host and node started, for the next test. */
  stopAll(): void {
    for (const stop of this.stops.splice(0)) stop();
  }
}

export async function login(remote: RemoteHub, name: string, features: Feature[] = []): Promise<LinkUser> {
  const events: ServerEvent[] = [];
  let seen = 0;
  const session = remote.open({ front: 'tcp', features, deliver: (e) => events.push(e) });
  await session.dispatch({ action: 'login', name });
  const user: LinkUser = {
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

/**
 * A hub on `sides[0]` and three nodes on the others, a user of each in one room (with `echo`, so
 * each hears its own lines too) saying `lines` lines each at once: every member hears every line
 * exactly once, each sender's in the order said, and all members hear all of them in the one
 * order the hub stored them (seqs 1, 2, 3, ... with none missing or repeated at every member).
 */
export async function everyLineOnce(links: LinkHarness, sides: readonly Transport[], lines: number, timeoutMs: number): Promise<void> {
  links.hubNode(sides[0]!);
  const users = await Promise.all(['a', 'b', 'c'].map(async (n, i) => login(links.node(n, sides[i + 1]!), `user${n}`, ['events', 'rooms', 'echo'])));
  for (const u of users) {
    await u.session.dispatch({ action: 'connect', target: '#lossy' });
    await u.next('connect');
  }
  for (let i = 0; i < lines; i++) for (const [k, u] of users.entries()) void u.session.dispatch({ action: 'exchange', message: `${k}:${i}` });
  const total = users.length * lines;
  const heard = (u: LinkUser): { seq: number; message: string }[] =>
    u.events.flatMap((e) => (e.action === 'exchange' ? [{ seq: e.seq, message: e.message }] : []));
  await waitFor('every line at every member', () => users.every((u) => heard(u).length >= total), timeoutMs);
  // A line said after all of them is the next each member hears: nothing came twice before it.
  void users[0]!.session.dispatch({ action: 'exchange', message: 'last' });
  await waitFor('the last line at every member', () => users.every((u) => heard(u).some((h) => h.message === 'last')), timeoutMs);
  const order = heard(users[0]!);
  expect(order.at(-1)).toMatchObject({ message: 'last' });
  expect(order.map((h) => h.seq)).toEqual(Array.from({ length: total + 1 }, (_, i) => i + 1));
  for (let k = 0; k < users.length; k++) {
    expect(order.filter((h) => h.message.startsWith(`${k}:`)).map((h) => h.message)).toEqual(Array.from({ length: lines }, (_, i) => `${k}:${i}`));
  }
  for (const u of users.slice(1)) expect(heard(u)).toEqual(order);
}
