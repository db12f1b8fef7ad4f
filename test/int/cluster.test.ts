/**
 * Three server processes as one server, on a private PostgreSQL and nats-server: users of the
 * native, IRC and web fronts spread over the nodes share a room and direct conversations, each
 * line exactly once and in one order; names are unique across nodes; `who` lists everyone; a
 * node killed with SIGKILL takes its users offline within the lease, and the hub moves when
 * its node dies, losing no line and none of the other nodes' users.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { clusterNeed, hubHeardEverywhere, hubLetGo, nodeClients, runsHub, startCluster, type TestCluster } from '../helpers/cluster.js';
import { describeNeeds } from '../helpers/needs.js';
import type { ServerProc } from '../helpers/server-proc.js';
import { waitFor } from '../helpers/wait.js';

const ENGINES = clusterNeed('three nodes behave as one server');
const LEASE_MS = 1500;
/** How long a hub take-over may take here: about 3.5 s when quiet, room for a machine loaded several times over. */
const TAKEOVER_MS = LEASE_MS * 10;

describeNeeds(ENGINES)('cluster mode: three nodes', () => {
  let cluster: TestCluster;
  let nodes: ServerProc[];
  const closers: (() => void)[] = [];
  const { classic, irc, web, closeAll } = nodeClients();

  beforeAll(async () => {
    cluster = await startCluster(['n1', 'n2', 'n3'], { leaseMs: LEASE_MS });
    nodes = cluster.nodes;
    await hubHeardEverywhere(cluster);
  }, 60_000);

  afterEach(() => {
    for (const close of closers.splice(0)) close();
    closeAll();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('puts users of every front on every node in one room and a direct conversation, each line once and in order', async () => {
    const [n1, n2, n3] = nodes as [ServerProc, ServerProc, ServerProc];
    const alice = await classic(n1, 'alice', ['events', 'rooms']);
    const bob = await irc(n2, 'bob');
    const carol = await web(n3, 'carol');
    alice.send({ action: 'connect', target: '#x' });
    await alice.next('connect');
    bob.send('JOIN #x');
    await bob.expect(/ 366 bob #x /);
    carol.send({ action: 'connect', target: '#x' });
    await carol.next('connect');
    // Listens on another node and says nothing: it hears all three, so it shows the one order.
    const lee = await web(n2, 'lee');
    lee.send({ action: 'connect', target: '#x' });
    await lee.next('connect');

    const N = 60;
    for (let i = 0; i < N; i++) {
      alice.send({ action: 'exchange', message: `a${i}` });
      bob.send(`PRIVMSG #x :b${i}`);
      carol.send({ action: 'exchange', message: `c${i}` });
    }
    const lines = (from: string): string[] => Array.from({ length: N }, (_, i) => `${from}${i}`);
    const heardByAlice: string[] = [];
    const heardByCarol: string[] = [];
    for (let i = 0; i < 2 * N; i++) heardByAlice.push(String((await alice.next('exchange', 10_000))['message']));
    for (let i = 0; i < 2 * N; i++) heardByCarol.push(String((await carol.next('exchange', 10_000))['message']));
    const heardByBob: string[] = [];
    for (let i = 0; i < 2 * N; i++) heardByBob.push((await bob.expect(/ PRIVMSG #x :/, 10_000)).split(' :').slice(1).join(' :'));
    // Each sender's lines in the order sent, none twice, none missing, and every member hears them in one order.
    expect(heardByAlice.filter((l) => l.startsWith('b'))).toEqual(lines('b'));
    expect(heardByAlice.filter((l) => l.startsWith('c'))).toEqual(lines('c'));
    expect(heardByCarol.filter((l) => l.startsWith('a'))).toEqual(lines('a'));
    expect(heardByBob.filter((l) => l.startsWith('a'))).toEqual(lines('a'));
    const all: string[] = [];
    for (let i = 0; i < 3 * N; i++) all.push(String((await lee.next('exchange', 10_000))['message']));
    expect(heardByAlice).toEqual(all.filter((l) => !l.startsWith('a')));
    expect(heardByBob).toEqual(all.filter((l) => !l.startsWith('b')));
    expect(heardByCarol).toEqual(all.filter((l) => !l.startsWith('c')));
    // Nothing came twice: a line said after the last one is the next each member hears.
    lee.send({ action: 'exchange', message: 'marker from lee' });
    expect(await alice.next('exchange')).toMatchObject({ message: 'marker from lee' });
    expect(await carol.next('exchange')).toMatchObject({ message: 'marker from lee' });
    expect(await bob.expect(/ PRIVMSG #x :/)).toMatch(/^:lee!\S+ PRIVMSG #x :marker from lee$/);
    alice.send({ action: 'exchange', message: 'marker from alice' });
    expect(await lee.next('exchange')).toMatchObject({ message: 'marker from alice' });
    expect(await carol.next('exchange')).toMatchObject({ message: 'marker from alice' });
    expect(await bob.expect(/ PRIVMSG #x :/)).toMatch(/^:alice!\S+ PRIVMSG #x :marker from alice$/);

    bob.send('PRIVMSG carol :psst');
    expect(await carol.next('exchange')).toMatchObject({ message: 'psst', name: 'bob', direct: true });
    carol.send({ action: 'direct', target: 'bob', message: 'hello back' });
    await bob.expect(/^:carol!\S+ PRIVMSG bob :hello back$/);
    // And nothing twice in the direct conversation either.
    bob.send('PRIVMSG carol :marker from bob');
    expect(await carol.next('exchange')).toMatchObject({ message: 'marker from bob', direct: true });
    carol.send({ action: 'direct', target: 'bob', message: 'marker from carol' });
    expect(await bob.expect(/ PRIVMSG /)).toMatch(/^:carol!\S+ PRIVMSG bob :marker from carol$/);
  });

  it('keeps each name once across the nodes, and lists everyone online on every node', async () => {
    const [n1, n2, n3] = nodes as [ServerProc, ServerProc, ServerProc];
    await classic(n1, 'dave');
    const twin = await ClassicClient.open(n2.ports['tcp']!);
    closers.push(() => twin.socket.destroy());
    twin.send({ action: 'login', name: 'DAVE' });
    expect(await twin.next('login')).toMatchObject({ status: 'duplicate' });
    await irc(n3, 'erin');
    const who = await web(n2, 'fay');
    who.send({ action: 'list' });
    const list = await who.next('list');
    expect((list['users'] as { name: string }[]).map((u) => u.name).sort()).toEqual(['dave', 'erin', 'fay']);
    // Each name is leased in PostgreSQL by the node its user is on, which keeps it theirs across a hub take-over.
    const db = new pg.Client({ connectionString: cluster.url });
    await db.connect();
    try {
      const leases = await db.query<{ key: string; node: string }>("SELECT key, node FROM name_leases WHERE key IN ('dave', 'erin', 'fay') ORDER BY key");
      expect(leases.rows).toEqual([
        { key: 'dave', node: 'n1' },
        { key: 'erin', node: 'n3' },
        { key: 'fay', node: 'n2' },
      ]);
      const renewed = await db.query<{ node: string }>('SELECT node FROM cluster_nodes WHERE expires_at > now() ORDER BY node');
      expect(renewed.rows.map((r) => r.node)).toEqual(['n1', 'n2', 'n3']);
    } finally {
      await db.end();
    }
  });

  it('takes the users of a node killed with SIGKILL offline within the lease; their names come free', async () => {
    const spare = await cluster.node('n4');
    const hub = await cluster.hub();
    const other = nodes.find((n) => n !== spare && n !== hub && n.proc.exitCode === null)!;
    const gina = await classic(spare, 'gina');
    const hal = await classic(other, 'hal');
    hal.send({ action: 'connect', target: 'gina' });
    await hal.next('connect');
    await gina.next('connect');
    spare.proc.kill();
    const started = Date.now();
    expect(await hal.next('disconnect', LEASE_MS * 4)).toMatchObject({ msg: 'everyone left, you are alone' });
    expect(Date.now() - started).toBeLessThan(LEASE_MS * 4);
    await classic(other, 'gina');
  });

  it('moves the hub when its node is killed: the others take it within the lease, their users go on, and every line stored before is found', async () => {
    const hub = await cluster.hub();
    const other = nodes.find((n) => n !== hub && n.proc.exitCode === null)!;
    const ivy = await classic(other, 'ivy');
    const jo = await classic(other, 'jo');
    ivy.send({ action: 'connect', target: 'jo' });
    await ivy.next('connect');
    ivy.send({ action: 'exchange', message: 'kept across the move' });
    await jo.next('exchange');
    const since = other.proc.err.length;
    hub.proc.kill();
    await waitFor('another node to run the hub', () => nodes.some((n) => n !== hub && runsHub(n)), TAKEOVER_MS);
    await hubLetGo(other, since, TAKEOVER_MS);
    // Answered by ivy's node from PostgreSQL, once the hub had stored the line.
    ivy.send({ action: 'search', target: 'kept' });
    expect(String((await ivy.next('search', TAKEOVER_MS))['results'])).toContain('kept across the move');
    ivy.send({ action: 'exchange', message: 'said after the move' });
    expect(await jo.next('exchange', TAKEOVER_MS)).toMatchObject({ message: 'said after the move' });
    // The line said before the move was not given again, nor the one after: the next is the next said.
    ivy.send({ action: 'exchange', message: 'marker' });
    expect(await jo.next('exchange')).toMatchObject({ message: 'marker' });
    expect(ivy.frames.some((f) => f.action === 'restart')).toBe(false);
  });
});
