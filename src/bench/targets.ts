/** The servers a benchmark run measures, and the plumbing each scenario shares to run the generator against one. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FRONT_NAMES } from '../server/config.js';
import type { Protocol } from './clients.js';
import type { BenchOptions } from './options.js';
import type { TargetRun } from './report.js';
import { startFloor, startInspircd, startNgircd, startOurs, type RunningBenchServer } from './servers.js';
import { baseLoad, type GenConfig } from './types.js';

const PROTOCOL_LABEL: Record<Protocol, string> = { native: 'native', irc: 'IRC', ws: 'WebSocket' };
const ourFronts = (['tcp', 'irc', 'web'] as const).filter((f) => (FRONT_NAMES as readonly string[]).includes(f));
const ourProtocols: Protocol[] = ourFronts.map((f) => (f === 'tcp' ? 'native' : f === 'irc' ? 'irc' : 'ws'));

/** A server under test on one protocol, and how to start it. */
export interface Target {
  run: TargetRun;
  start(): Promise<RunningBenchServer>;
  /** A build of ours: started under V8's profiler, writing its profiles into `dir` as it exits. */
  profiled?(dir: string): Promise<RunningBenchServer>;
  concurrency: number;
}

const profilerFlags = (dir: string): string[] => ['--cpu-prof', `--cpu-prof-dir=${dir}`];

/** What a run measures: ours on each front (and the --versus build's), then, unless --no-peers, Node.js's floor and the peers. */
export function targets(root: string, options: BenchOptions, log: (line: string) => void): Target[] {
  const list: Target[] = ourProtocols.map((protocol) => ({
    run: { label: `ics-chat (${PROTOCOL_LABEL[protocol]})`, server: 'ics-chat', ours: true, protocol },
    start: () => startOurs(root, mkdtempSync(join(tmpdir(), 'bench-ours-')), ourFronts),
    profiled: (dir: string) => startOurs(root, mkdtempSync(join(tmpdir(), 'bench-ours-')), ourFronts, { nodeFlags: profilerFlags(dir) }),
    concurrency: 50,
  }));
  const { versus } = options;
  if (versus !== null) {
    if (!existsSync(join(versus, 'dist/server/main.js'))) throw new Error(`--versus ${versus}: no dist/server/main.js there (run npm ci && npm run build in it)`);
    for (const protocol of ourProtocols) {
      list.push({
        run: { label: `ics-chat before (${PROTOCOL_LABEL[protocol]})`, server: 'ics-chat before', ours: false, protocol },
        start: () => startOurs(versus, mkdtempSync(join(tmpdir(), 'bench-before-')), ourFronts),
        profiled: (dir: string) => startOurs(versus, mkdtempSync(join(tmpdir(), 'bench-before-')), ourFronts, { nodeFlags: profilerFlags(dir) }),
        concurrency: 50,
      });
    }
  }
  if (!options.peers) return list;
  // What Node.js itself costs for the load, beside what C servers cost: the part of the gap no JavaScript closes.
  list.push({ run: { label: 'Node.js floor (IRC)', server: 'Node.js floor', ours: false, protocol: 'irc' }, start: () => startFloor(root), concurrency: 10 });
  if (existsSync('/usr/sbin/ngircd')) list.push({ run: { label: 'ngircd (IRC)', server: 'ngircd', ours: false, protocol: 'irc' }, start: startNgircd, concurrency: 10 });
  else log('ngircd is not installed (apt-get install ngircd): left out');
  // InspIRCd completes registrations on its once-a-second timer: ten at a time, clients would connect ten a second.
  if (existsSync('/usr/sbin/inspircd')) list.push({ run: { label: 'InspIRCd (IRC)', server: 'InspIRCd', ours: false, protocol: 'irc' }, start: startInspircd, concurrency: 500 });
  else log('inspircd is not installed (apt-get install inspircd): left out');
  return list;
}

let runCounter = 0;
/** A generator configuration for one run against `server`: the base load with `over` applied, names unique to the run. */
export function genConfig(options: BenchOptions, t: Target, server: RunningBenchServer, over: Partial<GenConfig>): GenConfig {
  return {
    targets: [{ protocol: t.run.protocol as Protocol, host: '127.0.0.1', port: server.ports[t.run.protocol as Protocol]! }],
    ...baseLoad(options.quick),
    prefix: `b${runCounter++}_`,
    serverPids: { [server.name]: server.pid },
    concurrency: t.concurrency,
    ...over,
  };
}

/** Runs `work` against a fresh server, stopping it afterwards whatever happens. */
export async function withServer<T>(t: Target, work: (server: RunningBenchServer) => Promise<T>): Promise<T> {
  const server = await t.start();
  try {
    return await work(server);
  } finally {
    await server.stop();
  }
}
