import { describe, expect, it } from 'vitest';
import { kneeOf, kneesOf } from './knee.js';
import type { StepResult } from './types.js';

function step(offered: number, p99: number, generator: { cpu?: number; lag?: number } = {}): StepResult {
  return {
    offered, sent: 0, expected: 0, delivered: 0, ratio: 1, deliveredPerSec: 0, p50: 1, p99, p999: p99, max: p99, serverCpuPct: 50, serverRssBytes: 0,
    generatorCpuPct: generator.cpu ?? 30,
    generatorLagP99Ms: generator.lag ?? 1,
    generatorLagMaxMs: (generator.lag ?? 1) * 2,
  };
}

describe('kneeOf', () => {
  it('is the last rate before the first step that misses, however later steps fare', () => {
    expect(kneeOf([step(2000, 5), step(4000, 20), step(6000, 150), step(8000, 30)])).toEqual({ rate: 4000, open: false });
    expect(kneeOf([step(2000, 101)])).toEqual({ rate: 0, open: false });
  });

  it('takes the bisection steps, measured after the miss, by their rate', () => {
    expect(kneeOf([step(2000, 5), step(4000, 20), step(6000, 150), step(5000, 60)])).toEqual({ rate: 5000, open: false });
    expect(kneeOf([step(2000, 5), step(4000, 20), step(6000, 150), step(5000, 160)])).toEqual({ rate: 4000, open: false });
  });

  it('counts a rate measured twice as met when either measurement met the criteria', () => {
    expect(kneeOf([step(2000, 5), step(4000, 150), step(4000, 40), step(6000, 150), step(6000, 120), step(5000, 60)])).toEqual({ rate: 5000, open: false });
    expect(kneeOf([step(2000, 5), step(4000, 150), step(4000, 140), step(3000, 60)])).toEqual({ rate: 3000, open: false });
  });

  it('is a lower bound when the ramp ended first', () => {
    expect(kneeOf([step(2000, 5), step(4000, 20)])).toEqual({ rate: 4000, open: true });
  });

  it('never counts a step that saturated the generator, and leaves the knee below it a lower bound', () => {
    expect(kneeOf([step(2000, 5), step(4000, 20, { cpu: 92 })])).toEqual({ rate: 2000, open: true });
    expect(kneeOf([step(2000, 5), step(4000, 150, { lag: 40 })])).toEqual({ rate: 2000, open: true });
    expect(kneeOf([step(2000, 5), step(4000, 20, { cpu: 89, lag: 20 }), step(6000, 150)])).toEqual({ rate: 4000, open: false });
  });
});

describe('kneesOf', () => {
  it('takes the median of the runs, a lower bound when most runs were', () => {
    const k = kneesOf([[step(2000, 5), step(4000, 150)], [step(2000, 5), step(4000, 20)], [step(2000, 5), step(4000, 20)]]);
    expect(k.median).toBe(4000);
    expect(k.medianOpen).toBe(true);
  });
});
