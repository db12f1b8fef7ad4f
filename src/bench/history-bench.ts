/**
 * Start-up and search over a stored history of a given size, through the real server: the
 * history is search-bench.ts's (built once per size and kept), copied so the server may write
 * beside it, then the server is started on it and asked the rare-word, common-word and two-word
 * queries once its search index has merged its segments (as a server's has after a quiet moment).
 * The search and startup scenarios measure one size; bighistory measures a curve of them.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSearchData, measureSearch, searchDataDir, type QueryStats } from './search-bench.js';
import { indexMerged, startOurs } from './servers.js';

/** The shapes of the three queries, in the order measureSearch asks them. */
export const QUERY_SHAPES = ['rare word', 'common word', 'two words'] as const;

export interface HistoryMeasure {
  lines: number;
  users: number;
  /** Seconds this run spent building the history, or null when it was kept from an earlier run. */
  buildSeconds: number | null;
  msToReady: number;
  msToLogin: number;
  /** Seconds from the first login until the index had merged its segments, which the queries wait for (absent from results saved before the index merged). */
  mergeSeconds?: number;
  queries: (QueryStats & { shape: string })[];
  /** The asking client's (this process's) CPU time over the queries' wall time: 100 is one core. */
  clientCpuPct: number;
}

/** Builds or reuses the history of `lines` lines in `cache`, then measures start-up and the queries on a copy of it. */
export async function measureHistoryAt(root: string, cache: string, lines: number): Promise<HistoryMeasure> {
  const built = existsSync(searchDataDir(cache, lines));
  const t0 = performance.now();
  const data = await ensureSearchData(cache, join(root, 'data/sonnets.txt'), lines);
  const buildSeconds = built ? null : (performance.now() - t0) / 1000;
  const dir = mkdtempSync(join(tmpdir(), 'bench-search-'));
  cpSync(data.dir, dir, { recursive: true });
  const server = await startOurs(root, dir, ['tcp', 'web']);
  try {
    const t1 = performance.now();
    await measureSearch(server.ports.native!, data, 1, 1).catch(() => undefined);
    const msToLogin = server.startMs + (performance.now() - t1);
    const mergeSeconds = await indexMerged(server);
    const cpu0 = process.cpuUsage();
    const t2 = performance.now();
    const stats = await measureSearch(server.ports.native!, data);
    const cpu = process.cpuUsage(cpu0);
    const clientCpuPct = ((cpu.user + cpu.system) / 1000 / (performance.now() - t2)) * 100;
    const queries = stats.map((q, i) => ({ ...q, shape: QUERY_SHAPES[i]! }));
    return { lines: data.lines, users: data.users, buildSeconds, msToReady: server.startMs, msToLogin, mergeSeconds, queries, clientCpuPct };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
