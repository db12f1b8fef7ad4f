/**
 * The flat-cost scenarios (bigroom, manyrooms, bighistory, manyidle): each a curve of loads that
 * grow while something else is held still, every point on a freshly started server, so the
 * report can show whether the cost per unit of work stays flat. Room scenarios run over IRC,
 * ours and the peers alike (only the IRC bench client is in several rooms at once); bighistory is
 * ours alone (the peers keep no history); manyidle holds every front and peer.
 */
import type { BenchOptions, Scenario } from './options.js';
import type { Progress } from './progress.js';
import { holdIdle, runGenerator, type GeneratorListener } from './run.js';
import { measureHistoryAt } from './history-bench.js';
import { fittingCounts, machineLimits } from './limits.js';
import { linesPerSecFor, planRooms, type RoomSpec } from './room-plan.js';
import { sampleProc, settledRss } from './stats.js';
import { genConfig, withServer, type Target } from './targets.js';
import type { CurveRun, FlatResults, IdleRun } from './flat-report.js';

/** The curves. A quick run keeps the room curves (shorter steps) and shortens the idle one. */
export const BIG_ROOM = { members: [250, 500, 1000, 2000], linesPerSec: 50 };
export const MANY_ROOMS = { users: 1000, perUser: [1, 5, 10, 20], minSize: 10, maxSize: 50, deliveriesPerSec: 20_000 };
export const IDLE_CURVE = { full: [5000, 10_000, 20_000], quick: [1000, 2500, 5000] };

export interface FlatRun {
  root: string;
  cache: string;
  options: BenchOptions;
  list: readonly Target[];
  progress: Progress;
  listener: GeneratorListener;
  log(line: string): void;
  measures(scenario: Scenario): boolean;
}

const n = (v: number): string => v.toLocaleString('en-US');

/** One curve of room loads over the IRC targets: `points` gives each point's x, its rooms and its offered rate. */
async function roomCurve(run: FlatRun, title: string, xs: readonly number[], point: (x: number) => { spec: RoomSpec; clients: number; rate: number; rooms: number }): Promise<CurveRun[]> {
  const irc = run.list.filter((t) => t.run.protocol === 'irc');
  run.progress.scenario(title, irc.length * xs.length);
  const runs: CurveRun[] = [];
  try {
    for (const t of irc) {
      const curve: CurveRun = { target: t.run, points: [] };
      for (const x of xs) {
        const { spec, clients, rate, rooms } = point(x);
        run.progress.unit(`${t.run.label}, ${n(x)}`);
        const config = { clients, groupSize: 2, rates: [rate], rooms: spec, concurrency: t.concurrency };
        const r = await withServer(t, (s) => runGenerator(run.root, genConfig(run.options, t, s, config), run.listener));
        const step = r.steps[0]!;
        curve.points.push({ x, rooms, joinMs: r.joinMs, step });
        run.log(`  ${t.run.label}, ${n(x)}: joined in ${(r.joinMs / 1000).toFixed(1)} s; ${n(rate)} lines/s, p99 ${step.p99.toFixed(1)} ms, delivered ${(step.ratio * 100).toFixed(2)} %, ${((step.serverCpuPct / 100 / step.deliveredPerSec) * 1e6).toFixed(1)} µs CPU per delivery, generator CPU ${step.generatorCpuPct.toFixed(0)} %`);
      }
      runs.push(curve);
    }
  } finally {
    run.progress.end();
  }
  return runs;
}

async function bigRoom(run: FlatRun): Promise<FlatResults['bigroom']> {
  const { members, linesPerSec } = BIG_ROOM;
  run.log(`bigroom: one room of ${members.map(n).join(', ')} members, ${linesPerSec} lines/s in all (IRC)`);
  const runs = await roomCurve(run, 'bigroom', members, (m) => ({ spec: { perUser: 1, minSize: m, maxSize: m }, clients: m, rate: linesPerSec, rooms: 1 }));
  return { linesPerSec, runs };
}

async function manyRooms(run: FlatRun): Promise<FlatResults['manyrooms']> {
  const { users, perUser, minSize, maxSize, deliveriesPerSec } = MANY_ROOMS;
  run.log(`manyrooms: ${n(users)} users each in ${perUser.join(', ')} rooms of ${minSize} to ${maxSize}, ${n(deliveriesPerSec)} deliveries/s (IRC)`);
  const runs = await roomCurve(run, 'manyrooms', perUser, (k) => {
    const spec = { perUser: k, minSize, maxSize };
    const rooms = planRooms(users, spec);
    return { spec, clients: users, rate: linesPerSecFor(deliveriesPerSec, rooms), rooms: rooms.length };
  });
  return { users, deliveriesPerSec, runs };
}

async function bigHistory(run: FlatRun): Promise<FlatResults['bighistory']> {
  const sizes = run.options.historyCurve;
  run.log(`bighistory: search and start-up over ${sizes.map(n).join(', ')} stored lines (built once, kept in bench/out)`);
  run.progress.scenario('bighistory', sizes.length);
  const points = [];
  try {
    for (const lines of sizes) {
      run.progress.unit(`${n(lines)} lines`);
      const m = await measureHistoryAt(run.root, run.cache, lines);
      points.push(m);
      run.log(`  ${n(lines)} lines${m.buildSeconds === null ? '' : ` (built in ${m.buildSeconds.toFixed(0)} s)`}: start-up ${m.msToLogin.toFixed(0)} ms to the first login; ${m.queries.map((q) => `${q.shape} p99 ${q.p99.toFixed(1)} ms`).join(', ')}`);
    }
  } finally {
    run.progress.end();
  }
  return points;
}

async function manyIdle(run: FlatRun): Promise<FlatResults['manyidle']> {
  const counts = run.options.quick ? IDLE_CURVE.quick : IDLE_CURVE.full;
  const limits = machineLimits();
  run.log(`manyidle: ${counts.map(n).join(', ')} idle clients, then one line through each (open files per process ${n(limits.fdLimit)}, ephemeral ports ${n(limits.ports)})`);
  run.progress.scenario('manyidle', run.list.length * counts.length);
  const runs: IdleRun[] = [];
  try {
    for (const t of run.list) {
      const idle: IdleRun = { target: t.run, points: [], reduced: [] };
      for (const { clients, instead } of fittingCounts(counts, limits.fdLimit, limits.ports)) {
        run.progress.unit(`${t.run.label}, ${n(clients)}`);
        if (instead) {
          idle.reduced.push(`${instead.why}: measured at ${n(clients)} instead`);
          run.log(`  ${t.run.label}: ${instead.why}: measuring ${n(clients)} instead of ${n(instead.asked)}`);
        }
        await withServer(t, async (s) => {
          const before = await settledRss(s.pid);
          const hold = await holdIdle(run.root, genConfig(run.options, t, s, { clients, groupSize: 2, concurrency: t.concurrency }), run.listener);
          try {
            const rssPerConnBytes = (sampleProc(s.pid)!.rssBytes - before) / clients;
            const probe = await hold.probe();
            idle.points.push({ clients, rssPerConnBytes, connectsPerSec: hold.result.connectsPerSec, generatorCpuPct: hold.result.generatorCpuPct, served: probe.served, expected: probe.expected, probeMs: probe.ms });
            run.log(`  ${t.run.label}, ${n(clients)}: ${(rssPerConnBytes / 1024).toFixed(1)} KB per connection, ${n(probe.served)} / ${n(probe.expected)} lines through, generator CPU ${hold.result.generatorCpuPct.toFixed(0)} %`);
          } finally {
            await hold.release();
          }
        });
      }
      runs.push(idle);
    }
  } finally {
    run.progress.end();
  }
  return { runs };
}

/** Measures the flat-cost scenarios this run asks for. */
export async function measureFlat(run: FlatRun): Promise<FlatResults> {
  return {
    bigroom: run.measures('bigroom') ? await bigRoom(run) : null,
    manyrooms: run.measures('manyrooms') ? await manyRooms(run) : null,
    bighistory: run.measures('bighistory') ? await bigHistory(run) : null,
    manyidle: run.measures('manyidle') ? await manyIdle(run) : null,
  };
}
