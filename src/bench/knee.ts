/**
 * The S2 knee: the highest offered rate at which the server met the criteria. Steps may come
 * out of order (the ramp is bisected after its first miss) and a rate may be measured twice (a
 * miss is measured again); a step that saturated the generator is never the server's: it ends
 * what the ramp can say, leaving the knee a lower bound.
 */
import { generatorBound, withinKnee, type StepResult } from './types.js';

export interface Knee {
  /** The highest offered rate that met the criteria below the lowest one that did not (0 if none did). */
  rate: number;
  /** The server never missed within what was measured (the ramp ended, or the generator saturated first): the knee is at least `rate`. */
  open: boolean;
}

/** What was measured at one offered rate: met when any of its measurements met the criteria (a miss is measured twice: ramp.ts), bound when one saturated the generator. */
export interface RateOutcome {
  met: boolean;
  bound: boolean;
}

/** Each rate measured, in the order first measured, with its outcome. */
export function rateOutcomes(steps: readonly StepResult[]): Map<number, RateOutcome> {
  const rates = new Map<number, RateOutcome>();
  for (const s of steps) {
    const outcome = rates.get(s.offered) ?? { met: false, bound: false };
    rates.set(s.offered, { met: outcome.met || withinKnee(s), bound: outcome.bound || generatorBound(s) });
  }
  return rates;
}

/** The knee of one ramp. */
export function kneeOf(steps: readonly StepResult[]): Knee {
  const rates = [...rateOutcomes(steps)];
  let stop: [number, RateOutcome] | null = null;
  for (const entry of rates) if ((entry[1].bound || !entry[1].met) && (stop === null || entry[0] < stop[0])) stop = entry;
  const below = rates.filter(([rate, o]) => (stop === null || rate < stop[0]) && o.met && !o.bound);
  return { rate: Math.max(0, ...below.map(([rate]) => rate)), open: stop === null || stop[1].bound };
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
