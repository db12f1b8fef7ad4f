/**
 * The S2 latency chart: p99 against offered load per server (its first run), as SVG and, when
 * rsvg-convert is installed, PNG. Steps the generator could not keep up with are drawn grey.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { Results } from './report.js';
import { generatorBound, KNEE_P99_MS, withinKnee } from './types.js';

const GENERATOR_BOUND_FILL = '#aaaaaa';
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
    // Bisection measures out of order; the curve runs along the offered rate.
    const steps = [...(t.reps[0] ?? [])].sort((a, b) => a.offered - b.offered);
    const color = COLORS[i % COLORS.length]!;
    const points = steps.map((s) => `${x(s.offered).toFixed(1)},${y(s.p99).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="${t.target.ours ? 3 : 2}" points="${points}"/>`);
    for (const s of steps) {
      const fill = generatorBound(s) ? GENERATOR_BOUND_FILL : withinKnee(s) ? color : '#ffffff';
      parts.push(`<circle cx="${x(s.offered).toFixed(1)}" cy="${y(s.p99).toFixed(1)}" r="4" fill="${fill}" stroke="${color}" stroke-width="2"/>`);
    }
    parts.push(`<line x1="${W - R + 20}" x2="${W - R + 44}" y1="${T + 20 + i * 24}" y2="${T + 20 + i * 24}" stroke="${color}" stroke-width="3"/>`);
    parts.push(`<text x="${W - R + 50}" y="${T + 24 + i * 24}" font-size="13" font-family="DejaVu Sans, sans-serif">${t.target.label}</text>`);
  });
  parts.push(`<text x="${W - R + 20}" y="${T + 40 + s2.length * 24}" font-size="11" fill="#666666" font-family="DejaVu Sans, sans-serif">hollow: missed the knee</text>`);
  parts.push(`<text x="${W - R + 20}" y="${T + 56 + s2.length * 24}" font-size="11" fill="#666666" font-family="DejaVu Sans, sans-serif">grey: generator-bound</text>`);
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

