/**
 * A cluster for tests: server processes as its nodes, on loopback port 0, with a short heartbeat
 * and lease, on a fresh database and bus (engines.ts: DATABASE_URL's and NATS_URL's services
 * when set), or on private PostgreSQL and nats-server instances for tests that stop them. Every
 * process is stopped by `stop`, the nodes first.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalNats } from '../../src/engines/nats.js';
import type { LocalPostgres } from '../../src/engines/postgres.js';
import type { HealthReport } from '../../src/server/status.js';
import { ClassicClient } from './classic-client.js';
import { freshBus, freshDatabase, NATS_NEED, OWN_NATS_NEED, OWN_POSTGRES_NEED, ownNats, ownPostgres, POSTGRES_NEED } from './engines.js';
import type { Need } from './needs.js';
import { spawnServer, UNLIMITED, type ServerProc } from './server-proc.js';
import { waitFor, waitForAsync } from './wait.js';
import { RawIrc } from './irc-raw.js';
import { WsClient } from './ws-client.js';

/** What tests of startCluster's clusters need: both engines, running or installed. */
export const clusterNeed = (proves: string): Need => ({ proves, missing: POSTGRES_NEED.missing ?? NATS_NEED.missing });

/** What tests of startOwnCluster's clusters need: both engines installed. */
export const ownClusterNeed = (proves: string): Need => ({ proves, missing: OWN_POSTGRES_NEED.missing ?? OWN_NATS_NEED.missing });

export interface TestCluster {
  /** The database the nodes share. */
  url: string;
  nodes: ServerProc[];
  /** Starts one more node named `id`. */
  node(id: string): Promise<ServerProc>;
  /** The node that runs the hub now (waits for one). */
  hub(timeoutMs?: number): Promise<ServerProc>;
  /** Stops the nodes (SIGKILL), then the engines. */
  stop(): Promise<void>;
}

/** Clients of each front logged in on a given node; each is closed by the next `closeAll`. */
export function nodeClients(): {
  classic(node: ServerProc, name: string, features?: string[]): Promise<ClassicClient>;
  irc(node: ServerProc, nick: string): Promise<RawIrc>;
  web(node: ServerProc, name: string): Promise<WsClient>;
  closeAll(): void;
} {
  const closers: (() => void)[] = [];
  const kept = <C>(client: C, close: (c: C) => void): C => {
    closers.push(() => close(client));
    return client;
  };
  return {
    classic: async (node, name, features) => kept(await ClassicClient.login(node.ports['tcp']!, name, features), (c) => c.socket.destroy()),
    irc: async (node, nick) => kept(await RawIrc.register(node.ports['irc']!, nick), (c) => c.close()),
    web: async (node, name) => kept(await WsClient.login(node.ports['web']!, name), (c) => c.ws.close()),
    closeAll: () => {
      for (const close of closers.splice(0)) close();
    },
  };
}

/** Whether a node runs the hub now (it said so, and is alive). */
export const runsHub = (n: ServerProc): boolean => n.proc.exitCode === null && n.proc.out.includes('this node runs the hub');

/** A node's /healthz: its status code (503 when degraded) and its report. */
export async function nodeHealth(node: ServerProc): Promise<{ status: number; body: HealthReport }> {
  const res = await fetch(`http://127.0.0.1:${node.ports['web']}/healthz`);
  return { status: res.status, body: (await res.json()) as HealthReport };
}

/**
 * Waits until every live node hears a hub (its /healthz says so): a node queues what its users
 * ask until then, so a test's first login on a node that has not yet heard the hub could wait
 * out its own deadline on a loaded machine.
 */
export async function hubHeardEverywhere(cluster: TestCluster, timeoutMs = 10_000): Promise<void> {
  const heard = async (n: ServerProc): Promise<boolean> => (await nodeHealth(n)).body.cluster?.hubHeard === true;
  for (const n of cluster.nodes.filter((n) => n.proc.exitCode === null)) await waitForAsync(`node ${n.ports['web']} to hear the hub`, () => heard(n), timeoutMs);
}

/**
 * Waits until `node` has let a dead hub go, as its log says after `since` (the length of its
 * standard error before the kill): the hub fell silent, or another took over. Until then the node
 * sends its users' requests to the dead hub, and answers them `unavailable` when it gives that hub
 * up; from then on they wait for the next hub. (A search, answered by the node itself, shows nothing.)
 */
export async function hubLetGo(node: ServerProc, since: number, timeoutMs: number): Promise<void> {
  await waitFor('the node to let the dead hub go', () => /the hub fell silent|another hub took over/.test(node.proc.err.slice(since)), timeoutMs);
}

/** A cluster on private engines, which its test may stop and start. */
export interface OwnTestCluster extends TestCluster {
  pg: LocalPostgres;
  nats: LocalNats;
}

interface ClusterOptions {
  leaseMs: number;
  /** Settings of every node besides the cluster's. */
  env?: Record<string, string>;
}

/** Starts nodes `ids` on a fresh database and bus, private ones unless DATABASE_URL / NATS_URL name running services. */
export async function startCluster(ids: readonly string[], options: ClusterOptions): Promise<TestCluster> {
  const [database, bus] = await Promise.all([freshDatabase('cluster'), freshBus()]);
  return startNodes(ids, options, database.url, bus, async () => {
    await bus.engine?.stop();
    await database.engine?.destroy();
  });
}

/** Starts private engines, for a test that stops them, and nodes `ids` on them. */
export async function startOwnCluster(ids: readonly string[], options: ClusterOptions): Promise<OwnTestCluster> {
  const [pg, nats] = await Promise.all([ownPostgres(), ownNats()]);
  const [database, bus] = await Promise.all([freshDatabase('cluster', pg), freshBus(nats)]);
  const cluster = await startNodes(ids, options, database.url, bus, async () => {
    await nats.stop();
    await pg.destroy();
  });
  return { ...cluster, pg, nats };
}

/** Nodes `ids` on the database at `url` and the bus, and how to stop them and then the engines. */
async function startNodes(ids: readonly string[], options: ClusterOptions, url: string, bus: { url: string; clusterName: string }, stopEngines: () => Promise<void>): Promise<TestCluster> {
  const nodes: ServerProc[] = [];
  const node = async (id: string): Promise<ServerProc> => {
    const started = await spawnServer({
      ...UNLIMITED,
      FRONTS: 'tcp,irc,web',
      ...options.env,
      DATABASE_URL: url,
      NATS_URL: bus.url,
      CLUSTER_NAME: bus.clusterName,
      NODE_ID: id,
      CLUSTER_HEARTBEAT_MS: '100',
      CLUSTER_LEASE_MS: String(options.leaseMs),
      DATA_DIR: mkdtempSync(join(tmpdir(), `ics-${id}-`)),
    });
    nodes.push(started);
    return started;
  };
  for (const id of ids) await node(id);
  return {
    url,
    nodes,
    node,
    hub: (timeoutMs = 10_000) => waitFor('a node to run the hub', () => nodes.find(runsHub), timeoutMs),
    async stop() {
      for (const n of nodes) n.proc.kill();
      await Promise.all(nodes.map((n) => n.proc.exited().catch(() => undefined)));
      await stopEngines();
    },
  };
}
