/** Measurement helpers for the benchmarks: percentiles and a process's CPU and memory from /proc. */
import { readdirSync, readFileSync } from 'node:fs';

/** The p-quantile (0..1) of ascending samples, or NaN when there are none. */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

const CLOCK_TICKS = 100;

export interface ProcSample {
  /** CPU time used so far (user + system), in milliseconds. */
  cpuMs: number;
  /** Resident memory, in bytes. */
  rssBytes: number;
}

/** The fields of /proc/PID/stat after the command name, or null when the process is gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Reads a process's CPU time and resident memory; null when it is gone. */
export function sampleProc(pid: number): ProcSample | null {
  const fields = statFields(pid);
  if (fields === null) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS, rssBytes: rssKb * 1024 };
  } catch {
    return null;
  }
}

/** V8's profiler runs a thread of its own per isolate: its time is the measurement's, not the server's. */
const PROFILER_THREAD = 'v8:ProfEvntProc';

/**
 * The CPU time (user + system, in ms) the threads of a process other than its main thread (and
 * V8's profiler threads) have used so far; 0 when it is gone.
 */
export function workerThreadsCpuMs(pid: number): number {
  let ticks = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      if (Number(tid) === pid) continue;
      try {
        if (readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim() === PROFILER_THREAD) continue;
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // The thread ended meanwhile.
      }
    }
  } catch {
    return 0;
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

const SETTLE_STEP_MS = 100;
/** Samples that must lie within SETTLE_BYTES of each other: half a second of them. */
const SETTLE_SAMPLES = 6;
const SETTLE_BYTES = 256 * 1024;

/**
 * A process's resident memory once it has stopped growing: sampled every 100 ms until half a
 * second of samples lie within 256 KB, for at most `maxMs`. A server that has just said it is
 * ready goes on growing for a few hundred ms (ics-chat's worker threads start their isolates:
 * some 11 MB), which a baseline taken at once would count against the connections that follow.
 */
export async function settledRss(pid: number, maxMs = 5000): Promise<number> {
  const samples: number[] = [];
  const deadline = performance.now() + maxMs;
  for (;;) {
    samples.push(sampleProc(pid)?.rssBytes ?? 0);
    const recent = samples.slice(-SETTLE_SAMPLES);
    if (recent.length === SETTLE_SAMPLES && Math.max(...recent) - Math.min(...recent) < SETTLE_BYTES) return samples.at(-1)!;
    if (performance.now() >= deadline) return samples.at(-1)!;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_STEP_MS));
  }
}

/** A process and its descendants (root first), or [] when it is gone. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  let alive = false;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const fields = statFields(pid);
    if (fields === null) continue;
    if (pid === root) alive = true;
    const parent = Number(fields[1]);
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  if (!alive) return [];
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/**
 * CPU time, in milliseconds, of a process and all its descendants, alive or ended: each live
 * process's own time plus what its children that ended and were reaped used (cutime, cstime),
 * so a PostgreSQL backend that came and went between two samples still counts. Null when the
 * process itself is gone.
 */
export function treeCpuMs(root: number): number | null {
  const tree = processTree(root);
  if (tree.length === 0) return null;
  let ticks = 0;
  for (const pid of tree) {
    const f = statFields(pid);
    if (f) ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  return (ticks * 1000) / CLOCK_TICKS;
}
