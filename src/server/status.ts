/**
 * The server's view of itself, for /healthz and /metrics: each front's state, who is online
 * where, the groups, the connections open and waiting to log in, whether the history
 * database can serve, and in a cluster whether the hub and the bus are there. Healthy means
 * every configured front is up (a front left `off`, such as Discord without a token, does not
 * count), the database answers, and a cluster node hears the hub over a reachable bus and reaches
 * PostgreSQL itself.
 */
import type { StatusSource } from '../bridges/web/http.js';
import type { Clock } from '../core/clock.js';
import type { Front, FrontState } from '../core/front.js';
import type { Admission } from '../net/admission.js';
import type { Metrics } from './metrics.js';

const UP: ReadonlySet<FrontState> = new Set(['listening', 'connected']);

/** How a database is doing: serving (with its line count), failing, or not open on this node. */
export type DatabaseState = { ok: true; lines: number } | { ok: false; problem: string };

/** A cluster node's view of the cluster: itself, the hub, the bus. */
export interface ClusterState {
  node: string;
  /** This node runs the hub. */
  hub: boolean;
  /** The hub's beacon is heard (its sessions can be served). */
  hubHeard: boolean;
  /** The bus (NATS) is reachable. */
  bus: boolean;
  /** PostgreSQL answers this node (its lease renewals), whether or not it runs the hub. */
  postgres: boolean;
}

export interface StatusDeps {
  /** Users online on this server (this node, in a cluster) per front. */
  users(): Map<string, number>;
  /** Groups there are; null on a cluster node that does not run the hub. */
  groups(): number | null;
  /** The history database; null on a cluster node that does not run the hub (it opens none). */
  database(): DatabaseState | null;
  /** In cluster mode, the node's view of the cluster; absent in one process. */
  cluster?(): ClusterState;
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
  /** Absent on a cluster node that does not run the hub. */
  groups?: number;
  /** Connections on the native, IRC and web fronts, and how many of them have not logged in yet. */
  connections: { open: number; pending: number };
  /** Absent on a cluster node that does not run the hub. */
  database?: DatabaseState;
  cluster?: ClusterState;
}

export class ServerStatus implements StatusSource {
  private readonly startedAt: Date;

  constructor(private readonly deps: StatusDeps) {
    this.startedAt = deps.clock.now();
  }

  health(): { ok: boolean; report: HealthReport } {
    const { fronts, clock } = this.deps;
    const users = this.deps.users();
    const byFront: HealthReport['fronts'] = {};
    let ok = true;
    for (const [name, front] of fronts) {
      const state = front.state();
      const up = UP.has(state);
      ok &&= up || state === 'off';
      byFront[name] = { state, up, users: users.get(name) ?? 0 };
    }
    const database = this.deps.database();
    ok &&= database?.ok !== false;
    const cluster = this.deps.cluster?.();
    ok &&= cluster === undefined || (cluster.bus && cluster.hubHeard && cluster.postgres);
    let online = 0;
    for (const n of users.values()) online += n;
    const groups = this.deps.groups();
    const report: HealthReport = {
      status: ok ? 'ok' : 'degraded',
      startedAt: this.startedAt.toISOString(),
      uptimeSeconds: Math.round((clock.now().getTime() - this.startedAt.getTime()) / 100) / 10,
      fronts: byFront,
      users: online,
      ...(groups === null ? {} : { groups }),
      connections: this.deps.admission.counts(),
      ...(database === null ? {} : { database }),
      ...(cluster === undefined ? {} : { cluster }),
    };
    return { ok, report };
  }

  metrics(): Promise<{ contentType: string; body: string }> {
    return this.deps.metrics.text();
  }
}
