/**
 * `npm run bench -- --cluster`: cluster mode beside the single process, in one run, over the
 * native protocol. Four set-ups: one process on the embedded SQLite database (what `npm start`
 * runs), one process on PostgreSQL without the bus (what PostgreSQL alone costs), three nodes
 * on PostgreSQL and NATS, and (in S1 and S2) the Node.js floor of such a cluster
 * (cluster-floor.ts). S1 puts the two clients of every pair on different nodes, S2 spreads
 * each group's members over the nodes, and the CPU figures add up every server-side process:
 * the nodes, PostgreSQL's (postmaster and every backend) and nats-server. Then search at the
 * given history size, in PostgreSQL through a node that does not run the hub, beside the single
 * process on SQLite and beside the PostgreSQL store searched in process (no hop).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { historyCopy } from '../store/pg/copy-history.js';
import { PgHistory } from '../store/pg/pg-history.js';
import { copyParts } from '../store/pg/sqlite-copy.js';
import { SyncPg } from '../store/pg/sync-client.js';
import type { Target } from './clients.js';
import { searchesReady, startCluster, startEngines, startFloorCluster, startOnPostgres, type BenchEngines } from './cluster-servers.js';
import { CLUSTER_NODES, SETUPS, type ClusterResults, type NamedQuery, type Setup } from './cluster-report.js';
import { atEnd, machineAtStart } from './machine.js';
import { measures, type BenchOptions } from './options.js';
import { PgActivity, type PgStep } from './pg-activity.js';
import type { Progress } from './progress.js';
import { holdIdle, runGenerator, type GeneratorListener } from './run.js';
import { ensureSearchData, measureSearch, saidPhrase, storeSearchTimes } from './search-bench.js';
import { indexMerged, startOurs } from './servers.js';
import { sampleProc, settledRss } from './stats.js';
import { baseLoad, type GenConfig, type GenResult } from './types.js';

interface Running {
  /** Where clients connect: one endpoint, or one per node. */
  targets: Target[];
  /** The PostgreSQL database the servers use, if any. */
  database: string | null;
  processes: Record<string, number>;
  stop(): Promise<void>;
}

const FRONTS = ['tcp'];
/** The engines' processes: their memory is shared buffers and caches, not the connections'. */
const ENGINES = ['PostgreSQL', 'nats-server'];
const native = (port: number | undefined): Target => ({ protocol: 'native', host: '127.0.0.1', port: port! });

async function startSetup(setup: Setup, root: string, engines: BenchEngines): Promise<Running> {
  switch (setup) {
    case 'single': {
      const dir = mkdtempSync(join(tmpdir(), 'bench-single-'));
      const s = await startOurs(root, dir, FRONTS);
      const stop = async (): Promise<void> => {
        await s.stop();
        rmSync(dir, { recursive: true, force: true });
      };
      return { targets: [native(s.ports.native)], database: null, processes: { server: s.pid }, stop };
    }
    case 'postgres': {
      const database = await engines.database();
      const s = await startOnPostgres(root, engines, database, FRONTS);
      return { targets: [native(s.ports.native)], database, processes: s.processes, stop: s.stop };
    }
    case 'cluster': {
      const database = await engines.database();
      const c = await startCluster(root, engines, database, FRONTS, CLUSTER_NODES);
      return { targets: c.nodes.map((n) => native(n.ports.native)), database, processes: c.processes, stop: c.stop };
    }
    case 'floor': {
      const database = await engines.database();
      const c = await startFloorCluster(root, engines, database, CLUSTER_NODES);
      return { targets: c.nodes.map((n) => native(n.ports.native)), database, processes: c.processes, stop: c.stop };
    }
  }
}

/**
 * The S2 ramp: the single process climbs by 2,000 lines/s as the main bench does, the set-ups on
 * PostgreSQL by 500 (their knees are lower). The single process starts at 500 and 1,000 too, so
 * every set-up has steps at the same low rates, where CPU per line compares like for like.
 */
function s2Rates(setup: Setup): number[] {
  if (setup === 'single') return [500, 1000, ...Array.from({ length: 15 }, (_, i) => 2000 * (i + 1))];
  return Array.from({ length: 30 }, (_, i) => 500 * (i + 1));
}

/**
 * `fresh`, with the scenarios a full-length --only run did not measure taken from the last
 * full-length cluster run, as the main bench keeps its own (main.ts).
 */
export function keepUnmeasuredCluster(options: BenchOptions, fresh: ClusterResults, saved: ClusterResults | undefined): ClusterResults {
  if (fresh.quick || options.only === null || saved === undefined || saved.quick) return fresh;
  return {
    ...fresh,
    command: `${saved.command}, then ${fresh.command}`,
    started: saved.started,
    seconds: saved.seconds + fresh.seconds,
    machine: { ...fresh.machine, loadStart: saved.machine.loadStart },
    s1: measures(options, 's1') ? fresh.s1 : saved.s1,
    s2: measures(options, 's2') ? fresh.s2 : saved.s2,
    s3: measures(options, 's3') ? fresh.s3 : saved.s3,
    search: measures(options, 'search') ? fresh.search : saved.search,
  };
}

let runs = 0;

/** Measures the cluster set-ups; `log` prints a result line, `listener` hears the generator. */
export async function measureCluster(root: string, options: BenchOptions, command: string, progress: Progress): Promise<ClusterResults> {
  const log = (line: string): void => progress.result(line);
  const listener: GeneratorListener = { line: (text) => progress.note(text), progress: (p) => progress.generator(p) };
  const started = new Date();
  const machine = machineAtStart();
  const results: ClusterResults = { command, quick: options.quick, started: started.toISOString(), seconds: 0, machine, nodes: CLUSTER_NODES, s1: [], s2: [], s3: [], search: null };
  const engines = await startEngines(true);
  const config = (r: Running, over: Partial<GenConfig>): GenConfig => ({
    targets: r.targets,
    ...baseLoad(options.quick),
    prefix: `c${runs++}_`,
    serverPids: r.processes,
    concurrency: 50,
    ...over,
  });
  /** Starts a set-up, runs the generator on it, and reads what PostgreSQL did in each step. */
  const measure = async (setup: Setup, over: Partial<GenConfig>): Promise<{ result: GenResult; pg: PgStep[] }> => {
    const r = await startSetup(setup, root, engines);
    try {
      const gen = config(r, over);
      const activity = r.database === null ? null : await PgActivity.open(r.database);
      const heard: GeneratorListener = { line: listener.line, progress: (p) => (activity?.hear(p, gen.warmup), listener.progress?.(p)) };
      try {
        return { result: await runGenerator(root, gen, heard), pg: (await activity?.close()) ?? [] };
      } catch (err) {
        await activity?.close();
        throw err;
      }
    } finally {
      await r.stop();
    }
  };
  try {
    if (measures(options, 's1')) {
      log('Cluster S1: 100 clients in 50 pairs, 2,000 lines/s, the two of each pair on different nodes');
      progress.scenario('Cluster S1', SETUPS.length);
      for (const setup of SETUPS) {
        progress.unit(setup);
        const { result, pg } = await measure(setup, {});
        const step = result.steps[0]!;
        results.s1.push({ setup, step, pg: pg[0] ?? null, connectsPerSec: result.connectsPerSec });
        log(`  ${setup}: p99 ${step.p99.toFixed(1)} ms, server CPU ${step.serverCpuPct.toFixed(0)} %${pg[0] ? `, ${pg[0].commitsPerSec.toFixed(0)} commits/s` : ''}`);
      }
      progress.end();
    }
    if (measures(options, 's2')) {
      log(`Cluster S2: 1,000 clients in groups of 10, each group over the ${CLUSTER_NODES} nodes, ramp (${options.reps} run${options.reps > 1 ? 's' : ''} per set-up)`);
      progress.scenario('Cluster S2', SETUPS.length * options.reps);
      const runs = new Map<Setup, ClusterResults['s2'][number]>(SETUPS.map((setup) => [setup, { setup, reps: [], pg: [] }]));
      for (let rep = 0; rep < options.reps; rep++) {
        for (const setup of rep % 2 === 0 ? SETUPS : [...SETUPS].reverse()) {
          progress.unit(`${setup}, run ${rep + 1}`);
          const over = { clients: 1000, groupSize: 10, rates: s2Rates(setup), stopAtKnee: true, bisections: options.bisections };
          const { result, pg } = await measure(setup, over);
          const entry = runs.get(setup)!;
          entry.reps.push(result.steps);
          if (rep === 0) entry.pg = pg;
        }
      }
      results.s2 = SETUPS.map((setup) => runs.get(setup)!);
      progress.end();
    }
    if (measures(options, 's3')) {
      const clients = 5000;
      log(`Cluster S3: ${clients} idle logged-in clients, spread over the nodes`);
      progress.scenario('Cluster S3', 2);
      for (const setup of ['single', 'cluster'] as const) {
        progress.unit(setup);
        const r = await startSetup(setup, root, engines);
        try {
          const servers = Object.entries(r.processes).filter(([name]) => !ENGINES.includes(name));
          const rss = (): Record<string, number> => Object.fromEntries(servers.map(([name, pid]) => [name, sampleProc(pid)?.rssBytes ?? 0]));
          const before = Object.fromEntries(await Promise.all(servers.map(async ([name, pid]) => [name, await settledRss(pid)] as const)));
          // Groups of one: every client on the next endpoint in turn.
          const hold = await holdIdle(root, config(r, { clients, groupSize: 1 }), listener);
          const after = rss();
          await hold.release();
          const growth = Object.fromEntries(Object.keys(before).map((name) => [name, after[name]! - before[name]!]));
          results.s3.push({ setup, clients, rssGrowthBytes: growth, connectsPerSec: hold.result.connectsPerSec });
          log(`  ${setup}: ${(Object.values(growth).reduce((a, b) => a + b, 0) / clients / 1024).toFixed(1)} KB per connection, all nodes together`);
        } finally {
          await r.stop();
        }
      }
      progress.end();
    }
    if (measures(options, 'search')) results.search = await measureSearches(root, options, engines, progress);
  } finally {
    await engines.stop();
  }
  results.seconds = (Date.now() - started.getTime()) / 1000;
  results.machine = atEnd(machine);
  return results;
}

/** Search at `options.searchLines` lines: the single process on SQLite, then the cluster on a PostgreSQL copy of the same history. */
async function measureSearches(root: string, options: BenchOptions, engines: BenchEngines, progress: Progress): Promise<NonNullable<ClusterResults['search']>> {
  const log = (line: string): void => progress.result(line);
  const cache = join(root, 'bench/out');
  log(`Cluster search: a history of ${options.searchLines.toLocaleString('en-US')} lines (built once in ${relative(root, cache)}), copied into PostgreSQL`);
  progress.scenario('Cluster search', 3);
  progress.unit('the history');
  const data = await ensureSearchData(cache, join(root, 'data/sonnets.txt'), options.searchLines);
  const shapes = ['rare word', 'common word', 'phrase', 'two words'];
  const queries = [data.rare, data.common, await saidPhrase(data), data.pair];
  const searchAt = async (port: number): Promise<NamedQuery[]> => (await measureSearch(port, data, 20, 10, queries)).map((q, i) => ({ ...q, shape: shapes[i]! }));

  progress.unit('single process, SQLite');
  const dir = mkdtempSync(join(tmpdir(), 'bench-search-'));
  cpSync(data.dir, dir, { recursive: true });
  const single = await startOurs(root, dir, [...FRONTS, 'web']);
  let onSqlite: NamedQuery[];
  try {
    await indexMerged(single);
    onSqlite = await searchAt(single.ports.native!);
  } finally {
    await single.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  progress.unit('three nodes, PostgreSQL');
  const url = await engines.database();
  const copyStarted = performance.now();
  const source = new Database(join(data.dir, 'history.db'), { readonly: true });
  const target = new SyncPg(url, { timeoutMs: 600_000 });
  try {
    copyParts(source, target, [historyCopy()], () => undefined);
    target.query('VACUUM ANALYZE');
  } finally {
    source.close();
    await target.close();
  }
  const copySeconds = (performance.now() - copyStarted) / 1000;
  log(`  copied into PostgreSQL in ${copySeconds.toFixed(0)} s`);
  // The store alone, in this process: what PostgreSQL's search costs before any hop.
  const store = new PgHistory(url, { node: 'bench' });
  let inStore: NamedQuery[];
  try {
    inStore = queries.map((query, i) => {
      const { p50, p99 } = storeSearchTimes(store, query, data.users);
      return { query, shape: shapes[i]!, n: 200, p50, p99 };
    });
  } finally {
    await store.close();
  }
  const cluster = await startCluster(root, engines, url, FRONTS, CLUSTER_NODES);
  let onCluster: NamedQuery[];
  try {
    await searchesReady(url, CLUSTER_NODES);
    // A node that does not run the hub, as most users' is; it answers searches from PostgreSQL itself.
    onCluster = await searchAt(cluster.nodes.find((n) => n.id !== cluster.hub)!.ports.native!);
  } finally {
    await cluster.stop();
  }
  progress.end();
  for (const [i, q] of onCluster.entries()) log(`  ? ${q.query} (${q.shape}): p99 cluster ${q.p99.toFixed(1)} ms, PostgreSQL in process ${inStore[i]!.p99.toFixed(1)} ms, single ${onSqlite[i]!.p99.toFixed(1)} ms`);
  return { lines: data.lines, users: data.users, copySeconds, single: onSqlite, store: inStore, cluster: onCluster };
}
