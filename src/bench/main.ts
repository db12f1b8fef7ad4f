/**
 * `npm run bench`: measures ics-chat and, in the same run, Debian's ngircd and InspIRCd, and
 * writes BENCHMARKS.md with a latency chart. The options and how long a run takes are in
 * options.ts (`npm run bench -- --help`). The command line is read before anything else: help
 * and a mistyped option change nothing; only then are the peers installed (they are not
 * installed by an npm pre-script, which would run whatever the arguments). A full-length run of
 * some scenarios (--only) keeps the other scenarios' figures from the last full-length run, so
 * one scenario can be measured again without redoing the rest. `--cluster` measures cluster mode
 * instead (cluster-bench.ts) and replaces only that section of the results, which the other runs keep.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeChart } from './chart.js';
import { keepUnmeasuredCluster, measureCluster } from './cluster-bench.js';
import { atEnd, machineAtStart } from './machine.js';
import { FLAT_SCENARIOS, measures, parseOptions, USAGE, type BenchOptions, type Scenario } from './options.js';
import { Progress } from './progress.js';
import { handWritten, renderMarkdown, type Results } from './report.js';
import { ScenarioGuard } from './scenario-guard.js';
import { holdIdle, runGenerator, type GeneratorListener } from './run.js';
import { FLAME_RATE, measureFlame } from './flame-bench.js';
import { measureFlat } from './flat-bench.js';
import { writeFlatCharts } from './flat-chart.js';
import { keepUnmeasuredFlat } from './flat-report.js';
import { measureHistoryAt } from './history-bench.js';
import { sampleProc, settledRss } from './stats.js';
import { genConfig, targets, withServer, type Target } from './targets.js';

const root = new URL('../../', import.meta.url).pathname;
const resultsFile = join(root, 'bench/out/results.json');
/** Where the stored histories are built once and kept. */
const cache = join(root, 'bench/out');

/** Installs the peers, taskset and rsvg-convert where it can (see the script); fails the run if the script fails. */
function installDeps(): void {
  const r = spawnSync('sh', [join(root, 'scripts/install-bench-deps.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`scripts/install-bench-deps.sh failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`);
}

/** Writes BENCHMARKS.md and the chart, keeping the hand-written part of the old BENCHMARKS.md. */
function writeReport(results: Results, log: (line: string) => void): void {
  mkdirSync(join(root, 'docs'), { recursive: true });
  const chart = writeChart(results, join(root, 'docs/bench-latency.svg'), join(root, 'docs/bench-latency.png'));
  const file = join(root, 'BENCHMARKS.md');
  const kept = existsSync(file) ? handWritten(readFileSync(file, 'utf8')) : '';
  if (results.flat) writeFlatCharts(results.flat, root);
  writeFileSync(file, renderMarkdown(results, relative(root, chart), kept));
  log(`wrote BENCHMARKS.md and ${relative(root, chart)}`);
}

function loadResults(): Results {
  const saved = JSON.parse(readFileSync(resultsFile, 'utf8')) as Results & { started: string };
  return { ...saved, machine: saved.machine ?? null, started: new Date(saved.started), notes: [] };
}

/** Results of no scenario, for a first run that measures only the cluster. */
function emptyResults(command: string, quick: boolean): Results {
  return { command, quick, started: new Date(), seconds: 0, machine: null, s1: [], s2: [], s3: [], search: null, startup: null, notes: [] };
}

/** `fresh` with the cluster section of the last run that measured one, if any. */
function withCluster(fresh: Results, saved: Results | null): Results {
  return saved?.cluster ? { ...fresh, cluster: saved.cluster } : fresh;
}

/**
 * `fresh`, with the scenarios it did not measure, or that failed in it, taken from the last
 * full-length run, if any.
 */
function keepUnmeasured(options: BenchOptions, fresh: Results, guard: ScenarioGuard): Results {
  if (fresh.quick || (options.only === null && guard.count === 0) || !existsSync(resultsFile)) return fresh;
  const saved = loadResults();
  if (saved.quick) return fresh;
  const has = (s: Scenario): boolean => measures(options, s) && !guard.failed(s);
  if (guard.count > 0) fresh.notes.push('The figures of what failed are those of the last full-length run.');
  return {
    ...fresh,
    command: `${saved.command}, then ${fresh.command}`,
    started: saved.started,
    seconds: saved.seconds + fresh.seconds,
    // The figures span both runs: the load when the first began and when the last ended.
    machine: fresh.machine && saved.machine ? { ...fresh.machine, loadStart: saved.machine.loadStart } : fresh.machine,
    s1: has('s1') ? fresh.s1 : saved.s1,
    s2: has('s2') ? fresh.s2 : saved.s2,
    s3: has('s3') ? fresh.s3 : saved.s3,
    search: has('search') ? fresh.search : saved.search,
    startup: has('startup') ? fresh.startup : saved.startup,
    ...withProfile(has('profile') ? fresh.profile : saved.profile),
    flat: keepUnmeasuredFlat(has, fresh.flat, saved.flat),
  };
}

const withProfile = (profile: Results['profile']): Pick<Results, 'profile'> => (profile ? { profile } : {});

async function measure(options: BenchOptions, argv: readonly string[], progress: Progress): Promise<{ results: Results; guard: ScenarioGuard }> {
  const log = (line: string): void => progress.result(line);
  const listener: GeneratorListener = { line: (text) => progress.note(text), progress: (p) => progress.generator(p) };
  const started = new Date();
  const machine = machineAtStart();
  const results: Results = { command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`, quick: options.quick, started, seconds: 0, machine, s1: [], s2: [], s3: [], search: null, startup: null, notes: [] };
  const list = targets(root, options, log);
  const guard = new ScenarioGuard({ end: () => progress.end(), result: log, note: (text) => results.notes.push(text) });

  if (measures(options, 's1')) await guard.run(['s1'], 'S1', async () => {
    log('S1: 100 clients in 50 pairs, 2,000 lines/s');
    progress.scenario('S1', list.length);
    for (const t of list) {
      progress.unit(t.run.label);
      const r = await withServer(t, (s) => runGenerator(root, genConfig(options, t, s, {}), listener));
      results.s1.push({ target: t.run, step: r.steps[0]!, connectsPerSec: r.connectsPerSec });
      log(`  ${t.run.label}: p99 ${r.steps[0]!.p99.toFixed(1)} ms`);
    }
    progress.end();
  });

  if (measures(options, 's2')) await guard.run(['s2'], 'S2', async () => {
    const { reps } = options;
    log(`S2: 1,000 clients in groups of 10, ramp (${reps} run${reps > 1 ? 's' : ''} per server, servers interleaved)`);
    progress.scenario('S2', list.length * reps);
    const rates = Array.from({ length: 15 }, (_, i) => 2000 * (i + 1));
    const runs = new Map<Target, Results['s2'][number]>();
    for (let rep = 0; rep < reps; rep++) {
      for (const t of rep % 2 === 0 ? list : [...list].reverse()) {
        progress.unit(`${t.run.label}, run ${rep + 1}`);
        const config = { clients: 1000, groupSize: 10, rates, stopAtKnee: true, bisections: options.bisections };
        const r = await withServer(t, (s) => runGenerator(root, genConfig(options, t, s, config), listener));
        const entry = runs.get(t) ?? { target: t.run, reps: [] };
        entry.reps.push(r.steps);
        runs.set(t, entry);
      }
    }
    progress.end();
    results.s2 = list.map((t) => runs.get(t)!).filter(Boolean);
  });

  if (measures(options, 's3')) await guard.run(['s3'], 'S3', async () => {
    const clients = 5000;
    log(`S3: ${clients} idle logged-in clients`);
    progress.scenario('S3', list.length);
    for (const t of list) {
      progress.unit(t.run.label);
      await withServer(t, async (s) => {
        const before = await settledRss(s.pid);
        const hold = await holdIdle(root, genConfig(options, t, s, { clients, concurrency: t.concurrency }), listener);
        const after = sampleProc(s.pid)!.rssBytes;
        await hold.release();
        results.s3.push({ target: t.run, clients, rssPerConnBytes: (after - before) / clients, connectsPerSec: hold.result.connectsPerSec });
        log(`  ${t.run.label}: ${((after - before) / clients / 1024).toFixed(1)} KB per connection`);
      });
    }
    progress.end();
  });

  if (measures(options, 'search') || measures(options, 'startup')) await guard.run(['search', 'startup'], 'Search/start-up', async () => {
    log(`Search/start-up: building (or reusing) a history of ${options.searchLines.toLocaleString('en-US')} lines in ${relative(root, cache)}`);
    progress.scenario('Search/start-up', 1);
    progress.unit('the history, start-up and queries');
    try {
      const m = await measureHistoryAt(root, cache, options.searchLines);
      if (measures(options, 'startup')) {
        results.startup = { lines: m.lines, msToReady: m.msToReady, msToLogin: m.msToLogin };
        log(`  start-up: ${m.msToReady.toFixed(0)} ms to ready`);
      }
      if (measures(options, 'search')) {
        results.search = { lines: m.lines, users: m.users, queries: m.queries };
        for (const q of m.queries) log(`  ? ${q.query} (${q.shape}): p50 ${q.p50.toFixed(1)} ms, p99 ${q.p99.toFixed(1)} ms`);
      }
    } finally {
      progress.end();
    }
  });

  if (measures(options, 'profile')) await guard.run(['profile'], 'Profile', async () => {
    log(`Profile: ${FLAME_RATE.toLocaleString('en-US')} lines/s offered in S2's shape on the native front, under V8's profiler`);
    progress.scenario('Profile', list.filter((t) => t.profiled && t.run.protocol === 'native').length);
    results.profile = await measureFlame(root, options, list, listener, progress);
    progress.end();
  });

  const flat = FLAT_SCENARIOS.filter((s) => measures(options, s));
  if (flat.length > 0) await guard.run(flat, 'The flat-cost scenarios', async () => {
    results.flat = await measureFlat({ root, cache, options, list, progress, listener, log, measures: (s) => measures(options, s) });
  });

  results.seconds = (Date.now() - started.getTime()) / 1000;
  results.machine = atEnd(machine);
  return { results, guard };
}

async function main(argv: readonly string[], progress: Progress): Promise<void> {
  const parsed = parseOptions(argv);
  if (!parsed.ok) {
    process.stderr.write(`bench: ${parsed.error}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const { options } = parsed;
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  const log = (line: string): void => progress.result(line);
  installDeps();
  if (options.report) {
    writeReport(loadResults(), log);
    return;
  }
  const saved = existsSync(resultsFile) ? loadResults() : null;
  let failures = 0;
  const measureKeeping = async (...args: Parameters<typeof measure>): Promise<Results> => {
    const { results, guard } = await measure(...args);
    failures = guard.count;
    return keepUnmeasured(options, results, guard);
  };
  const command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  // A cluster run replaces only the cluster section; any other run keeps the last one.
  const report: Results = options.cluster
    ? { ...(saved ?? emptyResults(command, options.quick)), cluster: keepUnmeasuredCluster(options, await measureCluster(root, options, command, progress), saved?.cluster) }
    : withCluster(await measureKeeping(options, argv, progress), saved);
  mkdirSync(join(root, 'bench/out'), { recursive: true });
  writeFileSync(resultsFile, JSON.stringify(report, null, 2));
  writeReport(report, log);
  if (failures > 0) {
    process.stderr.write(`bench: ${failures} scenario${failures > 1 ? 's' : ''} failed; the report says which, with the figures measured\n`);
    process.exitCode = 1;
  }
}

const progress = new Progress(process.stderr, process.stdout);
main(process.argv.slice(2), progress).catch((err: unknown) => {
  progress.end();
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
