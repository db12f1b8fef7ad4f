import { describe, expect, it } from 'vitest';
import { summarizeMemory, type Sample } from './monitor.js';

const MB = 1 << 20;
const at = (t: number, mb: number): Sample => ({ node: 'server', t, rssBytes: mb * MB, users: 0, groups: 0, connections: 0, lines: 0 });

describe('summarizeMemory', () => {
  it.each([
    { name: 'flat after warm-up', samples: [at(0, 50), at(10, 80), at(20, 80), at(30, 80)], from: 10, growth: 0, perMin: 0, peak: 80 },
    { name: 'steady growth of 1 MB per 10 s', samples: [at(0, 50), at(10, 60), at(20, 61), at(30, 62), at(40, 63)], from: 10, growth: 3 * MB, perMin: 6 * MB, peak: 63 },
    { name: 'shrinking', samples: [at(0, 90), at(10, 80), at(20, 70)], from: 0, growth: -20 * MB, perMin: -60 * MB, peak: 90 },
  ])('$name', ({ samples, from, growth, perMin, peak }) => {
    const m = summarizeMemory(samples, from);
    expect(m.startBytes).toBe(samples[0]!.rssBytes);
    expect(m.endBytes).toBe(samples.at(-1)!.rssBytes);
    expect(m.peakBytes).toBe(peak * MB);
    expect(m.steadyGrowthBytes).toBe(growth);
    expect(m.steadyGrowthBytesPerMinute).toBe(perMin);
  });

  it('has no trend with one steady sample or none', () => {
    expect(summarizeMemory([at(0, 50), at(10, 60)], 10).steadyGrowthBytes).toBe(0);
    expect(summarizeMemory([], 0)).toMatchObject({ startBytes: 0, peakBytes: 0, endBytes: 0, steadyGrowthBytes: 0 });
  });
});
