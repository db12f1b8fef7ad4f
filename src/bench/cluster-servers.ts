/**
 * The cluster set-ups the bench and the soak run beside the single process: a private PostgreSQL
 * (PostgreSQL's durable defaults, fsync on, as in production) and nats-server for the whole run,
 * and for each measurement a fresh database with either one server on it (DATABASE_URL alone) or
 * three nodes (DATABASE_URL and NATS_URL). Pinned, every server-side process goes to the server's
 * core, PostgreSQL's and nats-server's included, so a cluster is measured on the same one core as
 * the single process: what it costs, not how far it spreads (docs/SCALING.md says why).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { SEARCH_APPLICATION, SEARCH_CONNECTIONS } from '../cluster/node-search.js';
import { startNats, type LocalNats } from '../engines/nats.js';
import { startPostgres, type LocalPostgres } from '../engines/postgres.js';
import { startClusterFloorNode, startOurs, SERVER_CPU, type OursOptions, type RunningBenchServer } from './servers.js';
import { processTree } from './stats.js';

/** The private PostgreSQL and nats-server of one run. */
export interface BenchEngines {
  readonly pg: LocalPostgres;
  readonly nats: LocalNats;
  /** A fresh, empty database on the private PostgreSQL, and its URL. */
  database(): Promise<string>;
  stop(): Promise<void>;
}

/** Moves a running process, its threads and its descendants to the server's core; what they fork later inherits it. */
function pinRunning(root: number): void {
  for (const pid of processTree(root)) {
    const r = spawnSync('taskset', ['-a', '-p', '-c', SERVER_CPU, String(pid)], { encoding: 'utf8' });
    // A PostgreSQL helper may end between the listing and the call; anything else is a real failure.
    if (r.status !== 0 && processTree(pid).length > 0) throw new Error(`taskset could not pin ${pid}: ${r.stderr}`);
  }
}

/** Starts the private PostgreSQL and nats-server, pinned to the server's core when `pin`. */
export async function startEngines(pin: boolean): Promise<BenchEngines> {
  const [pg, nats] = await Promise.all([startPostgres({ durable: true }), startNats()]);
  if (pin) for (const pid of [pg.pid, nats.pid]) pinRunning(pid);
  let databases = 0;
  return {
    pg,
    nats,
    database: () => pg.createDatabase(`ics_bench_${process.pid}_${++databases}`),
    stop: async () => {
      await nats.stop();
      await pg.destroy();
    },
  };
}

/** One node of a running cluster, with its id (`n1`...). */
export interface ClusterNode extends RunningBenchServer {
  readonly id: string;
}

/** Nodes started by startCluster, and how to stop them all. */
export interface RunningCluster {
  readonly nodes: readonly ClusterNode[];
  /** The id of the node that runs the hub. */
  readonly hub: string;
  /** Every server-side process by name, for their CPU time: each node, PostgreSQL's postmaster and nats-server. */
  readonly processes: Record<string, number>;
  stop(): Promise<void>;
}

/** startOurs' options for every node, but the output is told with the node's id. */
export interface ClusterOptions extends Omit<OursOptions, 'env' | 'onOutput'> {
  /** Every chunk a node writes, with the node's id. */
  onOutput?: (node: string, text: string) => void;
}

const HUB_LINE = 'cluster: this node runs the hub';

/** Waits until `test` holds, polling, or fails after `ms`. */
async function within(what: string, ms: number, test: () => boolean): Promise<void> {
  const deadline = performance.now() + ms;
  while (!test()) {
    if (performance.now() > deadline) throw new Error(`${what} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * `count` nodes on the database at `url`. The first starts alone and takes the hub; the others
 * then join, so which node runs the hub is known and the same in every measurement.
 */
export async function startCluster(root: string, engines: BenchEngines, url: string, fronts: readonly string[], count: number, options: ClusterOptions = {}): Promise<RunningCluster> {
  const nodes: ClusterNode[] = [];
  const dirs: string[] = [];
  const logs = new Map<string, string>();
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.stop()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  };
  const start = async (id: string): Promise<void> => {
    const dir = mkdtempSync(join(tmpdir(), `bench-${id}-`));
    dirs.push(dir);
    logs.set(id, '');
    const onOutput = (text: string): void => {
      logs.set(id, (logs.get(id)! + text).slice(-8192));
      options.onOutput?.(id, text);
    };
    const env = { DATABASE_URL: url, NATS_URL: engines.nats.url, NODE_ID: id };
    const server = await startOurs(root, dir, fronts, { ...options, env, onOutput });
    nodes.push({ ...server, id, name: `node ${id}` });
  };
  try {
    await start('n1');
    await within('the first node did not take the hub', 30_000, () => logs.get('n1')!.includes(HUB_LINE));
    await Promise.all(Array.from({ length: count - 1 }, (_, i) => start(`n${i + 2}`)));
  } catch (err) {
    await stop();
    throw err;
  }
  nodes.sort((a, b) => a.id.localeCompare(b.id));
  const processes: Record<string, number> = {};
  for (const n of nodes) processes[n.id === 'n1' ? 'n1 (hub)' : n.id] = n.pid;
  processes['PostgreSQL'] = engines.pg.pid;
  processes['nats-server'] = engines.nats.pid;
  return { nodes, hub: 'n1', processes, stop };
}

/** The cluster's Node.js floor (cluster-floor.ts): `count` nodes on the database at `url`, its processes named as startCluster names the cluster's. */
export async function startFloorCluster(root: string, engines: BenchEngines, url: string, count: number): Promise<Omit<RunningCluster, 'hub'>> {
  const nodes: ClusterNode[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.stop()));
  };
  try {
    // One after the other: the first creates the table.
    for (let i = 1; i <= count; i++) nodes.push({ ...(await startClusterFloorNode(root, { DATABASE_URL: url, NATS_URL: engines.nats.url, NODE_ID: `n${i}` })), id: `n${i}` });
  } catch (err) {
    await stop();
    throw err;
  }
  const processes: Record<string, number> = Object.fromEntries(nodes.map((n) => [n.id, n.pid]));
  processes['PostgreSQL'] = engines.pg.pid;
  processes['nats-server'] = engines.nats.pid;
  return { nodes, processes, stop };
}

/** One server on the database at `url` (DATABASE_URL alone: PostgreSQL stores, no bus). */
export async function startOnPostgres(root: string, engines: BenchEngines, url: string, fronts: readonly string[]): Promise<RunningBenchServer & { processes: Record<string, number> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pg-'));
  const server = await startOurs(root, dir, fronts, { env: { DATABASE_URL: url } });
  return {
    ...server,
    processes: { server: server.pid, PostgreSQL: engines.pg.pid },
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until every node of a cluster just started on `url` has its search connections open and
 * the search prepared on each (node-search.ts does that once it hears the hub, within about a
 * second of start), so that a search measured is a user's, not the node's start.
 */
export async function searchesReady(url: string, nodes: number, timeoutMs = 30_000): Promise<void> {
  const watcher = new pg.Client(url);
  await watcher.connect();
  try {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const { rows } = await watcher.query<{ ready: number }>(
        "SELECT count(*)::int AS ready FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle' AND query LIKE '%history_memberships%'",
        [SEARCH_APPLICATION],
      );
      if (rows[0]!.ready >= nodes * SEARCH_CONNECTIONS) return;
      if (performance.now() > deadline) throw new Error(`the nodes' search connections were not ready within ${timeoutMs} ms (${rows[0]!.ready} of ${nodes * SEARCH_CONNECTIONS})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await watcher.end();
  }
}
