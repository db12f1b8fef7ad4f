import { describe, expect, it } from 'vitest';
import { curveSvg, flatCharts, niceTop, tickLabel } from './flat-chart.js';
import { FLAT_CHARTS, flatSection, growth, keepUnmeasuredFlat, type FlatResults } from './flat-report.js';
import type { HistoryMeasure } from './history-bench.js';
import type { TargetRun } from './report.js';
import type { StepResult } from './types.js';

/** A step that delivered `deliveredPerSec` lines/s at `cpuPct` server CPU. */
function step(deliveredPerSec: number, cpuPct: number, p99 = 5, over: Partial<StepResult> = {}): StepResult {
  return {
    offered: 50, sent: 500, expected: deliveredPerSec * 10, delivered: deliveredPerSec * 10, ratio: 1, deliveredPerSec, p50: 1, p99, p999: p99, max: p99,
    serverCpuPct: cpuPct, serverRssBytes: 1 << 27, generatorCpuPct: 30, generatorLagP99Ms: 1, generatorLagMaxMs: 2, ...over,
  };
}

const ours: TargetRun = { label: 'ics-chat (IRC)', server: 'ics-chat', ours: true, protocol: 'irc' };
const peer: TargetRun = { label: 'peer (IRC)', server: 'peer', ours: false, protocol: 'irc' };

function history(lines: number, p99: number, msToLogin: number): HistoryMeasure {
  return {
    lines, users: 1000, buildSeconds: lines > 1_000_000 ? 200 : null, msToReady: msToLogin - 50, msToLogin, mergeSeconds: 2, clientCpuPct: 40,
    queries: [{ query: 'rare', shape: 'rare word', n: 200, p50: 1, p99 }, { query: 'the', shape: 'common word', n: 200, p50: 2, p99: p99 * 2 }],
  };
}

const flat: FlatResults = {
  // 10 µs per delivery at 250 members, 5 at 2,000.
  bigroom: { linesPerSec: 50, runs: [{ target: ours, points: [{ x: 2000, rooms: 1, joinMs: 1500, step: step(100_000, 50) }, { x: 250, rooms: 1, joinMs: 1500, step: step(12_450, 12.45) }] }] },
  manyrooms: { users: 1000, deliveriesPerSec: 20_000, runs: [{ target: peer, points: [{ x: 1, rooms: 34, joinMs: 1500, step: step(20_000, 10) }, { x: 20, rooms: 667, joinMs: 1500, step: step(20_000, 30, 50, { generatorCpuPct: 95 }) }] }] },
  bighistory: [history(1_000_000, 4, 900), history(3_000_000, 12, 2500)],
  manyidle: {
    runs: [
      {
        target: ours,
        points: [{ clients: 5000, rssPerConnBytes: 4096, connectsPerSec: 4000, generatorCpuPct: 60, served: 5000, expected: 5000, probeMs: 2000 }, { clients: 10_000, rssPerConnBytes: 4096, connectsPerSec: 4000, generatorCpuPct: 60, served: 9990, expected: 10_000, probeMs: 4000 }],
        reduced: ['20,000 connections need more than the 20,000 open files a process may have here: measured at 19,700 instead'],
      },
    ],
  },
};

describe('growth', () => {
  it('divides the cost at the last point by that at the first, whatever order they were measured in', () => {
    expect(growth([{ x: 2000, cost: 5 }, { x: 250, cost: 10 }])).toBe('0.50');
    expect(growth([{ x: 1, cost: 4 }, { x: 5, cost: 100 }, { x: 20, cost: 4 }])).toBe('1.00');
  });

  it('marks a generator-bound end, and has nothing to say with fewer than two points or no cost at the first', () => {
    expect(growth([{ x: 1, cost: 4 }, { x: 20, cost: 8, bound: true }])).toBe('2.00 (generator-bound)');
    expect(growth([{ x: 1, cost: 4 }])).toBe('–');
    expect(growth([{ x: 1, cost: 0 }, { x: 2, cost: 1 }])).toBe('–');
  });
});

describe('flatSection', () => {
  const md = flatSection(flat).join('\n');

  it('leads each room curve with its growth and lists its points by what grows', () => {
    expect(md).toContain('| ics-chat (IRC) | 0.50 | 1.00 |');
    const rows = md.split('\n').filter((l) => l.startsWith('| ics-chat (IRC) | ') && l.includes(' µs |'));
    expect(rows.map((r) => r.split(' | ')[1])).toEqual(['250', '2,000']);
    expect(rows[0]).toContain('| 250 | 1 | 1.5 s | 50 | 12,450 | 100.00 % | 1.0 | 5.0 | 12 % | 10.0 µs | 30 %, 1.0 / 2.0 ms |');
    expect(md).toContain('99,950 deliveries/s at 2,000 members');
    expect(md).toContain('| peer (IRC) | 3.00 (generator-bound) | 10.00 (generator-bound) |');
    expect(md).toContain('**generator-bound**');
  });

  it('links each chart', () => {
    for (const file of Object.values(FLAT_CHARTS)) expect(md).toContain(`](${file})`);
  });

  it('marks the history points that miss the targets in bold and says which sizes were built this run', () => {
    expect(md).toContain('| 1,000,000 | kept | 850 | 900 | 2.0 s | 1.0 / 4.0 (`? rare`) | 2.0 / 8.0 (`? the`) | 40 % |');
    expect(md).toContain('| 3,000,000 | 200 s | 2,450 | **2,500** | 2.0 s | 1.0 / **12.0** (`? rare`) | 2.0 / **24.0** (`? the`) | 40 % |');
    expect(md).toContain('| growth | 3.00 | 2.78 |');
  });

  it('says how many lines got through after the idle hold, and which counts the machine had no room for', () => {
    expect(md).toContain('| ics-chat (IRC) | 5,000 | 4.0 KB | 4,000 | 60 % | 5,000 / 5,000 | 2.0 s |');
    expect(md).toContain('| 9,990 / 10,000 **not all** |');
    expect(md).toContain('- ics-chat (IRC): 20,000 connections need more than the 20,000 open files a process may have here: measured at 19,700 instead.');
  });

  it('is nothing when no flat-cost scenario was measured', () => {
    expect(flatSection({ bigroom: null, manyrooms: null, bighistory: null, manyidle: null })).toEqual([]);
  });
});

describe('keepUnmeasuredFlat', () => {
  it('takes what this run measured and keeps the rest from the saved results', () => {
    const fresh: FlatResults = { bigroom: null, manyrooms: null, bighistory: [history(1, 1, 1)], manyidle: null };
    const kept = keepUnmeasuredFlat((s) => s === 'bighistory', fresh, flat);
    expect(kept).toEqual({ ...flat, bighistory: fresh.bighistory });
    expect(keepUnmeasuredFlat(() => true, undefined, flat)).toEqual({ bigroom: null, manyrooms: null, bighistory: null, manyidle: null });
  });
});

describe('the charts', () => {
  it('labels ticks briefly and tops the y axis on a 1-2-5 step above the highest point', () => {
    expect([250, 2000, 10_000, 20_000, 1_000_000, 3_000_000].map(tickLabel)).toEqual(['250', '2,000', '10k', '20k', '1M', '3M']);
    expect([9, 10, 42, 0.3, 0].map(niceTop)).toEqual([10, 20, 50, 0.5, 1]);
  });

  it('draws one chart per measured scenario, a line per series, generator-bound points grey', () => {
    const charts = flatCharts(flat);
    expect(charts.map(([file]) => file)).toEqual(Object.values(FLAT_CHARTS));
    const [, rooms] = charts[1]!;
    expect(rooms.series[0]!.points.map((p) => [p.x, p.y.toFixed(1), p.bound])).toEqual([[1, '5.0', false], [20, '15.0', true]]);
    const svg = curveSvg(rooms);
    expect(svg.match(/<polyline/g)).toHaveLength(1);
    expect(svg).toContain('fill="#aaaaaa"');
    expect(svg).toContain('grey: generator-bound');
    expect(flatCharts({ bigroom: null, manyrooms: null, bighistory: null, manyidle: null })).toEqual([]);
    const searchSvg = curveSvg(charts[2]![1]);
    expect(searchSvg).toContain('target: 10 ms');
    expect(searchSvg.match(/<polyline/g)).toHaveLength(2);
  });
});
