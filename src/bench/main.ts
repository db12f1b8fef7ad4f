/**
 * `npm run bench`: measures ics-chat and, in the same run, Debian's ngircd and InspIRCd, and
 * writes BENCHMARKS.md with a latency chart. Options: --quick (short steps), --only
 * s1,s2,s3,search,startup, --reps N (S2 ramps per server, default 3), --lines N (search history),
 * --report (measure nothing: write BENCHMARKS.md and the chart again from bench/out/results.json),
 * --versus DIR (also measure the ics-chat built in DIR, e.g. a checkout of an earlier commit after
 * `npm ci && npm run build` there: the report then holds this build's ratio to that one, from one run),
 * --no-peers (leave ngircd and InspIRCd out, for a shorter comparison of two builds).
 * A full-length run of some scenarios (--only) keeps the other scenarios' figures from the last
 * full-length run, so one scenario can be measured again without redoing the rest.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { FRONT_NAMES } from '../server/config.js';
import type { Protocol } from './clients.js';
import { handWritten, renderMarkdown, writeChart, type Results, type TargetRun } from './report.js';
import { holdIdle, runGenerator } from './run.js';
import { ensureSearchData, measureSearch } from './search-bench.js';
import { startInspircd, startNgircd, startOurs, type RunningBenchServer } from './servers.js';
import { sampleProc } from './stats.js';
import type { GenConfig } from './types.js';

const root = new URL('../../', import.meta.url).pathname;
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const quick = args.includes('--quick');
const only = new Set((flag('--only') ?? 's1,s2,s3,search,startup').split(','));
const reps = Number(flag('--reps') ?? (quick ? 1 : 3));
const searchLines = Number(flag('--lines') ?? 1_000_000);
const versus = flag('--versus');
const log = (line: string): void => void process.stdout.write(`${line}\n`);

const PROTOCOL_LABEL: Record<Protocol, string> = { native: 'native', irc: 'IRC', ws: 'WebSocket' };
const ourFronts = (['tcp', 'irc', 'web'] as const).filter((f) => (FRONT_NAMES as readonly string[]).includes(f));
const ourProtocols: Protocol[] = ourFronts.map((f) => (f === 'tcp' ? 'native' : f === 'irc' ? 'irc' : 'ws'));

interface Target {
  run: TargetRun;
  start(): Promise<RunningBenchServer>;
  concurrency: number;
}

function targets(): Target[] {
  const list: Target[] = ourProtocols.map((protocol) => ({
    run: { label: `ics-chat (${PROTOCOL_LABEL[protocol]})`, server: 'ics-chat', ours: true, protocol },
    start: () => startOurs(root, mkdtempSync(join(tmpdir(), 'bench-ours-')), ourFronts),
    concurrency: 50,
  }));
  if (versus !== undefined) {
    if (!existsSync(join(versus, 'dist/server/main.js'))) throw new Error(`--versus ${versus}: no dist/server/main.js there (run npm ci && npm run build in it)`);
    for (const protocol of ourProtocols) {
      list.push({
        run: { label: `ics-chat before (${PROTOCOL_LABEL[protocol]})`, server: 'ics-chat before', ours: false, protocol },
        start: () => startOurs(versus, mkdtempSync(join(tmpdir(), 'bench-before-')), ourFronts),
        concurrency: 50,
      });
    }
  }
  if (args.includes('--no-peers')) return list;
  if (existsSync('/usr/sbin/ngircd')) list.push({ run: { label: 'ngircd (IRC)', server: 'ngircd', ours: false, protocol: 'irc' }, start: startNgircd, concurrency: 10 });
  else log('ngircd is not installed (apt-get install ngircd): left out');
  if (existsSync('/usr/sbin/inspircd')) list.push({ run: { label: 'InspIRCd (IRC)', server: 'InspIRCd', ours: false, protocol: 'irc' }, start: startInspircd, concurrency: 10 });
  else log('inspircd is not installed (apt-get install inspircd): left out');
  return list;
}

let runCounter = 0;
function genConfig(t: Target, server: RunningBenchServer, over: Partial<GenConfig>): GenConfig {
  return {
    target: { protocol: t.run.protocol as Protocol, host: '127.0.0.1', port: server.ports[t.run.protocol as Protocol]! },
    clients: 100,
    groupSize: 2,
    rates: [2000],
    seconds: quick ? 3 : 10,
    warmup: quick ? 1 : 2,
    lineBytes: 64,
    prefix: `b${runCounter++}_`,
    serverPid: server.pid,
    concurrency: t.concurrency,
    ...over,
  };
}

async function withServer<T>(t: Target, work: (server: RunningBenchServer) => Promise<T>): Promise<T> {
  const server = await t.start();
  try {
    return await work(server);
  } finally {
    await server.stop();
  }
}

const resultsFile = join(root, 'bench/out/results.json');

/** Writes BENCHMARKS.md and the chart, keeping the hand-written part of the old BENCHMARKS.md. */
function writeReport(results: Results): void {
  mkdirSync(join(root, 'docs'), { recursive: true });
  const chart = writeChart(results, join(root, 'docs/bench-latency.svg'), join(root, 'docs/bench-latency.png'));
  const file = join(root, 'BENCHMARKS.md');
  const kept = existsSync(file) ? handWritten(readFileSync(file, 'utf8')) : '';
  writeFileSync(file, renderMarkdown(results, relative(root, chart), kept));
  log(`wrote BENCHMARKS.md and ${relative(root, chart)}`);
}

function loadResults(): Results {
  const saved = JSON.parse(readFileSync(resultsFile, 'utf8')) as Results & { started: string };
  return { ...saved, started: new Date(saved.started), notes: [] };
}

/** `fresh`, with the scenarios it did not measure taken from the last full-length run, if any. */
function keepUnmeasured(fresh: Results): Results {
  if (fresh.quick || flag('--only') === undefined || !existsSync(resultsFile)) return fresh;
  const saved = loadResults();
  if (saved.quick) return fresh;
  return {
    ...fresh,
    command: `${saved.command}, then ${fresh.command}`,
    started: saved.started,
    seconds: saved.seconds + fresh.seconds,
    s1: only.has('s1') ? fresh.s1 : saved.s1,
    s2: only.has('s2') ? fresh.s2 : saved.s2,
    s3: only.has('s3') ? fresh.s3 : saved.s3,
    search: only.has('search') ? fresh.search : saved.search,
    startup: only.has('startup') ? fresh.startup : saved.startup,
  };
}

async function main(): Promise<void> {
  if (args.includes('--report')) {
    writeReport(loadResults());
    return;
  }
  const started = new Date();
  const results: Results = { command: `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`, quick, started, seconds: 0, s1: [], s2: [], s3: [], search: null, startup: null, notes: [] };
  const list = targets();

  if (only.has('s1')) {
    log('S1: 100 clients in 50 pairs, 2,000 lines/s');
    for (const t of list) {
      const r = await withServer(t, (s) => runGenerator(root, genConfig(t, s, {}), log));
      results.s1.push({ target: t.run, step: r.steps[0]!, connectsPerSec: r.connectsPerSec });
      log(`  ${t.run.label}: p99 ${r.steps[0]!.p99.toFixed(1)} ms`);
    }
  }

  if (only.has('s2')) {
    log(`S2: 1,000 clients in groups of 10, ramp (${reps} run${reps > 1 ? 's' : ''} per server, servers interleaved)`);
    const rates = Array.from({ length: 15 }, (_, i) => 2000 * (i + 1));
    const runs = new Map<Target, Results['s2'][number]>();
    for (let rep = 0; rep < reps; rep++) {
      for (const t of rep % 2 === 0 ? list : [...list].reverse()) {
        log(`  ${t.run.label}, run ${rep + 1}`);
        const r = await withServer(t, (s) => runGenerator(root, genConfig(t, s, { clients: 1000, groupSize: 10, rates, stopAtKnee: true }), log));
        const entry = runs.get(t) ?? { target: t.run, reps: [] };
        entry.reps.push(r.steps);
        runs.set(t, entry);
      }
    }
    results.s2 = list.map((t) => runs.get(t)!).filter(Boolean);
  }

  if (only.has('s3')) {
    const clients = 5000;
    log(`S3: ${clients} idle logged-in clients`);
    for (const t of list) {
      await withServer(t, async (s) => {
        const before = sampleProc(s.pid)!.rssBytes;
        const hold = await holdIdle(root, genConfig(t, s, { clients, concurrency: t.concurrency }));
        const after = sampleProc(s.pid)!.rssBytes;
        await hold.release();
        results.s3.push({ target: t.run, clients, rssPerConnBytes: (after - before) / clients, connectsPerSec: hold.result.connectsPerSec });
        log(`  ${t.run.label}: ${((after - before) / clients / 1024).toFixed(1)} KB per connection`);
      });
    }
  }

  if (only.has('search') || only.has('startup')) {
    const cache = join(root, 'bench/out');
    mkdirSync(cache, { recursive: true });
    log(`Search/start-up: building (or reusing) a history of ${searchLines.toLocaleString('en-US')} lines in ${relative(root, cache)}`);
    const data = await ensureSearchData(cache, join(root, 'data/sonnets.txt'), searchLines);
    const dir = mkdtempSync(join(tmpdir(), 'bench-search-'));
    cpSync(data.dir, dir, { recursive: true });
    const server = await startOurs(root, dir, ['tcp']);
    try {
      if (only.has('startup')) {
        const t0 = performance.now();
        await measureSearch(server.ports.native!, data, 1, 1).catch(() => undefined);
        results.startup = { lines: data.lines, msToReady: server.startMs, msToLogin: server.startMs + (performance.now() - t0) };
        log(`  start-up: ${server.startMs.toFixed(0)} ms to ready`);
      }
      if (only.has('search')) {
        const shapes = ['rare word', 'common word', 'two words'];
        const stats = await measureSearch(server.ports.native!, data);
        results.search = { lines: data.lines, users: data.users, queries: stats.map((q, i) => ({ ...q, shape: shapes[i]! })) };
        for (const q of results.search.queries) log(`  ? ${q.query} (${q.shape}): p50 ${q.p50.toFixed(1)} ms, p99 ${q.p99.toFixed(1)} ms`);
      }
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  results.seconds = (Date.now() - started.getTime()) / 1000;
  const report = keepUnmeasured(results);
  mkdirSync(join(root, 'bench/out'), { recursive: true });
  writeFileSync(resultsFile, JSON.stringify(report, null, 2));
  writeReport(report);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
