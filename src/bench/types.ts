/** What the runner and the load generator exchange, and the knee criteria. */
import type { Target } from './clients.js';

export interface GenConfig {
  target: Target;
  clients: number;
  groupSize: number;
  /** Offered chat lines per second, all senders together, one measured step per rate. */
  rates: number[];
  /** Stop the ramp after a step misses the knee criteria (p99 <= kneeP99Ms, ratio >= kneeRatio). */
  stopAtKnee?: boolean;
  seconds: number;
  /** Lines sent in the first `warmup` seconds of each step are not measured. */
  warmup: number;
  lineBytes: number;
  /** A prefix that keeps names unique across runs against one server. */
  prefix: string;
  /** The server's pid, to read its CPU time and memory from /proc. */
  serverPid: number;
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
  serverCpuPct: number;
  serverRssBytes: number;
  generatorCpuPct: number;
}

export interface GenResult {
  clients: number;
  setupMs: number;
  connectsPerSec: number;
  steps: StepResult[];
}

export const KNEE_P99_MS = 100;
export const KNEE_RATIO = 0.999;

/** Whether a step is within the knee criteria. */
export function withinKnee(step: StepResult): boolean {
  return step.p99 <= KNEE_P99_MS && step.ratio >= KNEE_RATIO;
}

