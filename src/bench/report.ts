/** Writes BENCHMARKS.md and the latency chart from the measured results. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import type { QueryStats } from './search-bench.js';
import { KNEE_P99_MS, KNEE_RATIO, withinKnee, type StepResult } from './types.js';

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
  s1: { target: TargetRun; step: StepResult; connectsPerSec: number }[];
  s2: { target: TargetRun; reps: StepResult[][] }[];
  s3: { target: TargetRun; clients: number; rssPerConnBytes: number; connectsPerSec: number }[];
  search: { lines: number; users: number; queries: (QueryStats & { shape: string })[] } | null;
  startup: { lines: number; msToReady: number; msToLogin: number } | null;
  notes: string[];
}

const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : '–');
const f0 = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const pct = (n: number): string => (Number.isFinite(n) ? `${(n * 100).toFixed(2)} %` : '–');

/** The highest offered rate of a ramp that met the knee criteria (0 if none did). */
export function knee(steps: readonly StepResult[]): number {
  let best = 0;
  for (const s of steps) {
    if (!withinKnee(s)) break;
    best = s.offered;
  }
  return best;
}

/** Whether a ramp never missed the knee criteria: its knee is then only a lower bound (the ramp ended first). */
function unbounded(steps: readonly StepResult[]): boolean {
  return steps.length > 0 && steps.every(withinKnee);
}

interface Knees {
  runs: number[];
  /** Per run: the ramp ended before the server missed the criteria. */
  open: boolean[];
  median: number;
  /** The median is a lower bound: most runs ended before the server missed. */
  medianOpen: boolean;
}

function kneesOf(reps: readonly StepResult[][]): Knees {
  const runs = reps.map(knee);
  const open = reps.map(unbounded);
  return { runs, open, median: median(runs), medianOpen: open.filter(Boolean).length * 2 > open.length };
}

const kneeText = (n: number, open: boolean): string => `${open ? '≥ ' : ''}${f0(n)}`;

/** ours / theirs, with the direction a lower-bound knee leaves open; '–' when both are lower bounds. */
function ratioText(ours: Knees, theirs: Knees): string {
  if (!(theirs.median > 0) || (ours.medianOpen && theirs.medianOpen)) return '–';
  const r = (ours.median / theirs.median).toFixed(2);
  return ours.medianOpen ? `≥ ${r}` : theirs.medianOpen ? `≤ ${r}` : r;
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  return v.length === 0 ? Number.NaN : v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
}

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const COLORS = ['#1b6ac9', '#c0392b', '#1e8449', '#8e44ad', '#d35400', '#2c3e50'];

/** An SVG line chart of p99 latency (log scale) against offered lines/s, one line per target (first rep). */
function chartSvg(s2: Results['s2']): string {
  const W = 900;
  const H = 520;
  const L = 80;
  const R = 220;
  const T = 40;
  const B = 60;
  const maxRate = Math.max(2000, ...s2.flatMap((t) => t.reps[0]?.map((s) => s.offered) ?? []));
  const yMin = 0.1;
  const yMax = 10_000;
  const x = (rate: number): number => L + ((W - L - R) * rate) / maxRate;
  const y = (ms: number): number => T + ((H - T - B) * (Math.log10(yMax) - Math.log10(Math.min(yMax, Math.max(yMin, ms))))) / (Math.log10(yMax) - Math.log10(yMin));
  const parts: string[] = [];
  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  parts.push(`<text x="${W / 2}" y="24" text-anchor="middle" font-size="18" font-family="DejaVu Sans, sans-serif">S2: p99 end-to-end latency vs offered load (1,000 clients, groups of 10)</text>`);
  for (let e = -1; e <= 4; e++) {
    const ms = 10 ** e;
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(ms)}" y2="${y(ms)}" stroke="#dddddd"/>`);
    parts.push(`<text x="${L - 8}" y="${y(ms) + 4}" text-anchor="end" font-size="12" font-family="DejaVu Sans, sans-serif">${ms >= 1 ? ms : ms.toFixed(1)} ms</text>`);
  }
  for (let rate = 0; rate <= maxRate; rate += maxRate > 20_000 ? 4000 : 2000) {
    parts.push(`<line x1="${x(rate)}" x2="${x(rate)}" y1="${T}" y2="${H - B}" stroke="#eeeeee"/>`);
    parts.push(`<text x="${x(rate)}" y="${H - B + 18}" text-anchor="middle" font-size="12" font-family="DejaVu Sans, sans-serif">${rate.toLocaleString('en-US')}</text>`);
  }
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 18}" text-anchor="middle" font-size="13" font-family="DejaVu Sans, sans-serif">offered chat lines per second (each delivered to 9 members)</text>`);
  parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(KNEE_P99_MS)}" y2="${y(KNEE_P99_MS)}" stroke="#999999" stroke-dasharray="6 4"/>`);
  parts.push(`<text x="${W - R - 4}" y="${y(KNEE_P99_MS) - 6}" text-anchor="end" font-size="11" fill="#666666" font-family="DejaVu Sans, sans-serif">knee: p99 = ${KNEE_P99_MS} ms</text>`);
  s2.forEach((t, i) => {
    const steps = t.reps[0] ?? [];
    const color = COLORS[i % COLORS.length]!;
    const points = steps.map((s) => `${x(s.offered).toFixed(1)},${y(s.p99).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="${t.target.ours ? 3 : 2}" points="${points}"/>`);
    for (const s of steps) parts.push(`<circle cx="${x(s.offered).toFixed(1)}" cy="${y(s.p99).toFixed(1)}" r="4" fill="${withinKnee(s) ? color : '#ffffff'}" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<line x1="${W - R + 20}" x2="${W - R + 44}" y1="${T + 20 + i * 24}" y2="${T + 20 + i * 24}" stroke="${color}" stroke-width="3"/>`);
    parts.push(`<text x="${W - R + 50}" y="${T + 24 + i * 24}" font-size="13" font-family="DejaVu Sans, sans-serif">${t.target.label}</text>`);
  });
  parts.push(`<text x="${W - R + 20}" y="${T + 40 + s2.length * 24}" font-size="11" fill="#666666" font-family="DejaVu Sans, sans-serif">hollow: missed the knee</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">\n${parts.join('\n')}\n</svg>\n`;
}

/** Writes the chart as SVG and, when rsvg-convert is installed, as PNG; returns the file to link. */
export function writeChart(results: Results, svgPath: string, pngPath: string): string {
  writeFileSync(svgPath, chartSvg(results.s2));
  try {
    execFileSync('rsvg-convert', ['-o', pngPath, svgPath]);
    return pngPath;
  } catch {
    results.notes.push('rsvg-convert (Debian package librsvg2-bin) was not found, so the chart is SVG only.');
    return svgPath;
  }
}

/** What "fastest" means here: the figures the suite is measured against. */
const TARGETS = {
  s1P99Ms: 10,
  s2Knee: 8000,
  s3BytesPerConn: 10 * 1024,
  searchP99Ms: 10,
  startupMs: 2000,
};

/** One row per target: what was asked, what was measured, and whether it was met. */
function targetRows(results: Results): string[][] {
  const rows: string[][] = [];
  const verdict = (ok: boolean): string => (ok ? 'met' : '**not met**');
  for (const { target, step } of results.s1.filter((r) => r.target.ours)) {
    rows.push([`S1 p99, ${target.label}`, `≤ ${TARGETS.s1P99Ms} ms`, `${f1(step.p99)} ms`, verdict(step.p99 <= TARGETS.s1P99Ms)]);
  }
  for (const t of results.s2.filter((r) => r.target.ours && r.target.protocol !== 'ws')) {
    const k = kneesOf(t.reps);
    rows.push([`S2 knee, ${t.target.label}`, `≥ ${f0(TARGETS.s2Knee)} lines/s`, `${kneeText(k.median, k.medianOpen)} lines/s`, verdict(k.median >= TARGETS.s2Knee)]);
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

function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${release()}, Node.js ${process.version}`;
}

export function renderMarkdown(results: Results, chartFile: string, kept = ''): string {
  const out: string[] = [];
  out.push('# Benchmarks', '');
  out.push(`Produced by \`${results.command}\` on ${results.started.toISOString().slice(0, 16).replace('T', ' ')} UTC in ${Math.round(results.seconds / 60)} min${results.quick ? ' (quick mode: short steps, indicative only)' : ''}.`, '');
  out.push(`Machine: ${machine()}. Each server runs pinned to CPU 0 and the load generator (one process, this project's own, \`src/bench/generator.ts\`) to CPU 1, on loopback. Every chat line carries its send time; latency is measured at the receivers. The machine is shared and noisy: compare figures from the same run.`, '');
  out.push(`ics-chat stores every chat line durably (SQLite, WAL, committed before delivery) in every scenario; the IRC peers keep no history.`, '');

  const targets = targetRows(results);
  if (targets.length) {
    out.push('## Targets', '');
    out.push(table(['target', 'asked', 'measured', ''], targets), '');
  }

  out.push('## S1: 100 clients in 50 pairs, 2,000 lines/s', '');
  out.push(
    table(
      ['server (protocol)', 'delivered lines/s', 'delivered', 'p50 ms', 'p99 ms', 'p99.9 ms', 'server CPU', 'generator CPU'],
      results.s1.map(({ target, step }) => [target.label, f0(step.deliveredPerSec), pct(step.ratio), f1(step.p50), f1(step.p99), f1(step.p999), `${f0(step.serverCpuPct)} %`, `${f0(step.generatorCpuPct)} %`]),
    ),
    '',
  );

  out.push('## S2: 1,000 clients in groups of 10, ramping the offered rate', '');
  out.push(`The knee is the highest offered rate at which p99 ≤ ${KNEE_P99_MS} ms and ≥ ${KNEE_RATIO * 100} % of lines are delivered (each line goes to the 9 other members).`, '');
  out.push(`![p99 latency against offered load](${chartFile})`, '');
  const knees = results.s2.map((t) => ({ t, knees: kneesOf(t.reps) }));
  out.push(
    table(
      ['server (protocol)', 'knee (median of runs)', 'knees per run', 'server CPU per delivered line at the knee'],
      knees.map(({ t, knees: k }) => {
        const steps = t.reps[0] ?? [];
        const at = steps.find((s) => s.offered === k.runs[0]);
        const cpuPerLine = at ? `${f1((at.serverCpuPct / 100 / at.deliveredPerSec) * 1e6)} µs` : '–';
        return [t.target.label, `${kneeText(k.median, k.medianOpen)} lines/s`, k.runs.map((n, i) => kneeText(n, k.open[i]!)).join(', '), cpuPerLine];
      }),
    ),
    '',
  );
  if (knees.some((k) => k.knees.open.some(Boolean))) out.push('≥: the ramp ended before the server missed the criteria, so the knee is at least that.', '');
  const oursKnees = knees.filter((k) => k.t.target.ours);
  const peerKnees = knees.filter((k) => !k.t.target.ours);
  if (oursKnees.length && peerKnees.length) {
    out.push('Knee ratios, ours / theirs (medians):', '');
    out.push(
      table(
        ['ours', ...peerKnees.map((p) => p.t.target.label)],
        oursKnees.map((o) => [o.t.target.label, ...peerKnees.map((p) => ratioText(o.knees, p.knees))]),
      ),
      '',
    );
  }
  out.push('Every step of the first run:', '');
  out.push(
    table(
      ['server (protocol)', 'offered lines/s', 'delivered lines/s', 'delivered', 'p50 ms', 'p99 ms', 'p99.9 ms', 'server CPU', 'generator CPU'],
      results.s2.flatMap(({ target, reps }) =>
        (reps[0] ?? []).map((s) => [target.label, f0(s.offered), f0(s.deliveredPerSec), pct(s.ratio), f1(s.p50), f1(s.p99), f1(s.p999), `${f0(s.serverCpuPct)} %`, `${f0(s.generatorCpuPct)} %`]),
      ),
    ),
    '',
  );

  out.push('## S3: idle logged-in clients', '');
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
  if (results.notes.length) out.push('## Notes', '', ...results.notes.map((n) => `- ${n}`), '');
  if (kept) out.push(kept.trimEnd(), '');
  return out.join('\n');
}
