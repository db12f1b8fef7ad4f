/** The soak's verdict: one JSON report, and the compact table printed at the end. */
import type { Activity } from './churn.js';
import type { SoakFront } from './clients.js';
import type { Tally } from './ledger.js';
import type { MemorySummary, Sample } from './monitor.js';
import type { Problem, ProblemKind } from './problems.js';

export interface SoakReport {
  command: string;
  started: string;
  /** Asked for, and as run (load, then the wait for the last lines and the logouts). */
  seconds: { asked: number; ran: number };
  /** `nodes`: 1 for the single server, 3 with --cluster. */
  settings: { fronts: SoakFront[]; nodes: number; groups: number; lurkers: number; rate: number; seed: number };
  lines: Tally & { sent: number; lost: number; stored: number; byFront: Record<SoakFront, Tally & { lost: number }> };
  activity: Activity;
  problems: { total: number; byKind: Partial<Record<ProblemKind, number>>; first: Problem[] };
  /** The single server's memory, or the hub's node's. */
  memory: MemorySummary;
  /** Every node's (the single server is `server`). */
  memoryByNode: Record<string, MemorySummary>;
  /** What /healthz said once everyone had logged out. */
  after: { users: number; groups: number; connections: number };
  samples: Sample[];
  ok: boolean;
}

const mb = (bytes: number): string => `${(bytes / (1 << 20)).toFixed(1)} MB`;
const row = (cells: readonly (string | number)[]): string => cells.map((c, i) => (i === 0 ? String(c).padEnd(10) : String(c).padStart(10))).join(' ');

export function renderTable(r: SoakReport): string {
  const columns = ['expected', 'delivered', 'lost', 'duplicated', 'reordered', 'stray'] as const;
  const cells = (t: Tally & { lost: number }): number[] => [t.expected, t.delivered, t.lost, t.duplicated, t.outOfOrder, t.stray];
  const a = r.activity;
  const kinds = Object.entries(r.problems.byKind).map(([k, n]) => `${k} ${n}`).join(', ');
  return [
    `soak: ${r.seconds.ran.toFixed(0)} s on ${r.settings.fronts.join(', ')}${r.settings.nodes > 1 ? ` over ${r.settings.nodes} nodes` : ''}; ${r.settings.groups} group slots, ${r.settings.lurkers} lurkers, ${r.settings.rate} lines/s, seed ${r.settings.seed}`,
    '',
    row(['receivers', ...columns]),
    ...r.settings.fronts.map((f) => row([f, ...cells(r.lines.byFront[f])])),
    row(['all', ...cells(r.lines)]),
    '',
    `lines sent ${r.lines.sent}, stored ${r.lines.stored}`,
    `logins ${a.logins}, logouts ${a.logouts}; groups ${a.adHocGroups} ad hoc and ${a.rooms} rooms; joins ${a.joins}, byes ${a.byes}, quits ${a.quits}; searches ${a.searches}, sonnets ${a.poems}`,
    ...Object.entries(r.memoryByNode).map(
      ([node, m]) => `${node} RSS: start ${mb(m.startBytes)}, peak ${mb(m.peakBytes)}, end ${mb(m.endBytes)}; steady part (${m.steadyFrom.toFixed(0)}-${m.steadyTo.toFixed(0)} s) ${mb(m.steadyGrowthBytes)} (${mb(m.steadyGrowthBytesPerMinute)}/min)`,
    ),
    `after everyone left: ${r.after.users} users, ${r.after.groups} groups, ${r.after.connections} connections`,
    `problems: ${r.problems.total}${kinds ? ` (${kinds})` : ''}`,
    ...r.problems.first.slice(0, 10).map((p) => `  ${p.at.toFixed(1)} s ${p.kind} ${p.who}: ${p.detail}`),
    r.ok ? 'OK: every line arrived once, in order, and nothing went wrong' : 'FAILED',
  ].join('\n');
}
