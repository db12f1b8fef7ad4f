/**
 * Where the time goes: each build of ours (this one, and --versus's) carries S2's load on the
 * native front at FLAME_RATE lines/s under V8's profiler (`--cpu-prof`). The event loop's
 * profile over the measured step becomes a flame graph in docs/ and a table of the functions
 * that took the most time; the worker threads' CPU time is read from /proc beside it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flameSvg, frameTree, selfTimes, type CpuProfile } from './flame.js';
import type { BenchOptions } from './options.js';
import type { Progress } from './progress.js';
import type { GeneratorListener } from './run.js';
import { runGenerator } from './run.js';
import { workerThreadsCpuMs } from './stats.js';
import { genConfig, type Target } from './targets.js';

/** The offered rate profiled: near where the issue asked to look (10,000 lines/s), under every build's knee. */
export const FLAME_RATE = 10_000;

export interface FlameProfile {
  label: string;
  /** The flame graph, relative to the repository. */
  file: string;
  /** The window profiled, and how much of it the event loop was busy, in ms. */
  windowMs: number;
  busyMs: number;
  /** The CPU time of the worker threads (the search index, checkpoints) over the same window, in ms. */
  workersMs: number;
  top: { name: string; share: number }[];
}

export interface FlameResults {
  rate: number;
  profiles: FlameProfile[];
}

/** Now on the clock V8's profiles use (CLOCK_MONOTONIC, in µs). */
const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** The main thread's profile of one run (thread 0 in Node's file names), or null when none was written. */
function mainProfile(dir: string): CpuProfile | null {
  const main = readdirSync(dir).find((f) => /\.0\.\d+\.cpuprofile$/.test(f));
  return main === undefined ? null : (JSON.parse(readFileSync(join(dir, main), 'utf8')) as CpuProfile);
}

export async function measureFlame(root: string, options: BenchOptions, list: readonly Target[], listener: GeneratorListener, progress: Progress): Promise<FlameResults> {
  const log = (line: string): void => progress.result(line);
  const profiles: FlameProfile[] = [];
  for (const t of list.filter((x) => x.profiled !== undefined && x.run.protocol === 'native')) {
    progress.unit(t.run.label);
    const dir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
    try {
      const config = { clients: 1000, groupSize: 10, rates: [FLAME_RATE], stopAtKnee: false };
      const server = await t.profiled!(dir);
      const step: { window?: { from: number; to: number }; workers?: { from: number; to: number; cpuFrom: number; cpuTo: number } } = {};
      try {
        const base = genConfig(options, t, server, config);
        // The measured step begins when the warm-up ends: the window is its seconds from there.
        const watch: GeneratorListener = {
          line: listener.line,
          progress: (p) => {
            listener.progress?.(p);
            if (p.kind !== 'step' || p.elapsed < base.warmup) return;
            const [at, cpu] = [nowUs(), workerThreadsCpuMs(server.pid)];
            if (step.window === undefined) step.window = { from: at, to: at + base.seconds * 1e6 };
            // Their CPU time from /proc: a worker's profile also counts the time it sleeps in Atomics.wait.
            step.workers = { from: step.workers?.from ?? at, cpuFrom: step.workers?.cpuFrom ?? cpu, to: at, cpuTo: cpu };
          },
        };
        await runGenerator(root, base, watch);
      } finally {
        await server.stop();
      }
      const main = mainProfile(dir);
      const window = step.window;
      if (!main || window === undefined) {
        log(`  ${t.run.label}: no profile was written`);
        continue;
      }
      const tree = frameTree(main, window);
      const w = step.workers;
      const workersShare = w && w.to > w.from ? (w.cpuTo - w.cpuFrom) / ((w.to - w.from) / 1000) : 0;
      const slug = t.run.ours ? 'ours' : 'before';
      const file = `docs/bench-flame-${slug}.svg`;
      const windowMs = (window.to - window.from) / 1000;
      writeFileSync(join(root, file), flameSvg(tree, `${t.run.label}, ${FLAME_RATE.toLocaleString('en-US')} lines/s offered (S2 shape): the event loop over ${(windowMs / 1000).toFixed(0)} s, busy ${(tree.total / 1000).toFixed(0)} ms`));
      profiles.push({ label: t.run.label, file, windowMs, busyMs: tree.total / 1000, workersMs: workersShare * windowMs, top: selfTimes(tree, 12).map(({ name, share }) => ({ name, share })) });
      log(`  ${t.run.label}: event loop busy ${((tree.total / 1000 / windowMs) * 100).toFixed(0)} % of the window; ${file}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { rate: FLAME_RATE, profiles };
}
