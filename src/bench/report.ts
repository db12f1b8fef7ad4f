/**
 * BENCHMARKS.md from the measured results. Each scenario leads with ratios to the peers measured
 * in the same run (absolute figures move from machine to machine; ratios from one run do not),
 * and every step says what the generator itself cost, so a saturated generator is seen as such.
 */
import { describeMachine, type MachineInfo } from './machine.js';
import { kneesOf, type Knees } from './knee.js';
import type { QueryStats } from './search-bench.js';
import { clusterSection, type ClusterResults } from './cluster-report.js';
import type { FlameResults } from './flame-bench.js';
import { flatSection, type FlatResults } from './flat-report.js';
import { cpuPerLineUs, f0, f1, GENERATOR_HEAD, GENERATOR_NOTE, generatorText, kneeText, pct, ratio, table } from './markdown.js';
import { generatorBound, KNEE_P99_MS, KNEE_RATIO, withinKnee, type StepResult } from './types.js';

export interface TargetRun {
  /** e.g. `ics-chat (native)`, `ngircd (IRC)`. */
  label: string;
  server: string;
  ours: boolean;
  protocol: string;
}

export interface Results {
  command: string;
  quick: boolean;
  started: Date;
  seconds: number;
  /** Null in results saved before the machine was recorded. */
  machine: MachineInfo | null;
  s1: { target: TargetRun; step: StepResult; connectsPerSec: number }[];
  s2: { target: TargetRun; reps: StepResult[][] }[];
  s3: { target: TargetRun; clients: number; rssPerConnBytes: number; connectsPerSec: number }[];
  search: { lines: number; users: number; queries: (QueryStats & { shape: string })[] } | null;
  startup: { lines: number; msToReady: number; msToLogin: number } | null;
  /** Where the time goes, by V8's profiler (absent in results saved before it was measured). */
  profile?: FlameResults;
  /** The flat-cost scenarios (absent in results saved before they were measured). */
  flat?: FlatResults;
  /** The last `--cluster` run, kept across the other runs (absent until one ran). */
  cluster?: ClusterResults;
  notes: string[];
}

/** ours / theirs of two knees, with the direction a lower-bound knee leaves open; null when both are lower bounds. */
function kneeRatio(ours: Knees, theirs: Knees): { r: number; bound: '≥' | '≤' | '' } | null {
  if (!(theirs.median > 0) || (ours.medianOpen && theirs.medianOpen)) return null;
  return { r: ours.median / theirs.median, bound: ours.medianOpen ? '≥' : theirs.medianOpen ? '≤' : '' };
}

function kneeRatioText(ours: Knees, theirs: Knees): string {
  const k = kneeRatio(ours, theirs);
  return k === null ? '–' : `${k.bound ? `${k.bound} ` : ''}${k.r.toFixed(2)}`;
}

/** ours / theirs CPU per delivered line at the highest offered rate both met the criteria in their first run, without a saturated generator. */
function cpuRatio(ours: readonly StepResult[], theirs: readonly StepResult[]): { r: number; at: number } | null {
  const fair = (s: StepResult): boolean => withinKnee(s) && !generatorBound(s);
  let best: [StepResult, StepResult] | null = null;
  for (const o of ours.filter(fair)) {
    const t = theirs.find((s) => s.offered === o.offered && fair(s));
    if (t && (best === null || o.offered > best[0].offered)) best = [o, t];
  }
  return best && { r: cpuPerLineUs(best[0]) / cpuPerLineUs(best[1]), at: best[0].offered };
}

function cpuRatioText(ours: readonly StepResult[], theirs: readonly StepResult[]): string {
  const c = cpuRatio(ours, theirs);
  return c ? `${c.r.toFixed(2)} (at ${f0(c.at)}/s)` : '–';
}

function versus<T extends { target: TargetRun }>(entries: readonly T[], title: string, cell: (ours: T, theirs: T) => string): string[] {
  const ours = entries.filter((e) => e.target.ours);
  const theirs = entries.filter((e) => !e.target.ours);
  if (!ours.length || !theirs.length) return [];
  return [title, '', table(['ours / theirs', ...theirs.map((t) => t.target.label)], ours.map((o) => [o.target.label, ...theirs.map((t) => cell(o, t))])), ''];
}

/** The server the knee and the CPU per line are measured against. */
const PEER = 'InspIRCd';
/** Node.js's floor (floor-server.ts), measured beside the peers. */
const FLOOR = 'Node.js floor';

/** The targets (the performance issue): ratios to the fastest peer measured in the same run, and absolute bounds. */
const TARGETS = {
  s1P99Ms: 2,
  /** Our S2 knee over the peer's, at least. */
  kneeVsPeer: 1,
  /** Our CPU per delivered line over the peer's at the same offered rate, at most. */
  cpuVsPeer: 1.2,
  s3BytesPerConn: 5 * 1024,
  searchP99Ms: 10,
  startupMs: 2000,
};

/** One row per target: what was asked, what was measured, and whether it was met. */
function targetRows(results: Results): string[][] {
  const rows: string[][] = [];
  const verdict = (ok: boolean): string => (ok ? 'met' : '**not met**');
  for (const { target, step } of results.s1.filter((r) => r.target.ours)) {
    rows.push([`S1 p99, ${target.label}`, `≤ ${TARGETS.s1P99Ms} ms`, `${f1(step.p99)} ms`, generatorBound(step) ? 'generator-bound' : verdict(step.p99 <= TARGETS.s1P99Ms)]);
  }
  const peer = results.s2.find((r) => r.target.server === PEER);
  for (const t of peer ? results.s2.filter((r) => r.target.ours) : []) {
    const k = kneeRatio(kneesOf(t.reps), kneesOf(peer!.reps));
    const kneeMet = k === null ? 'undecided: neither ramp reached a miss' : verdict(k.r >= TARGETS.kneeVsPeer && k.bound !== '≤');
    rows.push([`S2 knee, ${t.target.label} / ${PEER}`, `≥ ${TARGETS.kneeVsPeer.toFixed(2)}`, kneeRatioText(kneesOf(t.reps), kneesOf(peer!.reps)), kneeMet]);
    const c = cpuRatio(t.reps[0] ?? [], peer!.reps[0] ?? []);
    rows.push([`server CPU per delivered line, ${t.target.label} / ${PEER}`, `≤ ${TARGETS.cpuVsPeer.toFixed(2)}, same offered rate`, cpuRatioText(t.reps[0] ?? [], peer!.reps[0] ?? []), c ? verdict(c.r <= TARGETS.cpuVsPeer) : 'undecided: no rate both met']);
  }
  for (const r of results.s3.filter((x) => x.target.ours)) {
    rows.push([`S3 RSS per idle connection, ${r.target.label}`, `≤ ${TARGETS.s3BytesPerConn / 1024} KB`, `${f1(r.rssPerConnBytes / 1024)} KB`, verdict(r.rssPerConnBytes <= TARGETS.s3BytesPerConn)]);
  }
  for (const q of results.search?.queries ?? []) {
    rows.push([`search p99, ${q.shape} (\`? ${q.query}\`)`, `≤ ${TARGETS.searchP99Ms} ms`, `${f1(q.p99)} ms`, verdict(q.p99 <= TARGETS.searchP99Ms)]);
  }
  if (results.startup) {
    rows.push([`start-up to the first login, ${f0(results.startup.lines)} lines`, `≤ ${f0(TARGETS.startupMs)} ms`, `${f0(results.startup.msToLogin)} ms`, verdict(results.startup.msToLogin <= TARGETS.startupMs)]);
  }
  return rows;
}

/** Everything below this line in BENCHMARKS.md is written by hand and kept when the bench rewrites the file. */
export const HAND_WRITTEN_MARK = '<!-- Written by hand below this line; npm run bench keeps it. -->';

/** The hand-written part of an existing BENCHMARKS.md (from the mark on), or '' when there is none. */
export function handWritten(existing: string): string {
  const at = existing.indexOf(HAND_WRITTEN_MARK);
  return at < 0 ? '' : existing.slice(at);
}

function s2Section(results: Results, chartFile: string): string[] {
  const out: string[] = [];
  out.push('## S2: 1,000 clients in groups of 10, ramping the offered rate', '');
  const knees = results.s2.map((t) => ({ target: t.target, reps: t.reps, knees: kneesOf(t.reps) }));
  out.push(...versus(knees, 'Knee, ours / theirs (medians of the runs):', (o, t) => kneeRatioText(o.knees, t.knees)));
  out.push(...versus(knees, 'Server CPU per delivered line, ours / theirs, at the highest offered rate both met the criteria (first runs):', (o, t) => cpuRatioText(o.reps[0] ?? [], t.reps[0] ?? [])));
  out.push(
    `The knee is the highest offered rate at which p99 ≤ ${KNEE_P99_MS} ms and ≥ ${KNEE_RATIO * 100} % of lines are delivered (each line goes to the 9 other members). ` +
      'The rate climbs by 2,000 lines/s until a step misses, then the midpoint between the last step that met the criteria and the first that missed is measured (bisection), so the knee is known more finely than the climb. A step that misses is measured once more, and its rate counts as met when either measurement met the criteria: on a shared machine noise only ever makes a step worse, so one spike of host load does not end a ramp.',
    '',
  );
  out.push(`![p99 latency against offered load](${chartFile})`, '');
  out.push(
    table(
      ['server (protocol)', 'knee (median of runs)', 'knees per run', 'server CPU per delivered line at the knee'],
      knees.map(({ target, reps, knees: k }) => {
        const at = (reps[0] ?? []).find((s) => s.offered === k.runs[0]?.rate);
        return [target.label, `${kneeText(k.median, k.medianOpen)} lines/s`, k.runs.map((r) => kneeText(r.rate, r.open)).join(', '), at ? `${f1(cpuPerLineUs(at))} µs` : '–'];
      }),
    ),
    '',
  );
  if (knees.some((k) => k.knees.runs.some((r) => r.open))) out.push('≥: the ramp ended, or the generator saturated, before the server missed the criteria, so the knee is at least that.', '');
  out.push('Every step of the first run, by offered rate:', '');
  out.push(
    table(
      ['server (protocol)', 'offered lines/s', 'delivered lines/s', 'delivered', 'p50 ms', 'p99 ms', 'p99.9 ms', 'server CPU', GENERATOR_HEAD],
      results.s2.flatMap(({ target, reps }) =>
        [...(reps[0] ?? [])]
          .sort((a, b) => a.offered - b.offered)
          .map((s) => [target.label, f0(s.offered), f0(s.deliveredPerSec), pct(s.ratio), f1(s.p50), f1(s.p99), f1(s.p999), `${f0(s.serverCpuPct)} %`, generatorText(s)]),
      ),
    ),
    '',
  );
  return out;
}

function profileSection(p: FlameResults): string[] {
  const out = [`## Where the time goes: the event loop at ${f0(p.rate)} lines/s`, ''];
  out.push(
    `Each build of ours carries S2's load (1,000 clients in groups of 10) on the native front at ${f0(p.rate)} lines/s offered, under V8's profiler (\`node --cpu-prof\`, which costs some CPU of its own); the profile covers the measured step. In the flame graphs each box is a function in one call path, as wide as its share of the event loop's busy time with what it called; its callers are below it. Orange: this project's code; blue: Node.js's; green: packages'; purple: the engine's (the collector, native code). Hover for the figures.`,
    '',
  );
  out.push(
    table(
      ['build', 'event loop busy', 'worker threads\' CPU', 'flame graph'],
      p.profiles.map((x) => [x.label, `${f0(x.busyMs)} ms of ${f0(x.windowMs)} (${f0((x.busyMs / x.windowMs) * 100)} %)`, `${f0(x.workersMs)} ms`, `[${x.file}](${x.file})`]),
    ),
    '',
  );
  for (const x of p.profiles) out.push(`![${x.label}](${x.file})`, '');
  const rows = Math.max(...p.profiles.map((x) => x.top.length));
  out.push('The functions that took the most of the event loop (self time, not counting what they called):', '');
  out.push(
    table(
      p.profiles.map((x) => x.label),
      Array.from({ length: rows }, (_, i) => p.profiles.map((x) => (x.top[i] ? `${(x.top[i]!.share * 100).toFixed(1)} % \`${x.top[i]!.name}\`` : ''))),
    ),
    '',
  );
  return out;
}

/** BENCHMARKS.md for `results`, linking `chartFile`, ending with the hand-written part `kept` from the previous file. */
export function renderMarkdown(results: Results, chartFile: string, kept = ''): string {
  const out: string[] = [];
  out.push('# Benchmarks', '');
  out.push(`Produced by \`${results.command}\` on ${results.started.toISOString().slice(0, 16).replace('T', ' ')} UTC in ${Math.round(results.seconds / 60)} min${results.quick ? ' (quick mode: short steps, indicative only)' : ''}.`, '');
  out.push(`Machine: ${results.machine ? describeMachine(results.machine) : 'not recorded with these results'}.`, '');
  out.push(`Each server runs pinned to CPU 0 and the load generator (one process, this project's own, \`src/bench/generator.ts\`) to CPU 1, on loopback. Every chat line carries its send time; latency is measured at the receivers. The machine is shared and noisy: compare figures from the same run, as the ratios that lead each scenario do.`, '');
  out.push(`ics-chat stores every chat line durably (SQLite, WAL, committed before delivery) in every scenario; the IRC peers keep no history.`, '');
  if (results.s1.some((s) => s.target.server === FLOOR) || results.s2.some((s) => s.target.server === FLOOR)) {
    out.push(`${FLOOR} (\`src/bench/floor-server.ts\`) is the least an IRC server written for Node.js does for this load: it relays each line to a channel's other members, one write per connection per turn, and keeps, checks and limits nothing. What it costs is what Node.js itself costs; the gap between it and InspIRCd is the part no JavaScript closes.`, '');
  }

  const targets = targetRows(results);
  if (targets.length) {
    out.push('## Targets', '');
    out.push(table(['target', 'asked', 'measured', ''], targets), '');
  }

  out.push('## S1: 100 clients in 50 pairs, 2,000 lines/s', '');
  const s1Ratio = (pick: (s: StepResult) => number) => (o: Results['s1'][number], t: Results['s1'][number]) =>
    generatorBound(o.step) || generatorBound(t.step) ? 'generator-bound' : ratio(pick(o.step), pick(t.step));
  out.push(...versus(results.s1, 'p99 latency, ours / theirs (lower is better):', s1Ratio((s) => s.p99)));
  out.push(...versus(results.s1, 'Server CPU per delivered line, ours / theirs:', s1Ratio(cpuPerLineUs)));
  out.push(
    table(
      ['server (protocol)', 'delivered lines/s', 'delivered', 'p50 ms', 'p99 ms', 'p99.9 ms', 'server CPU', GENERATOR_HEAD],
      results.s1.map(({ target, step }) => [target.label, f0(step.deliveredPerSec), pct(step.ratio), f1(step.p50), f1(step.p99), f1(step.p999), `${f0(step.serverCpuPct)} %`, generatorText(step)]),
    ),
    '',
  );

  out.push(...s2Section(results, chartFile));
  if ([...results.s1.map((r) => r.step), ...results.s2.flatMap((t) => t.reps[0] ?? [])].some(generatorBound)) out.push(GENERATOR_NOTE, '');

  out.push('## S3: idle logged-in clients', '');
  out.push(...versus(results.s3, 'Server memory per idle connection, ours / theirs:', (o, t) => ratio(o.rssPerConnBytes, t.rssPerConnBytes)));
  out.push(
    table(
      ['server (protocol)', 'clients', 'server RSS per connection', 'connections set up per second'],
      results.s3.map((r) => [r.target.label, f0(r.clients), `${f1(r.rssPerConnBytes / 1024)} KB`, f0(r.connectsPerSec)]),
    ),
    '',
  );

  if (results.search) {
    out.push(`## Search: ${f0(results.search.lines)} stored lines among ${f0(results.search.users)} users`, '');
    out.push('Queries go through the real server over the native protocol, one at a time, from 20 different users; the time is the client\'s round trip.', '');
    out.push(table(['query', 'shape', 'queries', 'p50 ms', 'p99 ms'], results.search.queries.map((q) => [`\`? ${q.query}\``, q.shape, f0(q.n), f1(q.p50), f1(q.p99)])), '');
  }
  if (results.startup) {
    out.push('## Start-up', '');
    out.push(`With ${f0(results.startup.lines)} lines of history: ${f0(results.startup.msToReady)} ms from process start to "ready", ${f0(results.startup.msToLogin)} ms to the first accepted login.`, '');
  }
  if (results.profile?.profiles.length) out.push(...profileSection(results.profile));
  if (results.flat) out.push(...flatSection(results.flat));
  if (results.cluster) out.push(...clusterSection(results.cluster));
  if (results.notes.length) out.push('## Notes', '', ...results.notes.map((n) => `- ${n}`), '');
  if (kept) out.push(kept.trimEnd(), '');
  return out.join('\n');
}
