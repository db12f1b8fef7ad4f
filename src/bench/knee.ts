/**
 * The S2 knee: the highest offered rate at which the server met the criteria. Steps may come
 * out of order (the ramp is bisected after its first miss), and a step that saturated the
 * generator is never the server's: it ends what the ramp can say, leaving the knee a lower bound.
 */
import { generatorBound, withinKnee, type StepResult } from './types.js';

export interface Knee {
  /** The highest offered rate that met the criteria below the lowest one that did not (0 if none did). */
  rate: number;
  /** The server never missed within what was measured (the ramp ended, or the generator saturated first): the knee is at least `rate`. */
  open: boolean;
}

/** The knee of one ramp. */
export function kneeOf(steps: readonly StepResult[]): Knee {
  let stop: StepResult | null = null;
  for (const s of steps) if ((generatorBound(s) || !withinKnee(s)) && (stop === null || s.offered < stop.offered)) stop = s;
  const below = steps.filter((s) => (stop === null || s.offered < stop.offered) && withinKnee(s) && !generatorBound(s));
  return { rate: Math.max(0, ...below.map((s) => s.offered)), open: stop === null || generatorBound(stop) };
}

export interface Knees {
  runs: Knee[];
  median: number;
  /** The median is a lower bound: most runs ended before the server missed. */
  medianOpen: boolean;
}

/** The knees of several ramps of one server, and their median. */
export function kneesOf(reps: readonly StepResult[][]): Knees {
  const runs = reps.map(kneeOf);
  return { runs, median: median(runs.map((k) => k.rate)), medianOpen: runs.filter((k) => k.open).length * 2 > runs.length };
}

function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  return v.length === 0 ? Number.NaN : v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
}
