/**
 * The servers under test, each started pinned to CPU 0 on loopback: ours (every front it
 * has), and Debian's ngircd and InspIRCd as peers, configured so that their flood protection
 * and connection limits do not throttle the load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../engines/ports.js';
import { NODE_FLAGS } from '../server/node-flags.js';
import type { Protocol } from './clients.js';
import { machineLimits, withFdLimit } from './limits.js';

export interface RunningBenchServer {
  name: string;
  pid: number;
  ports: Partial<Record<Protocol, number>>;
  /** Milliseconds from spawn to the last listening line. */
  startMs: number;
  stop(): Promise<void>;
}

export const SERVER_CPU = '0';
export const GENERATOR_CPU = '1';

/** `command` pinned to the server's core, with as many open files as the idle scenario's connections need (limits.ts). */
function pinned(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const [cmd, argv] = withFdLimit(machineLimits().fdLimit, 'taskset', ['-c', SERVER_CPU, command, ...args]);
  return spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

/** Waits until `ready` matches the process's output, or fails after `ms`. */
function waitOutput(child: ChildProcess, ready: (text: string) => boolean, what: string, ms = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${ms} ms:\n${text.slice(-2000)}`)), ms);
    let done = false;
    const onData = (d: Buffer): void => {
      // Keep draining after start (a full pipe would stall the server), but only the tail is kept.
      text = done ? (text + d.toString()).slice(-4096) : text + d.toString();
      if (!done && ready(text)) {
        done = true;
        clearTimeout(timer);
        resolve(text);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${text.slice(-2000)}`));
    });
  });
}

const FRONT_PROTOCOL: Record<string, Protocol> = { tcp: 'native', irc: 'irc', web: 'ws' };

export interface OursOptions {
  /** Pin the server to SERVER_CPU (the benchmark's setting); unpinned, it shares the machine. */
  pin?: boolean;
  /** Lift flood control and connection caps, as for the peers (the benchmark's setting); otherwise the defaults apply. */
  unlimited?: boolean;
  /** Every chunk the server writes to stdout or stderr, for the caller to read its log. */
  onOutput?: (text: string) => void;
  /** More settings (cluster mode: DATABASE_URL, NATS_URL, NODE_ID). */
  env?: Readonly<Record<string, string>>;
  /** Node.js flags besides the server's own (`--cpu-prof` for the profile). */
  nodeFlags?: readonly string[];
}

/** Our server with the given fronts, every port chosen by the system, history in `dataDir`. */
export async function startOurs(root: string, dataDir: string, fronts: readonly string[], options: OursOptions = {}): Promise<RunningBenchServer> {
  const { pin = true, unlimited = true } = options;
  const flood = unlimited ? { FLOOD_BURST: '1000000', FLOOD_RATE: '1000000', MAX_CONNECTIONS: '1000000', MAX_CONNECTIONS_PER_ADDRESS: '1000000', MAX_PENDING_LOGINS: '1000000' } : {};
  const env = { ...process.env, ...flood, FRONTS: fronts.join(','), CHAT_HOST: '127.0.0.1', CHAT_PORT: '0', IRC_HOST: '127.0.0.1', IRC_PORT: '0', WEB_HOST: '127.0.0.1', WEB_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...options.env };
  const started = performance.now();
  const main = join(root, 'dist/server/main.js');
  const argv = [...NODE_FLAGS, ...(options.nodeFlags ?? []), main];
  const child = pin ? pinned(process.execPath, argv, env) : spawn(process.execPath, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const { onOutput } = options;
  if (onOutput) for (const stream of [child.stdout, child.stderr]) stream?.on('data', (d: Buffer) => onOutput(d.toString()));
  const out = await waitOutput(child, (t) => / INFO ready /.test(t), 'ics-chat');
  const ports: Partial<Record<Protocol, number>> = {};
  for (const m of out.matchAll(/(\w+) front listening on (?:http:\/\/)?[\d.]+:(\d+)/g)) {
    const protocol = FRONT_PROTOCOL[m[1]!];
    if (protocol) ports[protocol] = Number(m[2]);
  }
  return { name: 'ics-chat', pid: child.pid!, ports, startMs: performance.now() - started, stop: stopper(child) };
}

/**
 * Waits until the server's search index has merged its segments (index-merge.ts), as a server's
 * has after a quiet moment; returns the seconds it took. Reads `/metrics` on the web front, which
 * the server must run. A history built in one go, as the bench's are, starts with a dozen segments.
 */
export async function indexMerged(server: RunningBenchServer, timeoutMs = 600_000): Promise<number> {
  const port = server.ports.ws;
  if (port === undefined) throw new Error('the server runs no web front: /metrics cannot be read');
  const started = performance.now();
  for (;;) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    if (/^ics_chat_search_index_merging 0$/m.test(text)) return (performance.now() - started) / 1000;
    if (performance.now() - started > timeoutMs) throw new Error(`the search index was still merging after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function startNgircd(): Promise<RunningBenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ngircd-'));
  const port = await freePort();
  const conf = join(dir, 'ngircd.conf');
  writeFileSync(
    conf,
    [
      '[Global]',
      'Name = ngircd.bench.local',
      'Info = benchmark peer',
      `Ports = ${port}`,
      'Listen = 127.0.0.1',
      `PidFile = ${join(dir, 'ngircd.pid')}`,
      '[Limits]',
      'MaxConnections = 0',
      'MaxConnectionsIP = 0',
      'MaxJoins = 0',
      'MaxNickLength = 24',
      'MaxPenaltyTime = 0',
      'PingTimeout = 600',
      'PongTimeout = 600',
      '[Options]',
      'DNS = no',
      'Ident = no',
      'PAM = no',
      '',
    ].join('\n'),
  );
  const started = performance.now();
  const child = pinned('/usr/sbin/ngircd', ['--nodaemon', '--config', conf]);
  await waitOutput(child, (t) => /[Ll]istening on|Now listening/.test(t), 'ngircd');
  return { name: 'ngircd', pid: child.pid!, ports: { irc: port }, startMs: performance.now() - started, stop: stopper(child) };
}

export async function startInspircd(): Promise<RunningBenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-inspircd-'));
  const port = await freePort();
  const conf = join(dir, 'inspircd.conf');
  writeFileSync(
    conf,
    `<server name="inspircd.bench.local" description="benchmark peer" network="bench">
<admin name="bench" nick="bench" email="bench@bench.local">
<bind address="127.0.0.1" port="${port}" type="clients">
<connect name="bench" allow="*" timeout="60" pingfreq="10m" hardsendq="64M" softsendq="8M" recvq="8M"
  threshold="1000000" commandrate="100000000" fakelag="no" localmax="100000" globalmax="100000"
  maxconnwarn="no" resolvehostnames="no" useident="no" limit="100000">
<channels users="100" opers="100">
<performance netbuffersize="65536" somaxconn="4096" softlimit="100000" clonesonconnect="no">
<security hidesplits="no" announceinvites="dynamic">
<options defaultmodes="n">
<pid file="${join(dir, 'inspircd.pid')}">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="${join(dir, 'inspircd.log')}">
`,
  );
  const started = performance.now();
  const child = pinned('/usr/sbin/inspircd', ['--nofork', '--nopid', '--runasroot', '--config', conf]);
  await waitOutput(child, (t) => /InspIRCd is now running|Startup complete/i.test(t), 'inspircd');
  return { name: 'InspIRCd', pid: child.pid!, ports: { irc: port }, startMs: performance.now() - started, stop: stopper(child) };
}

/** Node.js's floor (floor-server.ts): the least an IRC server in Node.js does for the load, built in `root`. */
export function startFloor(root: string): Promise<RunningBenchServer> {
  return startFloorScript(root, 'floor-server.js', 'irc', 'Node.js floor');
}

/** One node of the cluster's Node.js floor (cluster-floor.ts), with its settings (DATABASE_URL, NATS_URL, NODE_ID). */
export function startClusterFloorNode(root: string, env: Readonly<Record<string, string>>): Promise<RunningBenchServer> {
  return startFloorScript(root, 'cluster-floor.js', 'native', `Node.js floor ${env['NODE_ID']}`, env);
}

async function startFloorScript(root: string, file: string, protocol: Protocol, name: string, env: Readonly<Record<string, string>> = {}): Promise<RunningBenchServer> {
  const started = performance.now();
  const child = pinned(process.execPath, [join(root, 'dist/bench', file)], { ...process.env, ...env });
  const out = await waitOutput(child, (t) => /listening on \d+/.test(t), name);
  const port = Number(/listening on (\d+)/.exec(out)![1]);
  return { name, pid: child.pid!, ports: { [protocol]: port }, startMs: performance.now() - started, stop: stopper(child) };
}
