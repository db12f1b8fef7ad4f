import { describe, expect, it } from 'vitest';
import { nextRate, type RampPlan } from './ramp.js';
import type { StepResult } from './types.js';

const rates = [2000, 4000, 6000, 8000];

/** A step that met the criteria (ok), missed them, or saturated the generator. */
function step(offered: number, how: 'ok' | 'missed' | 'generator'): StepResult {
  return {
    offered, sent: 0, expected: 0, delivered: 0, ratio: 1, deliveredPerSec: 0, p50: 1, p999: 1, max: 1, serverCpuPct: 50, serverRssBytes: 0,
    p99: how === 'missed' ? 500 : 10,
    generatorCpuPct: how === 'generator' ? 95 : 30,
    generatorLagP99Ms: 1,
    generatorLagMaxMs: 2,
  };
}

/** Runs the plan against a server whose knee is `knee`, returning the rates offered in order. */
function simulate(plan: RampPlan, knee: number, generatorLimit = Infinity): number[] {
  const done: StepResult[] = [];
  for (let rate = nextRate(plan, done); rate !== null; rate = nextRate(plan, done)) {
    done.push(step(rate, rate >= generatorLimit ? 'generator' : rate <= knee ? 'ok' : 'missed'));
    if (done.length > 50) throw new Error('the plan does not end');
  }
  return done.map((s) => s.offered);
}

describe('nextRate', () => {
  it('measures every rate when not ramping to the knee', () => {
    expect(simulate({ rates, stopAtKnee: false }, 0)).toEqual(rates);
  });

  it('stops at the first miss, measured twice, without bisections', () => {
    expect(simulate({ rates, stopAtKnee: true, bisections: 0 }, 4000)).toEqual([2000, 4000, 6000, 6000]);
  });

  it('bisects between the last step that met the criteria and the first that missed', () => {
    expect(simulate({ rates, stopAtKnee: true, bisections: 1 }, 5200)).toEqual([2000, 4000, 6000, 6000, 5000]);
    expect(simulate({ rates, stopAtKnee: true, bisections: 1 }, 4200)).toEqual([2000, 4000, 6000, 6000, 5000, 5000]);
    expect(simulate({ rates, stopAtKnee: true, bisections: 2 }, 5200)).toEqual([2000, 4000, 6000, 6000, 5000, 5500, 5500]);
    expect(simulate({ rates, stopAtKnee: true, bisections: 2 }, 4200)).toEqual([2000, 4000, 6000, 6000, 5000, 5000, 4500, 4500]);
  });

  it('bisects below the first rate when even that one misses', () => {
    expect(simulate({ rates, stopAtKnee: true, bisections: 2 }, 1200)).toEqual([2000, 2000, 1000, 1500, 1500]);
  });

  it('ends the ramp at the end of the plan when nothing missed', () => {
    expect(simulate({ rates, stopAtKnee: true, bisections: 2 }, 100_000)).toEqual(rates);
  });

  it('ends the ramp, without bisecting, at a step that saturated the generator', () => {
    expect(simulate({ rates, stopAtKnee: true, bisections: 2 }, 100_000, 6000)).toEqual([2000, 4000, 6000]);
    expect(nextRate({ rates, stopAtKnee: true, bisections: 2 }, [step(2000, 'ok'), step(4000, 'ok'), step(6000, 'missed'), step(5000, 'generator')])).toBeNull();
  });

  it('stops bisecting when no whole rate is left between the two', () => {
    expect(nextRate({ rates: [1], stopAtKnee: true, bisections: 5 }, [step(1, 'missed'), step(1, 'missed')])).toBeNull();
  });

  it('measures a missed step again, and ramps on when the second measurement meets the criteria', () => {
    const plan = { rates, stopAtKnee: true, bisections: 1 };
    expect(nextRate(plan, [step(2000, 'ok'), step(4000, 'missed')])).toBe(4000);
    expect(nextRate(plan, [step(2000, 'ok'), step(4000, 'missed'), step(4000, 'ok')])).toBe(6000);
    expect(nextRate(plan, [step(2000, 'ok'), step(4000, 'missed'), step(4000, 'missed')])).toBe(3000);
  });
});
