/**
 * Password accounts in a cluster: a name registered through one node is proven with its password
 * through the others, on other fronts; failed logins count against one budget per name wherever
 * they are made, so guesses spread over nodes meet the same limit, and it holds when the hub
 * moves to another node (the buckets live in PostgreSQL, not in the hub's process).
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { clusterNeed, hubHeardEverywhere, hubLetGo, nodeClients, runsHub, startCluster, type TestCluster } from '../helpers/cluster.js';
import { RawIrc } from '../helpers/irc-raw.js';
import { describeNeeds } from '../helpers/needs.js';
import type { ServerProc } from '../helpers/server-proc.js';
import { waitFor, waitForAsync } from '../helpers/wait.js';
import { WsClient } from '../helpers/ws-client.js';

const ENGINES = clusterNeed('password logins and their limits hold across nodes');
const LEASE_MS = 1500;
/** How long a hub take-over may take here: about 3.5 s when quiet, room for a machine loaded several times over. */
const TAKEOVER_MS = LEASE_MS * 10;
const PER_NAME = 3;

describeNeeds(ENGINES)('cluster mode: password accounts across nodes', () => {
  let cluster: TestCluster;
  let n1: ServerProc, n2: ServerProc, n3: ServerProc;
  const { classic, closeAll } = nodeClients();
  const open: { close(): void }[] = [];
  const track = <C extends { close(): void }>(c: C): C => {
    open.push(c);
    return c;
  };

  beforeAll(async () => {
    // The cheapest password cost keeps the checks fast; every client is on 127.0.0.1, so only the name's budget is tight.
    const env = { PASSWORD_COST: '12', LOGIN_FAILURES_PER_NAME: String(PER_NAME), LOGIN_FAILURES_PER_ADDRESS: '1000' };
    cluster = await startCluster(['p1', 'p2', 'p3'], { leaseMs: LEASE_MS, env });
    [n1, n2, n3] = cluster.nodes as [ServerProc, ServerProc, ServerProc];
    await hubHeardEverywhere(cluster);
  }, 60_000);

  afterEach(() => {
    for (const c of open.splice(0)) c.close();
    closeAll();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  /** Registers `name` through `node` as a guest of the native front, logs it out, and waits until the cluster has let the name go. */
  async function registered(node: ServerProc, name: string, password: string): Promise<void> {
    const owner = await ClassicClient.login(node.ports['tcp']!, name);
    owner.send({ action: 'register', password });
    expect(await owner.next('register')).toMatchObject({ status: 'ok', name });
    owner.close();
    await offline(node, name);
  }

  let watchers = 0;
  /** Returns once `name` is no longer listed online (asked through `node`). */
  async function offline(node: ServerProc, name: string): Promise<void> {
    const watcher = await classic(node, `watcher${++watchers}`);
    await waitForAsync(`${name} to go offline`, async () => {
      watcher.send({ action: 'list' });
      const users = (await watcher.next('list'))['users'] as { name: string }[];
      return !users.some((u) => u.name === name);
    });
  }

  async function tcpLogin(node: ServerProc, name: string, password: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const c = track(await ClassicClient.open(node.ports['tcp']!));
    c.send({ action: 'login', name, password });
    return c.next('login', timeoutMs);
  }

  async function webLogin(node: ServerProc, name: string, password: string): Promise<Record<string, unknown>> {
    const c = track(await WsClient.open(node.ports['web']!));
    c.send({ action: 'login', name, password });
    return c.next('login', 10_000);
  }

  it('logs a name registered through one node in with its password through the others, on other fronts', async () => {
    await registered(n1, 'amy', 'amys password');
    expect(await tcpLogin(n3, 'amy', 'not amys password')).toMatchObject({ status: 'denied', msg: 'wrong password for amy' });
    const web = track(await WsClient.open(n2.ports['web']!));
    web.send({ action: 'login', name: 'amy', password: 'amys password', features: ['events'] });
    expect(await web.next('login', 10_000)).toMatchObject({ status: 'ok', name: 'amy', registered: true });
    // Without the password the name stays hers on every node, online or not.
    const guest = track(await ClassicClient.open(n3.ports['tcp']!));
    guest.send({ action: 'login', name: 'amy' });
    expect(await guest.next('login')).toMatchObject({ status: 'duplicate', credential: 'password' });
    web.close();
    await offline(n2, 'amy');

    const pass = track(await RawIrc.open(n3.ports['irc']!));
    pass.send('PASS :amys password', 'NICK amy', 'USER amy 0 * :Amy');
    await pass.expect(/ 001 amy /, 10_000);
    pass.send('PRIVMSG ics :register another password');
    await pass.expect(/you are logged in to it/);
  });

  it('counts failed logins made through different nodes against one budget per name, which holds when the hub moves', async () => {
    await registered(n1, 'bo', 'bos password');
    // Two guesses through one node and one through another: neither node alone saw PER_NAME.
    expect(await tcpLogin(n1, 'bo', 'guess one')).toMatchObject({ status: 'denied' });
    expect(await webLogin(n2, 'bo', 'guess two')).toMatchObject({ status: 'denied' });
    expect(await tcpLogin(n1, 'bo', 'guess three')).toMatchObject({ status: 'denied' });

    for (const login of [() => webLogin(n2, 'bo', 'bos password'), () => tcpLogin(n3, 'bo', 'bos password')]) {
      const limited = await login();
      expect(limited).toMatchObject({ status: 'limited', msg: expect.stringMatching(/^too many failed logins for bo: try again in \d+ s$/) });
      expect(limited['retryAfter']).toBeGreaterThan(0);
    }
    const pass = track(await RawIrc.open(n2.ports['irc']!));
    pass.send('PASS :bos password', 'NICK bo', 'USER bo 0 * :Bo');
    await pass.expect(/ 464 \* :Password incorrect: too many failed logins for bo/);

    const hub = await cluster.hub();
    const survivor = cluster.nodes.find((n) => n !== hub)!;
    const since = survivor.proc.err.length;
    hub.proc.child.kill('SIGKILL');
    await waitFor('another node to run the hub', () => cluster.nodes.find((n) => n !== hub && runsHub(n)), TAKEOVER_MS);
    await hubLetGo(survivor, since, TAKEOVER_MS);
    // Answered once the survivor's node has heard the next hub.
    expect(await tcpLogin(survivor, 'bo', 'bos password', TAKEOVER_MS)).toMatchObject({ status: 'limited' });
  }, 60_000);
});
