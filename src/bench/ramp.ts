/**
 * Which rate the generator offers next. A ramp to the knee climbs the planned rates until a step
 * misses the criteria, then bisects between the last rate that met them and that one, so the
 * knee is known more finely than the ramp's stride without measuring every finer rate. A step
 * that misses is measured once more before the ramp takes it as missed: on a shared machine
 * noise only ever makes a step worse, so a rate counts as met when either measurement met the
 * criteria (knee.ts), and one passing spike of host load no longer ends a ramp. A step that
 * saturated the generator ends the ramp: past it the generator, not the server, is measured.
 */
import { rateOutcomes } from './knee.js';
import { generatorBound, withinKnee, type GenConfig, type StepResult } from './types.js';

export type RampPlan = Pick<GenConfig, 'rates' | 'stopAtKnee' | 'bisections'>;

/** The next rate to offer after the steps measured so far (in the order measured), or null when done. */
export function nextRate(plan: RampPlan, done: readonly StepResult[]): number | null {
  if (!plan.stopAtKnee) return plan.rates[done.length] ?? null;
  if (done.some(generatorBound)) return null;
  const last = done.at(-1);
  if (last && !withinKnee(last) && done.filter((s) => s.offered === last.offered).length === 1) return last.offered;
  let passed = 0;
  let missed: number | null = null;
  let bisected = 0;
  const rates = rateOutcomes(done);
  for (const [rate, outcome] of rates) {
    if (missed !== null) bisected++;
    if (outcome.met) passed = rate;
    else missed = rate;
  }
  if (missed === null) return plan.rates[rates.size] ?? null;
  if (bisected >= (plan.bisections ?? 0)) return null;
  const mid = Math.round((passed + missed) / 2);
  return mid > passed && mid < missed ? mid : null;
}
