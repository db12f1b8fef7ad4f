import { describe, expect, it } from 'vitest';
import { HAND_WRITTEN_MARK, handWritten, knee, renderMarkdown, type Results, type TargetRun } from './report.js';
import type { StepResult } from './types.js';

function step(offered: number, p99: number, ratio = 1): StepResult {
  const delivered = offered * 9 * 10 * ratio;
  return { offered, sent: offered * 10, expected: offered * 90, delivered, ratio, deliveredPerSec: delivered / 10, p50: p99 / 4, p99, p999: p99 * 2, max: p99 * 3, serverCpuPct: 50, serverRssBytes: 1 << 27, generatorCpuPct: 30 };
}

const ours: TargetRun = { label: 'ics-chat (native)', server: 'ics-chat', ours: true, protocol: 'native' };
const peer: TargetRun = { label: 'peer (IRC)', server: 'peer', ours: false, protocol: 'irc' };

function results(over: Partial<Results>): Results {
  return { command: 'npm run bench', quick: false, started: new Date(Date.UTC(2026, 11, 1)), seconds: 60, s1: [], s2: [], s3: [], search: null, startup: null, notes: [], ...over };
}

describe('knee', () => {
  it('is the last rate before the first step that misses, however later steps fare', () => {
    expect(knee([step(2000, 5), step(4000, 20), step(6000, 150), step(8000, 30)])).toBe(4000);
    expect(knee([step(2000, 5), step(4000, 20, 0.99)])).toBe(2000);
    expect(knee([step(2000, 101)])).toBe(0);
  });
});

describe('renderMarkdown', () => {
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

  it('says which targets were met and which were not', () => {
    const md = renderMarkdown(
      results({
        s1: [{ target: ours, step: step(2000, 12), connectsPerSec: 1000 }],
        s3: [{ target: ours, clients: 5000, rssPerConnBytes: 6 * 1024, connectsPerSec: 4000 }],
        startup: { lines: 1_000_000, msToReady: 400, msToLogin: 450 },
      }),
      'chart.png',
    );
    expect(md).toContain('| S1 p99, ics-chat (native) | ≤ 10 ms | 12.0 ms | **not met** |');
    expect(md).toContain('| S3 RSS per idle connection, ics-chat (native) | ≤ 10 KB | 6.0 KB | met |');
    expect(md).toContain('| start-up to the first login, 1,000,000 lines | ≤ 2,000 ms | 450 ms | met |');
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
