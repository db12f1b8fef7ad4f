import { afterEach, describe, expect, it } from 'vitest';
import { LinkHarness, login, type LinkUser } from '../../test/helpers/link-harness.js';
import { waitFor } from '../../test/helpers/wait.js';
import type { FoundLine, HistoryPlace, PageRequest } from '../core/history.js';
import { MemoryHistory } from '../core/memory-history.js';
import { nodeSubject } from './link-protocol.js';
import { LocalTransport, type Transport } from './transport.js';

const links = new LinkHarness({ heartbeatMs: 20, leaseMs: 1500 });
afterEach(() => links.stopAll());

/** The hub's side of the bus, where a test can shut off what the hub sends one node. */
class Gate implements Transport {
  readonly shut = new Set<string>();

  constructor(private readonly inner: Transport) {}

  publish(subject: string, data: string): void {
    if (!this.shut.has(subject)) this.inner.publish(subject, data);
  }

  subscribe(subject: string, hear: (data: string) => void): () => void {
    return this.inner.subscribe(subject, hear);
  }
}

/** A memory history that counts the pages read from it. */
class CountedHistory extends MemoryHistory {
  reads = 0;

  override page(userKey: string, place: HistoryPlace, request: PageRequest): FoundLine[] {
    this.reads++;
    return super.page(userKey, place, request);
  }
}

const said = (u: LinkUser): string[] => u.events.filter((e) => e.action === 'exchange').map((e) => (e as { message: string }).message);

/** A hub whose streams keep at most 5 batches unacknowledged, alice on node a and bob on node b in one room; what the hub sends a can be shut off. */
async function roomOverTwoNodes(history = new MemoryHistory()): Promise<{ gate: Gate; alice: LinkUser; bob: LinkUser; a: ReturnType<typeof links.node> }> {
  const transport = new LocalTransport();
  const gate = new Gate(transport);
  links.hubNode(gate, links.hubOn(history), 5);
  const a = links.node('a', transport);
  const alice = await login(a, 'alice', ['events', 'rooms']);
  const bob = await login(links.node('b', transport), 'bob', ['events', 'rooms']);
  for (const u of [alice, bob]) {
    await u.session.dispatch({ action: 'connect', target: '#tea' });
    await u.next('connect');
  }
  return { gate, alice, bob, a };
}

describe('a node that falls too far behind the hub', () => {
  it('takes its stream up again: its users stay where they were and hear every line they missed from the history, once and in order', async () => {
    const { gate, alice, bob } = await roomOverTwoNodes();
    const seenByBob = bob.events.length;
    gate.shut.add(nodeSubject('a'));
    // Each line its own turn of the hub, so its own batch: the sixth is more than node a's stream may keep.
    for (let i = 0; i < 12; i++) await bob.session.dispatch({ action: 'exchange', message: `line ${i}` });
    gate.shut.clear();
    await waitFor('alice to hear the 12 lines', () => said(alice).length >= 12);
    await bob.session.dispatch({ action: 'exchange', message: 'after' });
    await waitFor('alice to hear the line after', () => said(alice).length === 13);
    expect(said(alice)).toEqual([...Array.from({ length: 12 }, (_, i) => `line ${i}`), 'after']);
    // Nobody saw alice go: she never left.
    expect(JSON.stringify(bob.events.slice(seenByBob))).not.toContain('alice');
    await alice.session.dispatch({ action: 'exchange', message: 'still here' });
    await waitFor('bob to hear alice', () => said(bob).includes('still here'));
    await bob.session.dispatch({ action: 'list' });
    expect(await bob.next('list')).toMatchObject({ users: [{ name: 'alice' }, { name: 'bob' }] });
  });

  it('reads the lines its users missed once for all of them in a group', async () => {
    const history = new CountedHistory();
    const { gate, alice, bob, a } = await roomOverTwoNodes(history);
    const carol = await login(a, 'carol', ['events', 'rooms']);
    await carol.session.dispatch({ action: 'connect', target: '#tea' });
    await carol.next('connect');
    gate.shut.add(nodeSubject('a'));
    for (let i = 0; i < 12; i++) await bob.session.dispatch({ action: 'exchange', message: `line ${i}` });
    const before = history.reads;
    gate.shut.clear();
    await waitFor('alice and carol to hear the 12 lines', () => said(alice).length === 12 && said(carol).length === 12);
    for (const u of [alice, carol]) expect(said(u)).toEqual(Array.from({ length: 12 }, (_, i) => `line ${i}`));
    expect(history.reads - before).toBe(1);
  });

  it('ends its sessions as a vanished node\'s when it does not take the stream up again within the lease', async () => {
    const { gate, bob } = await roomOverTwoNodes();
    gate.shut.add(nodeSubject('a'));
    for (let i = 0; i < 8; i++) await bob.session.dispatch({ action: 'exchange', message: `line ${i}` });
    expect(await bob.next('leave')).toMatchObject({ name: 'alice', reason: 'Node went away' });
  });
});
