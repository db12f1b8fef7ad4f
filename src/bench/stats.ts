/** Measurement helpers for the benchmarks: percentiles and a process's CPU and memory from /proc. */
import { readFileSync } from 'node:fs';

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

/** Reads a process's CPU time and resident memory; null when it is gone. */
export function sampleProc(pid: number): ProcSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { cpuMs: (ticks * 1000) / CLOCK_TICKS, rssBytes: rssKb * 1024 };
  } catch {
    return null;
  }
}
