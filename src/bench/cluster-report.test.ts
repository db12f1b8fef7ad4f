import { describe, expect, it } from 'vitest';
import { clusterSection, type ClusterResults } from './cluster-report.js';
import type { MachineInfo } from './machine.js';
import { renderMarkdown, type Results } from './report.js';
import type { StepResult } from './types.js';

/** A step of `offered` lines/s to pairs (one receiver each), with `cpu` per process. */
function step(offered: number, p99: number, cpu: Record<string, number>, over: Partial<StepResult> = {}): StepResult {
  const total = Object.values(cpu).reduce((a, b) => a + b, 0);
  return {
    offered, sent: offered * 10, expected: offered * 10, delivered: offered * 10, ratio: 1, deliveredPerSec: offered, p50: p99 / 4, p99, p999: p99 * 2, max: p99 * 3,
    serverCpuPct: total, serverCpuByProcess: cpu, serverRssBytes: 1 << 27, generatorCpuPct: 20, generatorLagP99Ms: 2, generatorLagMaxMs: 5, ...over,
  };
}

const machine: MachineInfo = { cpuModel: 'Test CPU', cpus: 2, nproc: 2, memGiB: 8, kernel: '6.0', node: 'v20.0.0', loadStart: [1, 1, 1], loadEnd: [2, 2, 2] };
const CLUSTER_CPU = { 'n1 (hub)': 40, n2: 15, n3: 15, PostgreSQL: 12, 'nats-server': 8 };
const FLOOR_CPU = { n1: 15, n2: 15, n3: 15, PostgreSQL: 25, 'nats-server': 5 };

function run(over: Partial<ClusterResults> = {}): ClusterResults {
  return {
    command: 'npm run bench -- --cluster', quick: false, started: '2026-12-07T00:40:00.000Z', seconds: 600, machine, nodes: 3,
    s1: [
      { setup: 'single', step: step(2000, 5, { server: 20 }), pg: null, connectsPerSec: 3000 },
      { setup: 'postgres', step: step(2000, 10, { server: 40, PostgreSQL: 20 }), pg: { offered: 2000, commitsPerSec: 250, walSyncsPerSec: 251 }, connectsPerSec: 1000 },
      { setup: 'cluster', step: step(2000, 40, CLUSTER_CPU), pg: { offered: 2000, commitsPerSec: 100, walSyncsPerSec: 99 }, connectsPerSec: 500 },
      { setup: 'floor', step: step(2000, 30, FLOOR_CPU), pg: { offered: 2000, commitsPerSec: 400, walSyncsPerSec: 400 }, connectsPerSec: 800 },
    ],
    s2: [],
    s3: [],
    search: null,
    ...over,
  };
}

describe('clusterSection', () => {
  it('leads with the cluster / single ratios of the same run, CPU per line adding up every process, and the Node.js floor beside them', () => {
    const md = clusterSection(run()).join('\n');
    expect(md).toContain('| S1 p99, ms | 5.0 | 10.0 | 40.0 | 30.0 | 8.00 | 4.00 | 6.00 | 1.33 |');
    // 20 % of a core over 2,000 lines/s is 100 µs a line; the cluster's 90 % is 450 µs, the floor's 75 % 375 µs.
    expect(md).toContain('| S1 server CPU per delivered line, µs | 100.0 | 300.0 | 450.0 | 375.0 | 4.50 | 1.50 | 3.75 | 1.20 |');
    expect(md).toContain('| Node.js floor: 3 relays, PostgreSQL + NATS | 800 | 2,000 |');
    expect(md).toContain('n1 (hub) 40 %, n2 15 %, n3 15 %, PostgreSQL 12 %, nats-server 8 %');
    expect(md).toContain('100 commits/s (20.0 lines each), 99 WAL syncs/s');
    expect(md).toContain('load average (1 / 5 / 15 min) 1.00 / 1.00 / 1.00 at the start');
  });

  it('holds cluster mode to its targets: cross-node S1 p99, and CPU per line against the single process', () => {
    const md = clusterSection(run()).join('\n');
    // The last column: what the floor measured for the same target.
    expect(md).toContain('| S1 p99, every pair over two nodes | ≤ 5 ms | 40.0 ms | **not met** | 30.0 ms |');
    expect(md).toContain('| server CPU per delivered line, all processes, cluster / single, S1 | ≤ 2.00 | 4.50 | **not met** | 3.75 |');
    const near = run({ s1: [{ setup: 'single', step: step(2000, 2, { server: 20 }), pg: null, connectsPerSec: 3000 }, { setup: 'cluster', step: step(2000, 4, { n1: 20, n2: 10, PostgreSQL: 5 }), pg: null, connectsPerSec: 500 }] });
    const met = clusterSection(near).join('\n');
    expect(met).toContain('| S1 p99, every pair over two nodes | ≤ 5 ms | 4.0 ms | met | – |');
    expect(met).toContain('| server CPU per delivered line, all processes, cluster / single, S1 | ≤ 2.00 | 1.75 | met | – |');
  });

  it('gives each set-up its knee, compares CPU at the highest rate all of them met, and marks a ramp the generator ended', () => {
    const s2: ClusterResults['s2'] = [
      { setup: 'single', reps: [[step(500, 2, { server: 5 }), step(1000, 3, { server: 10 }), step(2000, 5, { server: 20 }), step(4000, 8, { server: 40 }), step(6000, 150, { server: 60 })]], pg: [] },
      { setup: 'postgres', reps: [[step(500, 5, { server: 30 }), step(1000, 9, { server: 50 }), step(1500, 120, { server: 70 })]], pg: [] },
      { setup: 'cluster', reps: [[step(500, 30, CLUSTER_CPU), step(1000, 60, CLUSTER_CPU, { generatorLagP99Ms: 40 })]], pg: [{ offered: 500, commitsPerSec: 50, walSyncsPerSec: 50 }] },
    ];
    const md = clusterSection(run({ s1: [], s2 })).join('\n');
    // A run without the floor (an older run kept) shows it as not measured.
    expect(md).toContain('| S2 knee, lines/s (median of runs) | 4,000 | 1,000 | ≥ 500 | – | 0.13 | 0.50 | – | – |');
    // 500 lines/s is the highest rate every set-up met: 5 % of a core over 500 lines/s is 100 µs a line, 90 % is 1,800 µs.
    expect(md).toContain('| S2 server CPU per delivered line at 500 lines/s, µs | 100.0 | 600.0 | 1800.0 | – | 18.00 |');
    expect(md).toContain('| 3 nodes, PostgreSQL + NATS | 1,000 | 1,000 | 100.00 % | 15.0 | 60.0 | 90 % |');
    expect(md).toContain('**generator-bound**');
    expect(md).toContain('50 commits/s (10.0 lines each)');
  });

  it('adds up the memory idle connections take on every node', () => {
    const s3: ClusterResults['s3'] = [
      { setup: 'single', clients: 1000, rssGrowthBytes: { server: 8 * 1024 * 1000 }, connectsPerSec: 3000 },
      { setup: 'cluster', clients: 1000, rssGrowthBytes: { 'n1 (hub)': 10 * 1024 * 1000, n2: 3 * 1024 * 1000, n3: 3 * 1024 * 1000 }, connectsPerSec: 900 },
    ];
    const md = clusterSection(run({ s1: [], s3 })).join('\n');
    expect(md).toContain('| S3 memory per idle connection, all nodes, KB | 8.0 | – | 16.0 | – | 2.00 | – | – | – |');
    expect(md).toContain('| 3 nodes, PostgreSQL + NATS | 1,000 | n1 (hub) 9.8 MB, n2 2.9 MB, n3 2.9 MB | 16.0 KB | 900 |');
  });

  it('holds search in PostgreSQL to its 20 ms target, beside SQLite', () => {
    const q = (query: string, shape: string, p99: number): { query: string; shape: string; n: number; p50: number; p99: number } => ({ query, shape, n: 200, p50: p99 / 2, p99 });
    const search = {
      lines: 1_000_000, users: 1000, copySeconds: 90,
      single: [q('drunk', 'rare word', 3), q('from', 'common word', 6)],
      store: [q('drunk', 'rare word', 8), q('from', 'common word', 19)],
      cluster: [q('drunk', 'rare word', 12), q('from', 'common word', 25)],
    };
    const md = clusterSection(run({ s1: [], search })).join('\n');
    expect(md).toContain('| `? drunk` | rare word | 1.5 / 3.0 | 4.0 / 8.0 | 6.0 / 12.0 | met, met |');
    expect(md).toContain('| `? from` | common word | 3.0 / 6.0 | 9.5 / 19.0 | 12.5 / 25.0 | met, **not met** |');
    expect(md).toContain('| search p99, slowest shape, ms (1,000,000 lines) | 6.0 | – | 25.0 | – | 4.17 | – | – | – |');
  });
});

describe('renderMarkdown with a cluster run', () => {
  const base: Results = { command: 'npm run bench', quick: false, started: new Date(Date.UTC(2026, 11, 1)), seconds: 60, machine: null, s1: [], s2: [], s3: [], search: null, startup: null, notes: [] };

  it('adds the cluster section before the hand-written part, and leaves it out when no cluster run was kept', () => {
    const md = renderMarkdown({ ...base, cluster: run() }, 'chart.png', '<!-- Written by hand below this line; npm run bench keeps it. -->\nkept');
    expect(md.indexOf('## Cluster mode: 3 nodes on PostgreSQL and NATS')).toBeGreaterThan(0);
    expect(md.indexOf('## Cluster mode')).toBeLessThan(md.indexOf('kept'));
    expect(renderMarkdown(base, 'chart.png')).not.toContain('## Cluster mode');
  });
});
