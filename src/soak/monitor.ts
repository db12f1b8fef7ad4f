/**
 * The server as the soak watches it: resident memory from /proc and, from /healthz, who is
 * online, the groups, the open connections and the lines in the history, every few seconds; in
 * a cluster, each node (only the hub's node knows the groups and the history).
 */
import { sampleProc } from '../bench/stats.js';

export interface Sample {
  /** The node sampled (`server` for the single process). */
  node: string;
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

/** What the soak reads of /healthz; a cluster node that does not run the hub tells no groups or database. */
export interface Health {
  users: number;
  groups?: number;
  connections: { open: number };
  database?: { ok: boolean; lines?: number };
}

/** Reads /healthz (its body is the report whether the server is healthy or degraded). */
export async function readHealth(port: number): Promise<Health> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(10_000) });
  return (await res.json()) as Health;
}

/** The servers together as /healthz tells them: users and connections on every node, groups and stored lines where the hub is. */
export async function readTogether(webPorts: readonly number[], keeperPort: number): Promise<{ users: number; groups: number; connections: number; lines: number }> {
  const all = await Promise.all(webPorts.map((port) => readHealth(port)));
  const keeper = all[webPorts.indexOf(keeperPort)]!;
  return {
    users: all.reduce((n, h) => n + h.users, 0),
    connections: all.reduce((n, h) => n + h.connections.open, 0),
    groups: keeper.groups ?? 0,
    lines: keeper.database?.lines ?? 0,
  };
}

/** One sample of a server process, or null when it is gone or does not answer. */
export async function sampleServer(node: string, pid: number, webPort: number, t: number): Promise<Sample | null> {
  const proc = sampleProc(pid);
  if (!proc) return null;
  const health = await readHealth(webPort).catch(() => null);
  if (!health) return null;
  return { node, t, rssBytes: proc.rssBytes, users: health.users, groups: health.groups ?? 0, connections: health.connections.open, lines: health.database?.lines ?? 0 };
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
