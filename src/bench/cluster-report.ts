/**
 * The cluster section of BENCHMARKS.md, from the figures of one `--cluster` run: the cluster's
 * ratios to the single process measured in the same run lead, then each scenario's table with
 * the server CPU split by process (which node runs the hub, PostgreSQL, nats-server), so what
 * bounds the cluster is read from the table rather than guessed.
 */
import { kneesOf } from './knee.js';
import { describeMachine, type MachineInfo } from './machine.js';
import { cpuPerLineUs, f0, f1, GENERATOR_HEAD, GENERATOR_NOTE, generatorText, kneeText, pct, ratio, table } from './markdown.js';
import type { PgStep } from './pg-activity.js';
import type { QueryStats } from './search-bench.js';
import { generatorBound, KNEE_P99_MS, KNEE_RATIO, withinKnee, type StepResult } from './types.js';

/** The set-ups a cluster run measures, in order. */
export const SETUPS = ['single', 'postgres', 'cluster', 'floor'] as const;
export type Setup = (typeof SETUPS)[number];

/** How many nodes the cluster set-up runs. */
export const CLUSTER_NODES = 3;

const LABEL: Record<Setup, string> = {
  single: 'one process, SQLite',
  postgres: 'one process, PostgreSQL',
  cluster: `${CLUSTER_NODES} nodes, PostgreSQL + NATS`,
  floor: `Node.js floor: ${CLUSTER_NODES} relays, PostgreSQL + NATS`,
};

/** The target for search in PostgreSQL at a million lines. */
const CLUSTER_SEARCH_P99_MS = 20;

/** A query's timings with what kind of query it is (`rare word`, `phrase`...). */
export type NamedQuery = QueryStats & { shape: string };

/** What a `--cluster` run measured, as saved in results.json. */
export interface ClusterResults {
  command: string;
  quick: boolean;
  /** ISO time the run began. */
  started: string;
  seconds: number;
  machine: MachineInfo;
  nodes: number;
  /** `pg`: what PostgreSQL did in the step (null for the set-up without it); logins per second while the clients came. */
  s1: { setup: Setup; step: StepResult; pg: PgStep | null; connectsPerSec: number }[];
  /** `pg`: what PostgreSQL did in each step of the first run. */
  s2: { setup: Setup; reps: StepResult[][]; pg: PgStep[] }[];
  /** Idle clients: how much each server process (not the engines) grew, in bytes. */
  s3: { setup: Setup; clients: number; rssGrowthBytes: Record<string, number>; connectsPerSec: number }[];
  /** `store`: the PostgreSQL store searched in the bench's own process, without a server. */
  search: { lines: number; users: number; copySeconds: number; single: NamedQuery[]; store: NamedQuery[]; cluster: NamedQuery[] } | null;
}

/** CPU per process of a step, as a share of one core, largest first. */
function byProcess(s: StepResult): string {
  const parts = Object.entries(s.serverCpuByProcess ?? {}).sort((a, b) => b[1] - a[1]);
  return parts.length > 1 ? parts.map(([name, cpu]) => `${name} ${f0(cpu)} %`).join(', ') : '';
}

/** What PostgreSQL did in a step: commits (and chat lines per commit) and WAL flushes per second. */
function pgText(pg: PgStep | null | undefined): string {
  if (!pg) return '–';
  return `${f0(pg.commitsPerSec)} commits/s (${f1(pg.offered / pg.commitsPerSec)} lines each), ${f0(pg.walSyncsPerSec)} WAL syncs/s`;
}

/** The highest rate of the first S2 runs that every set-up measured met without a saturated generator: where CPU per line compares fairly. */
function commonS2Rate(r: ClusterResults): number | null {
  const fair = (s: StepResult): boolean => withinKnee(s) && !generatorBound(s);
  const sets = r.s2.map((t) => new Set((t.reps[0] ?? []).filter(fair).map((s) => s.offered)));
  const first = sets[0];
  if (!first) return null;
  const common = [...first].filter((rate) => sets.every((set) => set.has(rate)));
  return common.length ? Math.max(...common) : null;
}

function ratiosTable(r: ClusterResults): string[] {
  const s1 = new Map(r.s1.map((e) => [e.setup, e.step]));
  const knees = new Map(r.s2.map((e) => [e.setup, kneesOf(e.reps)]));
  const rate = commonS2Rate(r);
  const at = new Map(r.s2.map((e) => [e.setup, (e.reps[0] ?? []).find((s) => s.offered === rate)]));
  const rows: string[][] = [];
  const row = (what: string, value: (setup: Setup) => number, text: (n: number, setup: Setup) => string): void => {
    rows.push([what, ...SETUPS.map((setup) => text(value(setup), setup)), ratio(value('cluster'), value('single')), ratio(value('cluster'), value('postgres')), ratio(value('floor'), value('single')), ratio(value('cluster'), value('floor'))]);
  };
  if (r.s1.length) {
    row('S1 p99, ms', (s) => s1.get(s)?.p99 ?? Number.NaN, (n) => f1(n));
    row('S1 server CPU per delivered line, µs', (s) => (s1.has(s) ? cpuPerLineUs(s1.get(s)!) : Number.NaN), (n) => f1(n));
  }
  if (r.s2.length) {
    row('S2 knee, lines/s (median of runs)', (s) => knees.get(s)?.median ?? Number.NaN, (n, s) => kneeText(n, knees.get(s)?.medianOpen ?? false));
    if (rate !== null) row(`S2 server CPU per delivered line at ${f0(rate)} lines/s, µs`, (s) => (at.get(s) ? cpuPerLineUs(at.get(s)!) : Number.NaN), (n) => f1(n));
  }
  if (r.s3.length) {
    const perConn = (setup: Setup): number => {
      const e = r.s3.find((x) => x.setup === setup);
      return e ? Object.values(e.rssGrowthBytes).reduce((a, b) => a + b, 0) / e.clients / 1024 : Number.NaN;
    };
    rows.push(['S3 memory per idle connection, all nodes, KB', f1(perConn('single')), '–', f1(perConn('cluster')), '–', ratio(perConn('cluster'), perConn('single')), '–', '–', '–']);
  }
  if (r.search) {
    const worst = (qs: readonly NamedQuery[]): number => Math.max(...qs.map((q) => q.p99));
    rows.push([`search p99, slowest shape, ms (${f0(r.search.lines)} lines)`, f1(worst(r.search.single)), '–', f1(worst(r.search.cluster)), '–', ratio(worst(r.search.cluster), worst(r.search.single)), '–', '–', '–']);
  }
  if (!rows.length) return [];
  return [
    'Same run, cluster / single (for latency and CPU lower is better, for the knee higher). "cluster / single on PostgreSQL" compares the cluster with the one process on the same engine, PostgreSQL: what the bus and the split into nodes cost, apart from what PostgreSQL costs against SQLite. The Node.js floor (`src/bench/cluster-floor.ts`) is the least three Node.js processes do for this load on PostgreSQL and NATS: each node stores its own clients\' lines (one INSERT while none is out, fsync on), then writes them to its own clients in their groups and sends each other node, in one message, the lines for its clients. A line crosses the bus once and no hub touches it. No acknowledgements, resends, order checks, presence, search index or hand-over state. "floor / single" is what that alone costs against the single process, "cluster / floor" what cluster mode\'s promises cost on top.',
    '',
    table(['figure', ...SETUPS.map((s) => LABEL[s]), 'cluster / single', 'cluster / single on PostgreSQL', 'floor / single', 'cluster / floor'], rows),
    '',
  ];
}

/** The targets for cluster mode (the performance issue): cross-node latency, and CPU per delivered line against the single process of the same run. */
const CLUSTER_TARGETS = { s1P99Ms: 5, cpuVsSingle: 2 };

function targetsTable(r: ClusterResults): string[] {
  const verdict = (ok: boolean): string => (ok ? 'met' : '**not met**');
  const rows: string[][] = [];
  const s1 = new Map(r.s1.map((e) => [e.setup, e.step]));
  const cluster = s1.get('cluster');
  const single = s1.get('single');
  const floor = s1.get('floor');
  if (cluster) rows.push(['S1 p99, every pair over two nodes', `≤ ${CLUSTER_TARGETS.s1P99Ms} ms`, `${f1(cluster.p99)} ms`, verdict(cluster.p99 <= CLUSTER_TARGETS.s1P99Ms), floor ? `${f1(floor.p99)} ms` : '–']);
  const cpu = (what: string, c: StepResult | undefined, one: StepResult | undefined, least: StepResult | undefined): void => {
    if (!c || !one) return;
    const r = cpuPerLineUs(c) / cpuPerLineUs(one);
    rows.push([`server CPU per delivered line, all processes, cluster / single, ${what}`, `≤ ${CLUSTER_TARGETS.cpuVsSingle.toFixed(2)}`, r.toFixed(2), verdict(r <= CLUSTER_TARGETS.cpuVsSingle), least ? ratio(cpuPerLineUs(least), cpuPerLineUs(one)) : '–']);
  };
  cpu('S1', cluster, single, floor);
  const rate = commonS2Rate(r);
  const at = (setup: Setup): StepResult | undefined => (r.s2.find((e) => e.setup === setup)?.reps[0] ?? []).find((s) => s.offered === rate);
  if (rate !== null) cpu(`S2 at ${f0(rate)} lines/s`, at('cluster'), at('single'), at('floor'));
  if (!rows.length) return [];
  return ['Targets (the last column: what the Node.js floor below measured for the same target):', '', table(['target', 'asked', 'measured', '', 'Node.js floor'], rows), ''];
}

function s1Table(r: ClusterResults): string[] {
  if (!r.s1.length) return [];
  return [
    '### S1: 100 clients in 50 pairs, 2,000 lines/s, each pair split over two nodes',
    '',
    table(
      ['set-up', 'logins/s', 'delivered lines/s', 'delivered', 'p50 ms', 'p99 ms', 'p99.9 ms', 'server CPU, all processes', 'per delivered line', 'by process', 'PostgreSQL', GENERATOR_HEAD],
      r.s1.map(({ setup, step, pg, connectsPerSec }) => [LABEL[setup], f0(connectsPerSec), f0(step.deliveredPerSec), pct(step.ratio), f1(step.p50), f1(step.p99), f1(step.p999), `${f0(step.serverCpuPct)} %`, `${f1(cpuPerLineUs(step))} µs`, byProcess(step), pgText(pg), generatorText(step)]),
    ),
    '',
  ];
}

function s2Tables(r: ClusterResults): string[] {
  if (!r.s2.length) return [];
  const out = ['### S2: 1,000 clients in groups of 10, each group over the nodes, ramping the offered rate', ''];
  out.push(
    `Knee: the highest offered rate with p99 ≤ ${KNEE_P99_MS} ms and ≥ ${KNEE_RATIO * 100} % delivered, as in the main S2. The single process climbs by 2,000 lines/s (after 500 and 1,000, rates every set-up is measured at), the set-ups on PostgreSQL by 500, then each bisects past its first miss. PostgreSQL's figures come from its own statistics, which each backend updates about once a second: close, not exact.`,
    '',
  );
  out.push(
    table(
      ['set-up', 'knee (median of runs)', 'knees per run', 'server CPU at the knee', 'per delivered line', 'by process'],
      r.s2.map(({ setup, reps }) => {
        const k = kneesOf(reps);
        const at = (reps[0] ?? []).find((s) => s.offered === k.runs[0]?.rate);
        return [LABEL[setup], `${kneeText(k.median, k.medianOpen)} lines/s`, k.runs.map((run) => kneeText(run.rate, run.open)).join(', '), at ? `${f0(at.serverCpuPct)} %` : '–', at ? `${f1(cpuPerLineUs(at))} µs` : '–', at ? byProcess(at) : '–'];
      }),
    ),
    '',
    'Every step of the first run:',
    '',
    table(
      ['set-up', 'offered lines/s', 'delivered lines/s', 'delivered', 'p50 ms', 'p99 ms', 'server CPU', 'by process', 'PostgreSQL', GENERATOR_HEAD],
      r.s2.flatMap(({ setup, reps, pg }) =>
        [...(reps[0] ?? [])]
          .sort((a, b) => a.offered - b.offered)
          .map((s) => [LABEL[setup], f0(s.offered), f0(s.deliveredPerSec), pct(s.ratio), f1(s.p50), f1(s.p99), `${f0(s.serverCpuPct)} %`, byProcess(s), pgText(pg.find((p) => p.offered === s.offered)), generatorText(s)]),
      ),
    ),
    '',
  );
  return out;
}

function s3Table(r: ClusterResults): string[] {
  if (!r.s3.length) return [];
  const kb = (bytes: number): string => `${f1(bytes / 1024)} KB`;
  return [
    '### S3: idle logged-in clients, spread over the nodes',
    '',
    'Memory is each server process\'s resident growth while the clients are held (PostgreSQL and nats-server left out: their memory is buffers, not connections). In the cluster, each node holds a third of the connections and the hub\'s node also holds a session for every one.',
    '',
    table(
      ['set-up', 'clients', 'growth by process', 'all processes, per connection', 'logins/s'],
      r.s3.map(({ setup, clients, rssGrowthBytes, connectsPerSec }) => {
        const total = Object.values(rssGrowthBytes).reduce((a, b) => a + b, 0);
        const parts = Object.entries(rssGrowthBytes).map(([name, bytes]) => `${name} ${f1(bytes / 2 ** 20)} MB`).join(', ');
        return [LABEL[setup], f0(clients), parts, kb(total / clients), f0(connectsPerSec)];
      }),
    ),
    '',
  ];
}

function searchTable(r: ClusterResults): string[] {
  const s = r.search;
  if (!s) return [];
  const verdict = (q: NamedQuery | undefined): string => (q === undefined ? '–' : q.p99 <= CLUSTER_SEARCH_P99_MS ? 'met' : '**not met**');
  const times = (q: NamedQuery | undefined): string => (q ? `${f1(q.p50)} / ${f1(q.p99)}` : '–');
  return [
    `### Search: ${f0(s.lines)} stored lines among ${f0(s.users)} users`,
    '',
    `The same history in the single process's SQLite and, copied with \`migrate-history\`'s copy (${f0(s.copySeconds)} s), in PostgreSQL. Asked over the native protocol (for the cluster at a node that does not run the hub, which asks PostgreSQL itself, once every node has its search connections open), and of the PostgreSQL store itself in the bench's process, which is PostgreSQL's part of the time. Target in PostgreSQL: p99 ≤ ${CLUSTER_SEARCH_P99_MS} ms.`,
    '',
    table(
      ['query', 'shape', 'single, SQLite: p50 / p99 ms', 'PostgreSQL store: p50 / p99 ms', 'cluster: p50 / p99 ms', `p99 ≤ ${CLUSTER_SEARCH_P99_MS} ms: store, cluster`],
      s.cluster.map((q, i) => [`\`? ${q.query}\``, q.shape, times(s.single[i]), times(s.store[i]), times(q), `${verdict(s.store[i])}, ${verdict(q)}`]),
    ),
    '',
  ];
}

/** The cluster section of BENCHMARKS.md. */
export function clusterSection(r: ClusterResults): string[] {
  const out: string[] = [`## Cluster mode: ${r.nodes} nodes on PostgreSQL and NATS`, ''];
  out.push(`Produced by \`${r.command}\` on ${r.started.slice(0, 16).replace('T', ' ')} UTC in ${Math.round(r.seconds / 60)} min${r.quick ? ' (quick mode: short steps, indicative only)' : ''}. Machine: ${describeMachine(r.machine)}.`, '');
  out.push(
    `Four set-ups in one run, over the native protocol: one process on its embedded SQLite database (\`npm start\`); one process on PostgreSQL without the bus (\`DATABASE_URL\` alone); ${r.nodes} nodes on PostgreSQL and nats-server, node n1 running the hub; and, for S1 and S2, the Node.js floor of such a cluster (below). PostgreSQL keeps its durable defaults (fsync on). ` +
      'Every server-side process (the nodes, PostgreSQL\'s postmaster and backends, nats-server) is pinned to CPU 0 and the generator to CPU 1, so the cluster runs on the same one core as the single process: these figures are what cluster mode costs per line, not how far it reaches on more machines ([docs/SCALING.md](docs/SCALING.md) works that out from them). Server CPU adds up every one of those processes, PostgreSQL\'s backends included.',
    '',
  );
  out.push(...targetsTable(r), ...ratiosTable(r), ...s1Table(r), ...s2Tables(r), ...s3Table(r), ...searchTable(r));
  if ([...r.s1.map((e) => e.step), ...r.s2.flatMap((e) => e.reps[0] ?? [])].some(generatorBound)) out.push(GENERATOR_NOTE, '');
  return out;
}
