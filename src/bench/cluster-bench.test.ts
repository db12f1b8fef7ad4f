import { describe, expect, it } from 'vitest';
import { keepUnmeasuredCluster } from './cluster-bench.js';
import type { ClusterResults } from './cluster-report.js';
import { parseOptions, type BenchOptions } from './options.js';

const machine = { cpuModel: 'CPU', cpus: 2, nproc: 2, memGiB: 8, kernel: '6', node: 'v20', loadStart: [1, 1, 1], loadEnd: [1, 1, 1] };
const step = { offered: 2000, sent: 1, expected: 1, delivered: 1, ratio: 1, deliveredPerSec: 1, p50: 1, p99: 1, p999: 1, max: 1, serverCpuPct: 1, serverRssBytes: 1, generatorCpuPct: 1, generatorLagP99Ms: 1, generatorLagMaxMs: 1 };

function results(command: string, quick: boolean, loadStart: number): ClusterResults {
  return {
    command, quick, started: '2026-12-07T00:00:00.000Z', seconds: 100, machine: { ...machine, loadStart: [loadStart, 0, 0] }, nodes: 3,
    s1: [{ setup: 'cluster', step, pg: null, connectsPerSec: 1 }], s2: [{ setup: 'cluster', reps: [[step]], pg: [] }], s3: [], search: null,
  };
}

function options(argv: string[]): BenchOptions {
  const parsed = parseOptions(argv);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.options;
}

describe('keepUnmeasuredCluster', () => {
  const saved = results('npm run bench -- --cluster', false, 1);

  it('keeps the scenarios a full-length --only run left out, from the last full-length run', () => {
    const fresh = { ...results('npm run bench -- --cluster --only search', false, 2), s1: [], s2: [] };
    const kept = keepUnmeasuredCluster(options(['--cluster', '--only', 'search']), fresh, saved);
    expect(kept.s1).toBe(saved.s1);
    expect(kept.s2).toBe(saved.s2);
    expect(kept.search).toBe(fresh.search);
    expect(kept.command).toBe('npm run bench -- --cluster, then npm run bench -- --cluster --only search');
    expect(kept.seconds).toBe(200);
    expect(kept.machine.loadStart[0]).toBe(1);
  });

  it('keeps nothing for a whole run, a quick one, or over a quick one', () => {
    const fresh = results('fresh', false, 2);
    expect(keepUnmeasuredCluster(options(['--cluster']), fresh, saved)).toBe(fresh);
    const quick = results('quick', true, 2);
    expect(keepUnmeasuredCluster(options(['--cluster', '--quick', '--only', 's1']), quick, saved)).toBe(quick);
    expect(keepUnmeasuredCluster(options(['--cluster', '--only', 's1']), fresh, results('old', true, 1))).toBe(fresh);
    expect(keepUnmeasuredCluster(options(['--cluster', '--only', 's1']), fresh, undefined)).toBe(fresh);
  });
});
