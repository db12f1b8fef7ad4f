/**
 * The server as the soak watches it: resident memory from /proc and, from /healthz, who is
 * online, the groups, the open connections and the lines in the history, every few seconds.
 */
import { sampleProc } from '../bench/stats.js';

export interface Sample {
  /** Seconds since the soak started. */
  t: number;
  rssBytes: number;
  users: number;
  groups: number;
  connections: number;
  lines: number;
}

export interface MemorySummary {
  startBytes: number;
  peakBytes: number;
  endBytes: number;
  /** RSS growth over the steady part, from a least-squares line through its samples. */
  steadyGrowthBytes: number;
  steadyGrowthBytesPerMinute: number;
  /** Where the steady part starts and ends, in seconds since the soak started. */
  steadyFrom: number;
  steadyTo: number;
}

interface Health {
  users: number;
  groups: number;
  connections: { open: number };
  database: { ok: boolean; lines?: number };
}

/** Reads /healthz (its body is the report whether the server is healthy or degraded). */
export async function readHealth(port: number): Promise<Health> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(10_000) });
  return (await res.json()) as Health;
}

/** One sample of the server, or null when it is gone or does not answer. */
export async function sampleServer(pid: number, webPort: number, t: number): Promise<Sample | null> {
  const proc = sampleProc(pid);
  if (!proc) return null;
  const health = await readHealth(webPort).catch(() => null);
  if (!health) return null;
  return { t, rssBytes: proc.rssBytes, users: health.users, groups: health.groups, connections: health.connections.open, lines: health.database.lines ?? 0 };
}

/** Start, peak and end RSS, and the trend over the samples from `steadyFrom` seconds on. */
export function summarizeMemory(samples: readonly Sample[], steadyFrom: number): MemorySummary {
  const steady = samples.filter((s) => s.t >= steadyFrom);
  const n = steady.length;
  let slope = 0;
  if (n >= 2) {
    const mt = steady.reduce((a, s) => a + s.t, 0) / n;
    const mr = steady.reduce((a, s) => a + s.rssBytes, 0) / n;
    const cov = steady.reduce((a, s) => a + (s.t - mt) * (s.rssBytes - mr), 0);
    const vt = steady.reduce((a, s) => a + (s.t - mt) ** 2, 0);
    slope = vt === 0 ? 0 : cov / vt;
  }
  const from = steady[0]?.t ?? steadyFrom;
  const to = steady[n - 1]?.t ?? steadyFrom;
  return {
    startBytes: samples[0]?.rssBytes ?? 0,
    peakBytes: samples.reduce((a, s) => Math.max(a, s.rssBytes), 0),
    endBytes: samples[samples.length - 1]?.rssBytes ?? 0,
    steadyGrowthBytes: Math.round(slope * (to - from)),
    steadyGrowthBytesPerMinute: Math.round(slope * 60),
    steadyFrom: from,
    steadyTo: to,
  };
}
