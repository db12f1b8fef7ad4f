/** What the benchmark's report sections share: number formats, tables, and the per-step cost figures. */
import { GENERATOR_CPU_BOUND_PCT, GENERATOR_LAG_BOUND_MS, generatorBound, type StepResult } from './types.js';

/** One decimal, or '–' for a figure that was not measured. */
export const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : '–');
/** A whole number with thousands separators, or '–'. */
export const f0 = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
/** A share (0..1) as a percentage with two decimals, or '–'. */
export const pct = (n: number): string => (Number.isFinite(n) ? `${(n * 100).toFixed(2)} %` : '–');
/** ours / theirs to two decimals, or '–' when either is missing. */
export const ratio = (ours: number, theirs: number): string => (Number.isFinite(ours / theirs) && theirs > 0 ? (ours / theirs).toFixed(2) : '–');

/** A knee, marked as a lower bound when the server never missed. */
export const kneeText = (n: number, open: boolean): string => `${open ? '≥ ' : ''}${f0(n)}`;

/** Server CPU time per delivered line, in µs (every server process of the step together). */
export const cpuPerLineUs = (s: StepResult): number => (s.serverCpuPct / 100 / s.deliveredPerSec) * 1e6;

/** The generator's own cost in a step, flagged when it was saturated. */
export function generatorText(s: StepResult): string {
  return `${f0(s.generatorCpuPct)} %, ${f1(s.generatorLagP99Ms)} / ${f1(s.generatorLagMaxMs)} ms${generatorBound(s) ? ' **generator-bound**' : ''}`;
}

/** The column that shows the generator's own cost. */
export const GENERATOR_HEAD = 'generator CPU, lag p99 / max';
/** What generator-bound means, said once under the tables that use it. */
export const GENERATOR_NOTE = `Generator-bound: the load generator used ≥ ${GENERATOR_CPU_BOUND_PCT} % of its core or its event loop ran more than ${GENERATOR_LAG_BOUND_MS} ms late at p99, so the step measured the generator as much as the server; it ends a ramp and is never counted as a server's knee.`;

/** A Markdown table. */
export function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
