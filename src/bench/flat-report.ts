/**
 * The "costs that stay flat as work grows" section of BENCHMARKS.md: one curve per scenario,
 * each point measured on a fresh server, with the growth of the cost from the curve's first point
 * to its last leading (1.00 is flat), and the generator's own cost beside every point so a
 * saturated generator is never read as a fast server.
 */
import type { HistoryMeasure } from './history-bench.js';
import { cpuPerLineUs, f0, f1, GENERATOR_HEAD, generatorText, pct, table } from './markdown.js';
import type { TargetRun } from './report.js';
import { generatorBound, type StepResult } from './types.js';

/** One measured point of a curve: `x` is what grows (members, rooms per user), `rooms` how many rooms the load had, `joinMs` how long joining them took. */
export interface CurvePoint {
  x: number;
  rooms: number;
  joinMs: number;
  step: StepResult;
}

export interface CurveRun {
  target: TargetRun;
  points: CurvePoint[];
}

/** One count of idle connections held, and what a line through each found afterwards. */
export interface IdlePoint {
  clients: number;
  rssPerConnBytes: number;
  connectsPerSec: number;
  /** The generator's CPU while it set the connections up: 100 is its whole core. */
  generatorCpuPct: number;
  served: number;
  expected: number;
  probeMs: number;
}

export interface IdleRun {
  target: TargetRun;
  points: IdlePoint[];
  /** Counts measured at fewer connections than asked, and why (too few open files or ports here). */
  reduced: string[];
}

/** What the flat-cost scenarios measured; null for one this run (and the kept results) did not. */
export interface FlatResults {
  bigroom: { linesPerSec: number; runs: CurveRun[] } | null;
  manyrooms: { users: number; deliveriesPerSec: number; runs: CurveRun[] } | null;
  bighistory: HistoryMeasure[] | null;
  manyidle: { runs: IdleRun[] } | null;
}

const NO_FLAT: FlatResults = { bigroom: null, manyrooms: null, bighistory: null, manyidle: null };

/** `fresh`'s flat-cost scenarios where `has` says this run measured them, the `saved` ones elsewhere. */
export function keepUnmeasuredFlat(has: (s: keyof FlatResults) => boolean, fresh: FlatResults | undefined, saved: FlatResults | undefined): FlatResults {
  const [f, s] = [fresh ?? NO_FLAT, saved ?? NO_FLAT];
  return { bigroom: has('bigroom') ? f.bigroom : s.bigroom, manyrooms: has('manyrooms') ? f.manyrooms : s.manyrooms, bighistory: has('bighistory') ? f.bighistory : s.bighistory, manyidle: has('manyidle') ? f.manyidle : s.manyidle };
}

/** The targets the history points are held to (the search and start-up scenarios' own). */
export const HISTORY_TARGETS = { searchP99Ms: 10, startupMs: 2000 };

/** last / first of a cost along a curve (1.00: flat), marked when an end was generator-bound; '–' when an end is missing. */
export function growth(points: readonly { x: number; cost: number; bound?: boolean }[]): string {
  const sorted = [...points].sort((a, b) => a.x - b.x);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last || first === last || !(first.cost > 0) || !Number.isFinite(last.cost)) return '–';
  return `${(last.cost / first.cost).toFixed(2)}${first.bound || last.bound ? ' (generator-bound)' : ''}`;
}

/** The chart files the section links, relative to the repository. */
export const FLAT_CHARTS = {
  bigroom: 'docs/bench-flat-bigroom.svg',
  manyrooms: 'docs/bench-flat-manyrooms.svg',
  bighistory: 'docs/bench-flat-bighistory.svg',
  manyidle: 'docs/bench-flat-manyidle.svg',
} as const;

const costPoints = (run: CurveRun): { x: number; cost: number; bound: boolean }[] => run.points.map((p) => ({ x: p.x, cost: cpuPerLineUs(p.step), bound: generatorBound(p.step) }));

function curveSection(runs: readonly CurveRun[], xHead: string, chart: string): string[] {
  const out: string[] = [];
  out.push(table(['server (protocol)', 'CPU per delivered line, last / first point', 'p99, last / first point'], runs.map((r) => [r.target.label, growth(costPoints(r)), growth(r.points.map((p) => ({ x: p.x, cost: p.step.p99, bound: generatorBound(p.step) })))])), '');
  out.push(`![server CPU per delivered line as the load grows](${chart})`, '');
  out.push(
    table(
      ['server (protocol)', xHead, 'rooms', 'joining them took', 'offered lines/s', 'delivered lines/s', 'delivered', 'p50 ms', 'p99 ms', 'server CPU', 'CPU per delivered line', GENERATOR_HEAD],
      runs.flatMap((r) =>
        [...r.points]
          .sort((a, b) => a.x - b.x)
          .map(({ x, rooms, joinMs, step: s }) => [r.target.label, f0(x), f0(rooms), `${f1(joinMs / 1000)} s`, f0(s.offered), f0(s.deliveredPerSec), pct(s.ratio), f1(s.p50), f1(s.p99), `${f0(s.serverCpuPct)} %`, `${f1(cpuPerLineUs(s))} µs`, generatorText(s)]),
      ),
    ),
    '',
  );
  return out;
}

function historySection(points: readonly HistoryMeasure[]): string[] {
  const met = (ms: number, limit: number, format: (n: number) => string): string => (ms <= limit ? format(ms) : `**${format(ms)}**`);
  const sorted = [...points].sort((a, b) => a.lines - b.lines);
  const shapes = sorted[0]?.queries.map((q) => q.shape) ?? [];
  const out: string[] = [];
  out.push(
    `Each size is its own history (the search scenario's: words drawn from a Zipf distribution over the sonnets' vocabulary, among ${f0(sorted[0]?.users ?? 0)} users), built once with the store's own code and kept in \`bench/out\`; the server starts on a copy of it, and is asked once its search index has merged its segments, as a server's has after a quiet moment (FTS5 leaves a history written in one go with about a dozen, each read by a user's first search). ` +
      `Targets: search p99 ≤ ${HISTORY_TARGETS.searchP99Ms} ms, start-up ≤ ${f0(HISTORY_TARGETS.startupMs)} ms (bold: missed). The client that asks is this run's own process.`,
    '',
  );
  out.push(table(['', 'search p99, last / first size', 'start-up, last / first size'], [['growth', growth(sorted.map((p) => ({ x: p.lines, cost: p.queries.reduce((m, q) => Math.max(m, q.p99), 0) }))), growth(sorted.map((p) => ({ x: p.lines, cost: p.msToLogin })))]]), '');
  out.push(`![search p99 as the history grows](${FLAT_CHARTS.bighistory})`, '');
  out.push(
    table(
      ['lines', 'built in', 'start-up to ready ms', 'to the first login ms', 'index merged after', ...shapes.map((s) => `${s} p50 / p99 ms`), 'client CPU'],
      sorted.map((p) => [
        f0(p.lines),
        p.buildSeconds === null ? 'kept' : `${f0(p.buildSeconds)} s`,
        f0(p.msToReady),
        met(p.msToLogin, HISTORY_TARGETS.startupMs, f0),
        // Results saved before the index merged in quiet times have no such figure.
        p.mergeSeconds === undefined ? '–' : `${f1(p.mergeSeconds)} s`,
        ...p.queries.map((q) => `${f1(q.p50)} / ${met(q.p99, HISTORY_TARGETS.searchP99Ms, f1)} (\`? ${q.query}\`)`),
        `${f0(p.clientCpuPct)} %`,
      ]),
    ),
    '',
  );
  return out;
}

function idleSection(runs: readonly IdleRun[]): string[] {
  const out: string[] = [];
  out.push(table(['server (protocol)', 'RSS per connection, last / first count'], runs.map((r) => [r.target.label, growth(r.points.map((p) => ({ x: p.clients, cost: p.rssPerConnBytes })))])), '');
  out.push(`![server memory per idle connection as connections grow](${FLAT_CHARTS.manyidle})`, '');
  out.push(
    table(
      ['server (protocol)', 'clients', 'server RSS per connection', 'connections set up per second', 'generator CPU while setting up', 'lines through afterwards', 'pairing and the lines took'],
      runs.flatMap((r) => r.points.map((p) => [r.target.label, f0(p.clients), `${f1(p.rssPerConnBytes / 1024)} KB`, f0(p.connectsPerSec), `${f0(p.generatorCpuPct)} %`, `${f0(p.served)} / ${f0(p.expected)}${p.served < p.expected ? ' **not all**' : ''}`, `${f1(p.probeMs / 1000)} s`])),
    ),
    '',
  );
  for (const r of runs) for (const why of r.reduced) out.push(`- ${r.target.label}: ${why}.`);
  if (runs.some((r) => r.reduced.length)) out.push('');
  return out;
}

/** The section, or nothing when no flat-cost scenario was measured. */
export function flatSection(flat: FlatResults): string[] {
  const { bigroom, manyrooms, bighistory, manyidle } = flat;
  if (!bigroom && !manyrooms && !bighistory && !manyidle) return [];
  const out: string[] = ['## Costs that stay flat as work grows', ''];
  out.push(
    'Each point is measured on a freshly started server. The growth columns divide the cost at the curve\'s last point by that at its first: 1.00 means the cost per unit of work stayed flat.',
    '',
  );
  if (bigroom || manyrooms) out.push('In the room scenarios ics-chat is measured over its IRC front, like the peers: the generator\'s IRC client alone is in several rooms at once.', '');
  if (bigroom) {
    out.push(`### One room of up to 2,000 members, ${f0(bigroom.linesPerSec)} lines/s in all`, '');
    const most = Math.max(0, ...bigroom.runs.flatMap((r) => r.points.map((p) => p.x)));
    out.push(`Every member writes at its own times; each line goes to every other member (${f0(bigroom.linesPerSec * (most - 1))} deliveries/s at ${f0(most)} members).`, '');
    out.push(...curveSection(bigroom.runs, 'members', FLAT_CHARTS.bigroom));
  }
  if (manyrooms) {
    out.push(`### ${f0(manyrooms.users)} users, each in 1 to 20 rooms of 10 to 50 members, ${f0(manyrooms.deliveriesPerSec)} deliveries/s`, '');
    out.push('Every user is in the same number of rooms; each membership writes at its own times, and the offered lines/s is set so that the deliveries per second stay the same along the curve.', '');
    out.push(...curveSection(manyrooms.runs, 'rooms per user', FLAT_CHARTS.manyrooms));
  }
  if (bighistory) {
    out.push('### Search and start-up as the history grows', '');
    out.push(...historySection(bighistory));
  }
  if (manyidle) {
    out.push('### Idle connections, then one line through each', '');
    out.push('The clients log in and stay idle while the server\'s memory is read; then they pair up and each sends its partner one line, which must arrive within 3 s.', '');
    out.push(...idleSection(manyidle.runs));
  }
  return out;
}
