/**
 * The flat-cost scenarios' curves as SVG: a cost (linear, from zero) against what grows (log
 * scale, since each curve doubles or triples its load), one line per server or query. A point
 * the generator could not keep up with is drawn grey, as in the S2 chart.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cpuPerLineUs } from './markdown.js';
import { FLAT_CHARTS, HISTORY_TARGETS, type CurveRun, type FlatResults } from './flat-report.js';
import { generatorBound } from './types.js';

export interface Series {
  label: string;
  points: { x: number; y: number; bound?: boolean }[];
}

export interface CurveChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** A level the curve should stay under, drawn dashed. */
  target?: { y: number; label: string };
}

const COLORS = ['#1b6ac9', '#c0392b', '#1e8449', '#8e44ad', '#d35400', '#2c3e50'];
const GENERATOR_BOUND_FILL = '#aaaaaa';
const FONT = 'font-family="DejaVu Sans, sans-serif"';

/** A tick label: 2,000, 10k, 3M. */
export function tickLabel(n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`;
  if (n >= 1e4 && n % 1e3 === 0) return `${n / 1e3}k`;
  return n.toLocaleString('en-US');
}

/** A y-axis top a little above `max` on a 1-2-5 step, so the curve never touches the frame. */
export function niceTop(max: number): number {
  if (!(max > 0)) return 1;
  const step = 10 ** Math.floor(Math.log10(max * 1.1));
  for (const m of [1, 2, 5, 10]) if (m * step >= max * 1.1) return m * step;
  return 10 * step;
}

/** The chart as an SVG document. */
export function curveSvg(chart: CurveChart): string {
  const [W, H, L, R, T, B] = [760, 420, 80, 230, 50, 60];
  const all = chart.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y));
  const xs = [...new Set(all.map((p) => p.x))].sort((a, b) => a - b);
  const [xMin, xMax] = [xs[0] ?? 1, xs[xs.length - 1] ?? 1];
  const yTop = niceTop(Math.max(0, chart.target?.y ?? 0, ...all.map((p) => p.y)));
  const x = (v: number): number => (xMax === xMin ? (L + W - R) / 2 : L + ((W - L - R) * Math.log(v / xMin)) / Math.log(xMax / xMin));
  const y = (v: number): number => T + (H - T - B) * (1 - Math.min(v, yTop) / yTop);
  const parts = [`<rect width="${W}" height="${H}" fill="#ffffff"/>`, `<text x="${L}" y="28" font-size="15" ${FONT}>${chart.title}</text>`];
  for (let i = 0; i <= 5; i++) {
    const v = (yTop * i) / 5;
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#eeeeee"/>`);
    parts.push(`<text x="${L - 8}" y="${y(v) + 4}" text-anchor="end" font-size="12" ${FONT}>${Number(v.toPrecision(3))}</text>`);
  }
  for (const v of xs) parts.push(`<text x="${x(v)}" y="${H - B + 18}" text-anchor="middle" font-size="12" ${FONT}>${tickLabel(v)}</text>`);
  parts.push(`<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#444444"/>`, `<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#444444"/>`);
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 18}" text-anchor="middle" font-size="13" ${FONT}>${chart.xLabel}</text>`);
  parts.push(`<text transform="translate(20 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle" font-size="13" ${FONT}>${chart.yLabel}</text>`);
  if (chart.target) {
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(chart.target.y)}" y2="${y(chart.target.y)}" stroke="#999999" stroke-dasharray="6 4"/>`);
    parts.push(`<text x="${W - R - 4}" y="${y(chart.target.y) - 6}" text-anchor="end" font-size="11" fill="#666666" ${FONT}>${chart.target.label}</text>`);
  }
  chart.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const points = [...s.points].filter((p) => Number.isFinite(p.y)).sort((a, b) => a.x - b.x);
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2.5" points="${points.map((p) => `${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(' ')}"/>`);
    for (const p of points) parts.push(`<circle cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="4" fill="${p.bound ? GENERATOR_BOUND_FILL : color}" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<line x1="${W - R + 20}" x2="${W - R + 44}" y1="${T + 20 + i * 24}" y2="${T + 20 + i * 24}" stroke="${color}" stroke-width="3"/>`);
    parts.push(`<text x="${W - R + 50}" y="${T + 24 + i * 24}" font-size="13" ${FONT}>${s.label}</text>`);
  });
  if (all.some((p) => p.bound)) parts.push(`<text x="${W - R + 20}" y="${T + 44 + chart.series.length * 24}" font-size="11" fill="#666666" ${FONT}>grey: generator-bound</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">\n${parts.join('\n')}\n</svg>\n`;
}

const cpuSeries = (runs: readonly CurveRun[]): Series[] =>
  runs.map((r) => ({ label: r.target.label, points: r.points.map((p) => ({ x: p.x, y: cpuPerLineUs(p.step), bound: generatorBound(p.step) })) }));

/** The charts of the scenarios measured, each as FLAT_CHARTS names it. */
export function flatCharts(flat: FlatResults): [file: string, chart: CurveChart][] {
  const out: [string, CurveChart][] = [];
  const cpu = 'server CPU per delivered line, µs';
  if (flat.bigroom) out.push([FLAT_CHARTS.bigroom, { title: `One room, ${flat.bigroom.linesPerSec} lines/s in all`, xLabel: 'members of the room', yLabel: cpu, series: cpuSeries(flat.bigroom.runs) }]);
  if (flat.manyrooms) out.push([FLAT_CHARTS.manyrooms, { title: `${flat.manyrooms.users.toLocaleString('en-US')} users, ${flat.manyrooms.deliveriesPerSec.toLocaleString('en-US')} deliveries/s`, xLabel: 'rooms per user', yLabel: cpu, series: cpuSeries(flat.manyrooms.runs) }]);
  if (flat.bighistory?.length) {
    const shapes = flat.bighistory[0]!.queries.map((q) => q.shape);
    const series = shapes.map((shape) => ({ label: shape, points: flat.bighistory!.map((p) => ({ x: p.lines, y: p.queries.find((q) => q.shape === shape)?.p99 ?? Number.NaN })) }));
    out.push([FLAT_CHARTS.bighistory, { title: 'Search through the server, p99', xLabel: 'stored lines', yLabel: 'p99, ms', series, target: { y: HISTORY_TARGETS.searchP99Ms, label: `target: ${HISTORY_TARGETS.searchP99Ms} ms` } }]);
  }
  if (flat.manyidle) {
    const series = flat.manyidle.runs.map((r) => ({ label: r.target.label, points: r.points.map((p) => ({ x: p.clients, y: p.rssPerConnBytes / 1024 })) }));
    out.push([FLAT_CHARTS.manyidle, { title: 'Idle connections', xLabel: 'connections held', yLabel: 'server RSS per connection, KB', series }]);
  }
  return out;
}

/** Writes each chart under `root`. */
export function writeFlatCharts(flat: FlatResults, root: string): void {
  for (const [file, chart] of flatCharts(flat)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), curveSvg(chart));
  }
}
