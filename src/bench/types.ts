/** What the runner and the load generator exchange, and the knee criteria. */
import type { Target } from './clients.js';
import type { RoomSpec } from './room-plan.js';

export interface GenConfig {
  /** Where clients connect: one server, or each node of a cluster (see targetOf). */
  targets: Target[];
  clients: number;
  groupSize: number;
  /** Offered chat lines per second, all senders together, one measured step per rate. */
  rates: number[];
  /**
   * Ramp to the knee: stop after a step misses the knee criteria (p99 <= KNEE_P99_MS, ratio >=
   * KNEE_RATIO) or saturates the generator, then bisect (see ramp.ts); otherwise measure every rate.
   */
  stopAtKnee?: boolean;
  /** With stopAtKnee: midpoints measured between the last step that met the criteria and the first that missed. */
  bisections?: number;
  seconds: number;
  /** Lines sent in the first `warmup` seconds of each step are not measured. */
  warmup: number;
  lineBytes: number;
  /** A prefix that keeps names unique across runs against one server. */
  prefix: string;
  /**
   * The server's processes by name (one for a single server; each node, PostgreSQL's postmaster and
   * nats-server for a cluster): their CPU time, descendants included, and memory are read from /proc.
   */
  serverPids: Record<string, number>;
  /**
   * Named rooms (IRC targets only) instead of disjoint groups of groupSize: who is in which as
   * planRooms makes it, every membership sending in turn in a seeded random order.
   */
  rooms?: RoomSpec;
  /** Log in and hold the connections until stdin closes, without chatting (idle-memory scenario). */
  idle?: boolean;
  /** How many logins run at once while setting up. */
  concurrency?: number;
}

export interface StepResult {
  offered: number;
  sent: number;
  expected: number;
  delivered: number;
  ratio: number;
  deliveredPerSec: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  /** CPU time of every server process (and its descendants) together over the measured time: 100 is one core. */
  serverCpuPct: number;
  /** The same, per process as named in GenConfig.serverPids (absent in results saved before it was measured). */
  serverCpuByProcess?: Record<string, number>;
  /** Resident memory of the named processes themselves, added up. */
  serverRssBytes: number;
  /** The generator's CPU time over the step's wall time: 100 is its whole core. */
  generatorCpuPct: number;
  /** How late the generator's event loop ran (p99 and worst), in ms: late sends and reads skew every latency it measures. */
  generatorLagP99Ms: number;
  generatorLagMaxMs: number;
}

export interface GenResult {
  clients: number;
  setupMs: number;
  connectsPerSec: number;
  /** Milliseconds the clients took to join their groups or rooms, every join answered. */
  joinMs: number;
  steps: StepResult[];
}

/** Where member `member` of group `group` connects: the targets in turn, shifted by one per group, so a group's members (and a pair's two) are on different targets while there are enough. */
export function targetOf(targets: readonly Target[], group: number, member: number): Target {
  return targets[(group + member) % targets.length]!;
}

export const KNEE_P99_MS = 100;
export const KNEE_RATIO = 0.999;

/** From this share of its core on, the generator, not the server, may be what limits a step. */
export const GENERATOR_CPU_BOUND_PCT = 90;
/** Generator event-loop lag (p99) beyond which its own delays are a fifth of the knee's latency budget. */
export const GENERATOR_LAG_BOUND_MS = KNEE_P99_MS / 5;

/** Whether a step's load generator was saturated: such a step says nothing about the server's knee. */
export function generatorBound(step: StepResult): boolean {
  return step.generatorCpuPct >= GENERATOR_CPU_BOUND_PCT || step.generatorLagP99Ms > GENERATOR_LAG_BOUND_MS;
}

/** Whether a step is within the knee criteria. */
export function withinKnee(step: StepResult): boolean {
  return step.p99 <= KNEE_P99_MS && step.ratio >= KNEE_RATIO;
}


/** What the generator tells its runner while it works: one line on stderr, PROGRESS_MARK then JSON. */
export type GenProgress =
  | { kind: 'login'; done: number; total: number }
  | { kind: 'join'; done: number; total: number }
  | { kind: 'step'; rate: number; bisecting: boolean; elapsed: number; seconds: number };

export const PROGRESS_MARK = '@progress ';

/** S1's load, which every other scenario starts from and changes: 100 clients in pairs, 2,000 lines/s of 64 bytes. */
export function baseLoad(quick: boolean): Pick<GenConfig, 'clients' | 'groupSize' | 'rates' | 'seconds' | 'warmup' | 'lineBytes'> {
  return { clients: 100, groupSize: 2, rates: [2000], seconds: quick ? 3 : 10, warmup: quick ? 1 : 2, lineBytes: 64 };
}
