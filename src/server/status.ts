/**
 * The server's view of itself, for /healthz and /metrics: each front's state, who is online
 * where, the groups, the connections open and waiting to log in, and whether the history
 * database can serve. Healthy means every
 * configured front is up (a front left `off`, such as Discord without a token, does not count)
 * and the database answers.
 */
import type { StatusSource } from '../bridges/web/http.js';
import type { Clock } from '../core/clock.js';
import type { Front, FrontState } from '../core/front.js';
import type { HistoryStore } from '../core/history.js';
import type { Hub } from '../core/hub.js';
import type { Admission } from '../net/admission.js';
import type { Metrics } from './metrics.js';

const UP: ReadonlySet<FrontState> = new Set(['listening', 'connected']);

export interface StatusDeps {
  hub: Hub;
  history: HistoryStore;
  /** The configured fronts, in start order (filled in as they are created). */
  fronts: ReadonlyMap<string, Front>;
  clock: Clock;
  metrics: Metrics;
  admission: Admission;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  startedAt: string;
  uptimeSeconds: number;
  fronts: Record<string, { state: FrontState; up: boolean; users: number }>;
  users: number;
  groups: number;
  /** Connections on the native, IRC and web fronts, and how many of them have not logged in yet. */
  connections: { open: number; pending: number };
  database: { ok: true; lines: number } | { ok: false; problem: string };
}

export class ServerStatus implements StatusSource {
  private readonly startedAt: Date;

  constructor(private readonly deps: StatusDeps) {
    this.startedAt = deps.clock.now();
  }

  health(): { ok: boolean; report: HealthReport } {
    const { hub, history, fronts, clock } = this.deps;
    const stats = hub.stats();
    const byFront: HealthReport['fronts'] = {};
    let ok = true;
    for (const [name, front] of fronts) {
      const state = front.state();
      const up = UP.has(state);
      ok &&= up || state === 'off';
      byFront[name] = { state, up, users: stats.users.get(name) ?? 0 };
    }
    const problem = history.problem();
    ok &&= problem === null;
    let users = 0;
    for (const n of stats.users.values()) users += n;
    const report: HealthReport = {
      status: ok ? 'ok' : 'degraded',
      startedAt: this.startedAt.toISOString(),
      uptimeSeconds: Math.round((clock.now().getTime() - this.startedAt.getTime()) / 100) / 10,
      fronts: byFront,
      users,
      groups: stats.groups,
      connections: this.deps.admission.counts(),
      database: problem === null ? { ok: true, lines: history.lineCount() } : { ok: false, problem },
    };
    return { ok, report };
  }

  metrics(): Promise<{ contentType: string; body: string }> {
    return this.deps.metrics.text();
  }
}
