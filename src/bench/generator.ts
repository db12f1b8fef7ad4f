/**
 * The load generator process (run pinned to its own core): opens N clients, logs them in, forms
 * groups of G, then offers R chat lines/s in total for T seconds and measures, at the receivers,
 * delivered lines/s, the delivery ratio and end-to-end latency, and its own CPU and event-loop
 * lag, so a step it could not keep up with is told from one the server could not. Bounded in
 * count and time; loopback only. Input: one JSON GenConfig as argv[2]. Output: one JSON GenResult
 * line on stdout; progress (GenProgress lines) and a summary per step on stderr.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { benchLine, IrcClient, makeClient, type BenchClient } from './clients.js';
import { groupSpeakers, joinRooms, type Speaker } from './generator-rooms.js';
import { nextRate } from './ramp.js';
import { quantile, sampleProc, treeCpuMs } from './stats.js';
import { generatorBound, PROGRESS_MARK, targetOf, type GenConfig, type GenProgress, type GenResult, type StepResult } from './types.js';

const MAX_SAMPLES = 4_000_000;
const TICK_MS = 2;
const DRAIN_MS = 3000;
/** The hard bound of one step, whatever it was asked. */
const MAX_STEP_SECONDS = 120;
/** The lag monitor's sampling period, ms: fine enough for a 20 ms bound, cheap enough not to load the generator. */
const LAG_RESOLUTION_MS = 5;

const tell = (progress: GenProgress): void => void process.stderr.write(`${PROGRESS_MARK}${JSON.stringify(progress)}\n`);

/** Runs `run` over the items `size` at a time, telling progress as `kind`. */
async function inBatches<T>(items: readonly T[], size: number, kind: 'login' | 'join', run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    await Promise.all(items.slice(i, i + size).map(run));
    tell({ kind, done: Math.min(items.length, i + size), total: items.length });
  }
}

/** Delivery measurements shared by all clients of the run; reset for each step. */
class Receivers {
  readonly latencies = new Float64Array(MAX_SAMPLES);
  samples = 0;
  delivered = 0;
  measureFrom = Number.POSITIVE_INFINITY;

  readonly onLine = (sentAt: number): void => {
    if (sentAt < this.measureFrom) return;
    this.delivered++;
    if (this.samples < MAX_SAMPLES) this.latencies[this.samples++] = performance.now() - sentAt;
  };

  reset(measureFrom: number): void {
    this.samples = 0;
    this.delivered = 0;
    this.measureFrom = measureFrom;
  }
}

/** CPU time so far of each named server process with its descendants (NaN for one that is gone). */
function serverCpu(pids: Record<string, number>): Map<string, number> {
  return new Map(Object.entries(pids).map(([name, pid]) => [name, treeCpuMs(pid) ?? Number.NaN]));
}

/** Resident memory of the named processes, added up. */
function serverRss(pids: Record<string, number>): number {
  return Object.values(pids).reduce((sum, pid) => sum + (sampleProc(pid)?.rssBytes ?? 0), 0);
}

async function step(config: GenConfig, speakers: Speaker[], rx: Receivers, rate: number, bisecting: boolean): Promise<StepResult> {
  const seconds = Math.min(config.seconds, MAX_STEP_SECONDS);
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  lag.enable();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  rx.reset(start + config.warmup * 1000);
  let server0 = serverCpu(config.serverPids);
  let sent = 0;
  let measuredSent = 0;
  let expected = 0;
  let next = 0;
  let serverSampled = false;
  let told = -1;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      const second = Math.floor((now - start) / 1000);
      if (second > told) {
        told = second;
        tell({ kind: 'step', rate, bisecting, elapsed: second, seconds: config.warmup + seconds });
      }
      if (!serverSampled && now >= rx.measureFrom) {
        server0 = serverCpu(config.serverPids);
        serverSampled = true;
      }
      const elapsed = (now - start) / 1000;
      const due = Math.floor(Math.min(elapsed, config.warmup + seconds) * rate) - sent;
      if (due > 0) {
        const batches = new Map<Speaker, string[]>();
        const measured = now >= rx.measureFrom;
        for (let k = 0; k < due; k++) {
          const speaker = speakers[next]!;
          next = (next + 1) % speakers.length;
          let batch = batches.get(speaker);
          if (!batch) batches.set(speaker, (batch = []));
          batch.push(benchLine(now, config.lineBytes));
          if (measured) expected += speaker.fanOut;
        }
        for (const [speaker, lines] of batches) speaker.say(lines);
        sent += due;
        if (measured) measuredSent += due;
      }
      if (elapsed >= config.warmup + seconds) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  const sendEnd = performance.now();
  const server1 = serverCpu(config.serverPids);
  const rssBytes = serverRss(config.serverPids);
  const drainDeadline = performance.now() + DRAIN_MS;
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (rx.delivered >= expected || performance.now() > drainDeadline) {
        clearInterval(check);
        resolve();
      }
    }, 20);
  });
  const cpu = process.cpuUsage(cpu0);
  lag.disable();
  const sorted = rx.latencies.subarray(0, rx.samples).sort();
  const measuredMs = sendEnd - rx.measureFrom;
  const byProcess = Object.fromEntries([...server1].map(([name, ms]) => [name, ((ms - server0.get(name)!) / measuredMs) * 100]));
  const result: StepResult = {
    offered: rate,
    sent: measuredSent,
    expected,
    delivered: rx.delivered,
    ratio: expected === 0 ? 1 : rx.delivered / expected,
    deliveredPerSec: (rx.delivered * 1000) / measuredMs,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    p999: quantile(sorted, 0.999),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    serverCpuPct: Object.values(byProcess).reduce((sum, pct) => sum + pct, 0),
    serverCpuByProcess: byProcess,
    serverRssBytes: rssBytes,
    generatorCpuPct: ((cpu.user + cpu.system) / 1000 / (performance.now() - start)) * 100,
    // The histogram is in nanoseconds and counts the monitor's own period in every sample.
    generatorLagP99Ms: Math.max(0, lag.percentile(99) / 1e6 - LAG_RESOLUTION_MS),
    generatorLagMaxMs: Math.max(0, lag.max / 1e6 - LAG_RESOLUTION_MS),
  };
  // Lines still in flight from this step must not count in the next one.
  rx.reset(Number.POSITIVE_INFINITY);
  return result;
}

/** The clients: IRC users numbered for the rooms of the flat-cost scenarios, or members numbered by group. */
function makeClients(config: GenConfig, rx: Receivers): { clients: BenchClient[]; irc: IrcClient[] | null } {
  if (config.rooms) {
    const irc = Array.from({ length: config.clients }, (_, i) => {
      const target = config.targets[i % config.targets.length]!;
      if (target.protocol !== 'irc') throw new Error(`rooms are for IRC targets, not ${target.protocol}`);
      return new IrcClient(`${config.prefix}u${i}`, target, rx.onLine);
    });
    return { clients: irc, irc };
  }
  const clients = Array.from({ length: config.clients }, (_, i) => {
    const g = Math.floor(i / config.groupSize);
    const member = i % config.groupSize;
    return makeClient(`${config.prefix}${g}x${member}`, targetOf(config.targets, g, member), rx.onLine);
  });
  return { clients, irc: null };
}

/** Members join their group one by one (the first member of each group is the one others connect to). */
async function joinGroups(config: GenConfig, clients: readonly BenchClient[]): Promise<void> {
  const groups = Math.ceil(clients.length / config.groupSize);
  for (let g = 0; g < groups; g++) {
    const members = clients.slice(g * config.groupSize, (g + 1) * config.groupSize);
    for (const [i, c] of members.entries()) await c.join(`#bench-${config.prefix}${g}`, i === 0 ? null : members[0]!.name);
    tell({ kind: 'join', done: g + 1, total: groups });
  }
}

/**
 * After an idle hold, whether every connection is still served: the clients pair up (0 with 1, 2
 * with 3, ...) and each sends its partner one line; `served` counts the lines that arrived.
 */
async function probeIdle(config: GenConfig, clients: readonly BenchClient[], rx: Receivers): Promise<{ served: number; expected: number; ms: number }> {
  const pairs = Array.from({ length: Math.floor(clients.length / 2) }, (_, i) => [clients[2 * i]!, clients[2 * i + 1]!] as const);
  const started = performance.now();
  await inBatches(pairs, config.concurrency ?? 50, 'join', async ([a, b]) => {
    const room = `#bench-${config.prefix}p${a.name}`;
    await a.join(room, null);
    await b.join(room, a.name);
  });
  rx.reset(0);
  for (const [a, b] of pairs) for (const c of [a, b]) c.send([benchLine(performance.now(), config.lineBytes)]);
  const expected = pairs.length * 2;
  const deadline = performance.now() + DRAIN_MS;
  while (rx.delivered < expected && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const served = rx.delivered;
  rx.reset(Number.POSITIVE_INFINITY);
  return { served, expected, ms: performance.now() - started };
}

async function main(config: GenConfig): Promise<void> {
  const rx = new Receivers();
  const { clients, irc } = makeClients(config, rx);
  const cpu0 = process.cpuUsage();
  const setupStart = performance.now();
  await inBatches(clients, config.concurrency ?? 50, 'login', (c) => c.login());
  const setupMs = performance.now() - setupStart;
  const head = { clients: clients.length, setupMs, connectsPerSec: (clients.length * 1000) / setupMs };

  if (config.idle) {
    const cpu = process.cpuUsage(cpu0);
    const generatorCpuPct = ((cpu.user + cpu.system) / 1000 / setupMs) * 100;
    process.stdout.write(JSON.stringify({ ...head, generatorCpuPct, serverRssBytes: serverRss(config.serverPids) }) + '\n');
    // The runner may ask for the probe (a line "probe") before it closes stdin to release the clients.
    await new Promise<void>((resolve) => {
      process.stdin.setEncoding('utf8');
      process.stdin.on('data', (text: string) => {
        if (text.includes('probe')) void probeIdle(config, clients, rx).then((probe) => process.stdout.write(JSON.stringify(probe) + '\n'));
      });
      process.stdin.on('close', resolve).resume();
    });
    for (const c of clients) c.close();
    return;
  }

  const joinStart = performance.now();
  let speakers: Speaker[];
  if (irc && config.rooms) speakers = await joinRooms(config.prefix, irc, config.rooms, tell);
  else {
    await joinGroups(config, clients);
    speakers = groupSpeakers(clients, config.groupSize);
  }
  const joinMs = performance.now() - joinStart;

  const steps: StepResult[] = [];
  for (let rate = nextRate(config, steps); rate !== null; rate = nextRate(config, steps)) {
    // The ramp's own rates come in order; any other rate is a bisection's midpoint.
    const result = await step(config, speakers, rx, rate, rate !== config.rates[steps.length]);
    steps.push(result);
    const bound = generatorBound(result) ? ' (generator-bound)' : '';
    process.stderr.write(
      `step ${rate}/s: p99 ${result.p99.toFixed(1)} ms, ratio ${result.ratio.toFixed(4)}, server CPU ${result.serverCpuPct.toFixed(0)}%, ` +
        `generator CPU ${result.generatorCpuPct.toFixed(0)}%, lag p99 ${result.generatorLagP99Ms.toFixed(1)} ms${bound}\n`,
    );
  }
  const result: GenResult = { ...head, joinMs, steps };
  process.stdout.write(JSON.stringify(result) + '\n');
  for (const c of clients) c.close();
}

main(JSON.parse(process.argv[2] ?? '{}') as GenConfig).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`generator failed: ${String(err)}\n`);
    process.exit(1);
  },
);
