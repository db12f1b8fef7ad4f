/**
 * Cluster mode under its engines' faults, each test on private PostgreSQL and nats-server
 * instances it may stop: the bus going away (the links go through PostgreSQL meanwhile, so lines
 * are answered and arrive once, in order; /healthz says degraded), and PostgreSQL restarting (lines
 * refused as not stored meanwhile, nothing unstored delivered, everything back by itself).
 */
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import type { LocalNats } from '../../src/engines/nats.js';
import type { LocalPostgres } from '../../src/engines/postgres.js';
import { ClassicClient } from '../helpers/classic-client.js';
import { nodeHealth, ownClusterNeed, startOwnCluster } from '../helpers/cluster.js';
import { describeNeeds } from '../helpers/needs.js';
import type { ServerProc } from '../helpers/server-proc.js';
import { waitForAsync } from '../helpers/wait.js';

const ENGINES = ownClusterNeed('cluster mode survives its engines going away');
const LEASE_MS = 4000;

interface Cluster {
  pg: LocalPostgres;
  /** The database the nodes share. */
  url: string;
  nats: LocalNats;
  hub: ServerProc;
  other: ServerProc;
}

describeNeeds(ENGINES)('cluster mode: faults of the engines', () => {
  const stops: (() => Promise<void>)[] = [];
  const closers: (() => void)[] = [];

  afterEach(async () => {
    for (const close of closers.splice(0)) close();
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  /** Two nodes on private engines; which one runs the hub is found from their logs. */
  async function twoNodes(): Promise<Cluster> {
    const cluster = await startOwnCluster(['f1', 'f2'], { leaseMs: LEASE_MS, env: { FRONTS: 'tcp,web' } });
    stops.push(() => cluster.stop());
    const hub = await cluster.hub();
    return { pg: cluster.pg, url: cluster.url, nats: cluster.nats, hub, other: cluster.nodes.find((n) => n !== hub)! };
  }

  const classic = async (node: ServerProc, name: string): Promise<ClassicClient> => {
    const c = await ClassicClient.login(node.ports['tcp']!, name);
    closers.push(() => c.socket.destroy());
    return c;
  };

  /** Alice on the node without the hub and bob on the hub's node, in one group. */
  async function pair(c: Cluster): Promise<[ClassicClient, ClassicClient]> {
    const alice = await classic(c.other, 'alice');
    const bob = await classic(c.hub, 'bob');
    alice.send({ action: 'connect', target: 'bob' });
    await alice.next('connect');
    await bob.next('connect');
    return [alice, bob];
  }

  it('keeps answering and delivering through a bus outage, by way of PostgreSQL: lines said meanwhile arrive once, in order', async () => {
    const c = await twoNodes();
    const [alice, bob] = await pair(c);
    expect((await nodeHealth(c.other)).body).toMatchObject({ status: 'ok', cluster: { bus: true, hubHeard: true } });
    await c.nats.stop();
    await waitForAsync('the node to report the bus away', async () => (await nodeHealth(c.other)).status === 503, 5000);
    expect((await nodeHealth(c.other)).body).toMatchObject({ status: 'degraded', cluster: { bus: false, hubHeard: true, postgres: true } });
    for (let i = 0; i < 20; i++) alice.send({ action: 'exchange', message: `during ${i}` });
    const heard: string[] = [];
    for (let i = 0; i < 20; i++) heard.push(String((await bob.next('exchange', LEASE_MS))['message']));
    expect(heard).toEqual(Array.from({ length: 20 }, (_, i) => `during ${i}`));
    // Both ways, and requests are answered, while the bus is still away.
    bob.send({ action: 'exchange', message: 'back to you' });
    expect(await alice.next('exchange', LEASE_MS)).toMatchObject({ message: 'back to you' });
    alice.send({ action: 'list' });
    expect(await alice.next('list', LEASE_MS)).toMatchObject({ action: 'list' });
    expect((await nodeHealth(c.other)).body.cluster).toMatchObject({ bus: false });
    await c.nats.start();
    await waitForAsync('the node to report healthy again', async () => (await nodeHealth(c.other)).status === 200, 5000);
    const metrics = await (await fetch(`http://127.0.0.1:${c.other.ports['web']}/metrics`)).text();
    expect(metrics).toMatch(/^ics_chat_cluster_hub 0$/m);
    expect(metrics).toMatch(/^ics_chat_cluster_bus_up 1$/m);
    expect(Number(/^ics_chat_cluster_link_seconds_count (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/^ics_chat_cluster_resent_total \d+$/m);
    bob.send({ action: 'exchange', message: 'after' });
    expect(await alice.next('exchange')).toMatchObject({ message: 'after' });
    await bob.sync();
    expect(bob.pending()).toEqual([]);
  });

  it('refuses lines as not stored while PostgreSQL is away, delivers none of them, and goes on once it is back', async () => {
    const c = await twoNodes();
    const [alice, bob] = await pair(c);
    await c.pg.stop();
    alice.send({ action: 'exchange', message: 'not kept' });
    expect(await alice.next('error', 10_000)).toMatchObject({ code: 'not-stored' });
    // The node without the hub says so too: it reaches PostgreSQL itself (its lease).
    await waitForAsync('the node to report PostgreSQL away', async () => (await nodeHealth(c.other)).body.cluster?.postgres === false, 5000);
    expect((await nodeHealth(c.other)).body).toMatchObject({ status: 'degraded', cluster: { postgres: false } });
    await c.pg.start();
    // The hub goes on with the same sessions: a line a second is tried until one is stored and delivered.
    let sent = 1;
    let delivered = null;
    while (delivered === null && sent < 60) {
      alice.send({ action: 'exchange', message: `retry ${sent++}` });
      delivered = await bob.next('exchange', 300).catch(() => null);
    }
    expect(delivered).not.toBeNull();
    await alice.sync();
    await bob.sync();
    // Every line was either refused to its sender or delivered, never both, never neither.
    const refused = 1 + alice.pending().filter((e) => e.action === 'error' && e['code'] === 'not-stored').length;
    const heard = 1 + bob.pending().filter((e) => e.action === 'exchange').length;
    expect(refused + heard).toBe(sent);
    expect(bob.pending().some((e) => e['message'] === 'not kept')).toBe(false);
    expect(c.other.proc.out.includes('this node runs the hub')).toBe(false);
    // What bob heard is what is stored, and nothing else is.
    const db = new pg.Client({ connectionString: c.url });
    await db.connect();
    try {
      const stored = (await db.query<{ text: string }>('SELECT text FROM history_lines ORDER BY grp, seq')).rows.map((r) => r.text);
      expect(stored).toEqual([delivered!['message'], ...bob.pending().filter((e) => e.action === 'exchange').map((e) => e['message'])]);
    } finally {
      await db.end();
    }
    await waitForAsync('the node to report healthy again', async () => (await nodeHealth(c.other)).status === 200, 5000);
    expect((await nodeHealth(c.other)).body.cluster).toMatchObject({ postgres: true });
  });
});
