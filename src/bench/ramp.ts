/**
 * Which rate the generator offers next. A ramp to the knee climbs the planned rates until a step
 * misses the criteria, then bisects between the last step that met them and that one, so the
 * knee is known more finely than the ramp's stride without measuring every finer rate. A step
 * that saturated the generator ends the ramp: past it the generator, not the server, is measured.
 */
import { generatorBound, withinKnee, type GenConfig, type StepResult } from './types.js';

export type RampPlan = Pick<GenConfig, 'rates' | 'stopAtKnee' | 'bisections'>;

/** The next rate to offer after the steps measured so far (in the order measured), or null when done. */
export function nextRate(plan: RampPlan, done: readonly StepResult[]): number | null {
  if (!plan.stopAtKnee) return plan.rates[done.length] ?? null;
  let passed = 0;
  let missed: number | null = null;
  let bisected = 0;
  for (const step of done) {
    if (generatorBound(step)) return null;
    if (missed !== null) bisected++;
    if (withinKnee(step)) passed = step.offered;
    else missed = step.offered;
  }
  if (missed === null) return plan.rates[done.length] ?? null;
  if (bisected >= (plan.bisections ?? 0)) return null;
  const mid = Math.round((passed + missed) / 2);
  return mid > passed && mid < missed ? mid : null;
}
