import { describe, expect, it } from 'vitest';
import type { MachineInfo } from './machine.js';
import { HAND_WRITTEN_MARK, handWritten, renderMarkdown, type Results, type TargetRun } from './report.js';
import type { StepResult } from './types.js';

function step(offered: number, p99: number, ratio = 1, over: Partial<StepResult> = {}): StepResult {
  const delivered = offered * 9 * 10 * ratio;
  return {
    offered, sent: offered * 10, expected: offered * 90, delivered, ratio, deliveredPerSec: delivered / 10, p50: p99 / 4, p99, p999: p99 * 2, max: p99 * 3,
    serverCpuPct: 50, serverRssBytes: 1 << 27, generatorCpuPct: 30, generatorLagP99Ms: 1.5, generatorLagMaxMs: 4, ...over,
  };
}

const ours: TargetRun = { label: 'ics-chat (native)', server: 'ics-chat', ours: true, protocol: 'native' };
const peer: TargetRun = { label: 'peer (IRC)', server: 'peer', ours: false, protocol: 'irc' };

function results(over: Partial<Results>): Results {
  return { command: 'npm run bench', quick: false, started: new Date(Date.UTC(2026, 11, 1)), seconds: 60, machine: null, s1: [], s2: [], s3: [], search: null, startup: null, notes: [], ...over };
}

/** The Markdown from `from` on, up to the next section. */
function section(md: string, from: string): string {
  const at = md.indexOf(from);
  expect(at, `a section ${from}`).toBeGreaterThanOrEqual(0);
  const next = md.indexOf('\n## ', at + 1);
  return md.slice(at, next < 0 ? undefined : next);
}

describe('renderMarkdown', () => {
  it('says what the Node.js floor is when it was measured, and not otherwise', () => {
    const floor: TargetRun = { label: 'Node.js floor (IRC)', server: 'Node.js floor', ours: false, protocol: 'irc' };
    const s1 = (target: TargetRun) => ({ target, step: step(2000, 1), connectsPerSec: 1000 });
    expect(renderMarkdown(results({ s1: [s1(ours), s1(floor)] }), 'chart.png')).toContain('Node.js floor (`src/bench/floor-server.ts`) is the least an IRC server');
    expect(renderMarkdown(results({ s1: [s1(ours), s1(peer)] }), 'chart.png')).not.toContain('floor-server.ts');
  });

  it('marks a knee the ramp never reached as a lower bound, and the ratio against it as an upper bound', () => {
    const md = renderMarkdown(
      results({
        s2: [
          { target: ours, reps: [[step(2000, 5), step(4000, 150)]] },
          { target: peer, reps: [[step(2000, 5), step(4000, 40)]] },
        ],
      }),
      'chart.png',
    );
    expect(md).toContain('| ics-chat (native) | 2,000 lines/s | 2,000 |');
    expect(md).toContain('| peer (IRC) | ≥ 4,000 lines/s | ≥ 4,000 |');
    expect(md).toContain('| ics-chat (native) | ≤ 0.50 |');
  });

  it('marks a step that saturated the generator, and never takes it for the knee', () => {
    const md = renderMarkdown(
      results({
        s1: [{ target: ours, step: step(2000, 3, 1, { generatorCpuPct: 95 }), connectsPerSec: 1000 }],
        s2: [{ target: ours, reps: [[step(2000, 5), step(4000, 20, 1, { generatorLagP99Ms: 35, generatorLagMaxMs: 80 }), step(6000, 30)]] }],
      }),
      'chart.png',
    );
    expect(md).toContain('| ics-chat (native) | 4,000 | 36,000 | 100.00 % | 5.0 | 20.0 | 40.0 | 50 % | 30 %, 35.0 / 80.0 ms **generator-bound** |');
    expect(md).toContain('| ics-chat (native) | 2,000 | 18,000 | 100.00 % | 1.3 | 5.0 | 10.0 | 50 % | 30 %, 1.5 / 4.0 ms |');
    expect(md).toContain('| ics-chat (native) | ≥ 2,000 lines/s | ≥ 2,000 |');
    expect(md).toContain('| S1 p99, ics-chat (native) | ≤ 2 ms | 3.0 ms | generator-bound |');
    expect(md).toMatch(/Generator-bound: the load generator used ≥ 90 % of its core or its event loop ran more than 20 ms late/);
  });

  it('lists the steps of a bisected ramp by offered rate', () => {
    const md = renderMarkdown(results({ s2: [{ target: ours, reps: [[step(2000, 5), step(4000, 150), step(3000, 50)]] }] }), 'chart.png');
    const rows = md.split('\n').filter((l) => l.startsWith('| ics-chat (native) | ') && / lines\/s /.test(l) === false);
    expect(rows.map((r) => r.split(' | ')[1])).toEqual(['2,000', '3,000', '4,000']);
    expect(md).toContain('| ics-chat (native) | 3,000 lines/s | 3,000 |');
  });

  it('leads each scenario with the ratios to the peers measured in the same run', () => {
    const md = renderMarkdown(
      results({
        s1: [
          { target: ours, step: step(2000, 4, 1, { serverCpuPct: 30 }), connectsPerSec: 1000 },
          { target: peer, step: step(2000, 2, 1, { serverCpuPct: 10 }), connectsPerSec: 1000 },
        ],
        s2: [
          { target: ours, reps: [[step(2000, 5, 1, { serverCpuPct: 20 }), step(4000, 20, 1, { serverCpuPct: 40 }), step(6000, 150)]] },
          { target: peer, reps: [[step(2000, 5, 1, { serverCpuPct: 5 }), step(4000, 20, 1, { serverCpuPct: 10 }), step(6000, 20), step(8000, 200)]] },
        ],
        s3: [
          { target: ours, clients: 5000, rssPerConnBytes: 6 * 1024, connectsPerSec: 4000 },
          { target: peer, clients: 5000, rssPerConnBytes: 3 * 1024, connectsPerSec: 4000 },
        ],
      }),
      'chart.png',
    );
    const s1 = section(md, '## S1');
    expect(s1).toContain('| ics-chat (native) | 2.00 |');
    expect(s1).toContain('| ics-chat (native) | 3.00 |');
    expect(s1.indexOf('ours / theirs')).toBeLessThan(s1.indexOf('delivered lines/s'));
    const s2 = section(md, '## S2');
    expect(s2).toContain('| ics-chat (native) | 0.67 |');
    expect(s2).toContain('| ics-chat (native) | 4.00 (at 4,000/s) |');
    expect(s2.indexOf('ours / theirs')).toBeLessThan(s2.indexOf('!['));
    const s3 = section(md, '## S3');
    expect(s3).toContain('| ics-chat (native) | 2.00 |');
    expect(s3.indexOf('ours / theirs')).toBeLessThan(s3.indexOf('server RSS per connection'));
  });

  it('states the machine of the run: CPU, nproc, and the load at the start and the end', () => {
    const machine: MachineInfo = { cpuModel: 'AMD EPYC', cpus: 4, nproc: 2, memGiB: 24, kernel: '6.1', node: 'v20.20.2', loadStart: [1.13, 1.37, 1.4], loadEnd: [2.5, 1.8, 1.5] };
    const md = renderMarkdown(results({ machine }), 'chart.png');
    expect(md).toContain('Machine: AMD EPYC, 4 CPUs (nproc 2), 24 GiB RAM, Linux 6.1, Node.js v20.20.2; load average (1 / 5 / 15 min) 1.13 / 1.37 / 1.40 at the start and 2.50 / 1.80 / 1.50 at the end.');
    expect(renderMarkdown(results({}), 'chart.png')).toContain('Machine: not recorded with these results.');
  });

  it('says which targets were met and which were not', () => {
    const md = renderMarkdown(
      results({
        s1: [{ target: ours, step: step(2000, 12), connectsPerSec: 1000 }],
        s3: [{ target: ours, clients: 5000, rssPerConnBytes: 6 * 1024, connectsPerSec: 4000 }],
        startup: { lines: 1_000_000, msToReady: 400, msToLogin: 450 },
      }),
      'chart.png',
    );
    expect(md).toContain('| S1 p99, ics-chat (native) | ≤ 2 ms | 12.0 ms | **not met** |');
    expect(md).toContain('| S3 RSS per idle connection, ics-chat (native) | ≤ 5 KB | 6.0 KB | **not met** |');
    expect(md).toContain('| start-up to the first login, 1,000,000 lines | ≤ 2,000 ms | 450 ms | met |');
  });

  it('measures the knee and the CPU per line against InspIRCd, as ratios from the same run', () => {
    const inspircd: TargetRun = { label: 'InspIRCd (IRC)', server: 'InspIRCd', ours: false, protocol: 'irc' };
    const irc: TargetRun = { label: 'ics-chat (IRC)', server: 'ics-chat', ours: true, protocol: 'irc' };
    const md = renderMarkdown(
      results({
        s2: [
          { target: ours, reps: [[step(2000, 5, 1, { serverCpuPct: 24 }), step(4000, 20, 1, { serverCpuPct: 48 }), step(6000, 150)]] },
          { target: irc, reps: [[step(2000, 5, 1, { serverCpuPct: 12 }), step(4000, 20, 1, { serverCpuPct: 22 }), step(6000, 20, 1, { serverCpuPct: 33 }), step(8000, 20)]] },
          { target: peer, reps: [[step(2000, 5), step(4000, 150)]] },
          { target: inspircd, reps: [[step(2000, 5, 1, { serverCpuPct: 10 }), step(4000, 20, 1, { serverCpuPct: 20 }), step(6000, 30, 1, { serverCpuPct: 30 }), step(8000, 300)]] },
        ],
      }),
      'chart.png',
    );
    const targets = section(md, '## Targets');
    expect(targets).toContain('| S2 knee, ics-chat (native) / InspIRCd | ≥ 1.00 | 0.67 | **not met** |');
    expect(targets).toContain('| server CPU per delivered line, ics-chat (native) / InspIRCd | ≤ 1.20, same offered rate | 2.40 (at 4,000/s) | **not met** |');
    expect(targets).toContain('| S2 knee, ics-chat (IRC) / InspIRCd | ≥ 1.00 | ≥ 1.33 | met |');
    expect(targets).toContain('| server CPU per delivered line, ics-chat (IRC) / InspIRCd | ≤ 1.20, same offered rate | 1.10 (at 6,000/s) | met |');
    expect(targets).not.toContain('peer (IRC)');
  });

  it('shows where the time goes: each build\'s flame graph, busy time and busiest functions side by side', () => {
    const md = renderMarkdown(
      results({
        profile: {
          rate: 10000,
          profiles: [
            { label: 'ics-chat (native)', file: 'docs/bench-flame-ours.svg', windowMs: 10000, busyMs: 6000, workersMs: 900, top: [{ name: 'writeBuffer', share: 0.18 }, { name: '(garbage collector)', share: 0.1 }] },
            { label: 'ics-chat before (native)', file: 'docs/bench-flame-before.svg', windowMs: 10000, busyMs: 7000, workersMs: 100, top: [{ name: 'writeBuffer', share: 0.15 }] },
          ],
        },
      }),
      'chart.png',
    );
    const part = section(md, '## Where the time goes: the event loop at 10,000 lines/s');
    expect(part).toContain('| ics-chat (native) | 6,000 ms of 10,000 (60 %) | 900 ms | [docs/bench-flame-ours.svg](docs/bench-flame-ours.svg) |');
    expect(part).toContain('![ics-chat before (native)](docs/bench-flame-before.svg)');
    expect(part).toContain('| 18.0 % `writeBuffer` | 15.0 % `writeBuffer` |');
    expect(part).toContain('| 10.0 % `(garbage collector)` |  |');
  });

  it('keeps the hand-written part of the previous file, and only that', () => {
    const previous = `# Benchmarks\n\nold figures\n\n${HAND_WRITTEN_MARK}\n\n## Analysis\n\nwhy it is fast\n`;
    const kept = handWritten(previous);
    expect(kept.startsWith(HAND_WRITTEN_MARK)).toBe(true);
    const md = renderMarkdown(results({}), 'chart.png', kept);
    expect(md).toContain('why it is fast');
    expect(md).not.toContain('old figures');
    expect(handWritten('# Benchmarks\n\nno mark here\n')).toBe('');
  });
});
