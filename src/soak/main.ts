/**
 * `npm run soak -- --minutes N`: runs the real server (native, IRC and web fronts, default
 * limits) in a temporary data directory and a mixed load on all three fronts at once for N
 * minutes: login churn, groups and rooms forming, changing and dissolving, chat at a steady
 * rate, searches and sonnets. Accounts for every line, watches the server's memory, and
 * writes bench/out/soak.json; exits 1 if a line was lost, duplicated, reordered or misdelivered,
 * or anything unexpected happened. Options: --seconds N (instead of minutes), --rate N (lines
 * per second, all groups together), --groups N (group slots), --seed N, --out FILE, --cluster
 * (the same load over three nodes on a private PostgreSQL and nats-server, each new client on
 * the next node, every node's memory watched; see servers.ts).
 * Bounded in count and time; loopback only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LineSplitter } from '../bench/wire.js';
import { FRONTS, groupSlot, lurk, SETTLE_MS, sleep, type Activity, type ChurnContext } from './churn.js';
import { makeJsonClient, type SoakClient, type SoakFront, type SoakHooks } from './clients.js';
import { IrcClient } from './irc-client.js';
import { Ledger } from './ledger.js';
import { readTogether, sampleServer, summarizeMemory, type Sample } from './monitor.js';
import { Problems } from './problems.js';
import { renderTable, type SoakReport } from './report.js';
import { soakCluster, soakSingle, type SoakServers } from './servers.js';

const root = new URL('../../', import.meta.url).pathname;
const args = process.argv.slice(2);
const log = (line: string): void => void process.stdout.write(`${line}\n`);

function option(name: string, fallback: number, min: number, max: number): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const n = Number(args[at + 1]);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name} must be a number from ${min} to ${max}, got ${JSON.stringify(args[at + 1] ?? '')}`);
  return n;
}

/** A small seeded generator (mulberry32), so a run can be repeated. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Most a group's members may send together: each stays well under the default flood limit of 5 requests a second. */
const MAX_RATE_PER_GROUP = 6;
const LURKERS = FRONTS.length;

async function main(): Promise<number> {
  const seconds = args.includes('--seconds') ? option('--seconds', 60, 10, 86_400) : option('--minutes', 5, 0.2, 1440) * 60;
  const groups = option('--groups', 6, 1, 50);
  const rate = option('--rate', 20, 1, groups * MAX_RATE_PER_GROUP);
  const seed = option('--seed', Date.now() % 1_000_000, 0, 2 ** 32 - 1);
  const outAt = args.indexOf('--out');
  const out = resolve(outAt >= 0 && args[outAt + 1] ? args[outAt + 1]! : join(root, 'bench/out/soak.json'));
  const sampleMs = seconds < 120 ? 2000 : 5000;
  const progressEvery = seconds < 120 ? 10 : 30;

  const started = performance.now();
  const startedAt = new Date();
  const elapsed = (): number => (performance.now() - started) / 1000;
  const problems = new Problems(started);
  const ledger = new Ledger();
  const serverLog = new LineSplitter((line) => {
    if (/ (WARN|ERROR) /.test(line)) problems.add('server-log', 'server', line.slice(0, 240));
  });

  const cluster = args.includes('--cluster');
  log(`soak: ${seconds} s, ${groups} group slots and ${LURKERS} lurkers on tcp, irc and web${cluster ? ' over three nodes (PostgreSQL, NATS)' : ''}, ${rate} lines/s, seed ${seed} (Discord needs a token and Discord itself: not soaked)`);
  const onLog = (text: string): void => serverLog.push(text);
  const servers: SoakServers = cluster ? await soakCluster(root, FRONTS, onLog) : await soakSingle(root, FRONTS, onLog);
  // Interrupted, the soak takes its servers down with it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void servers.stop().finally(() => process.exit(130)));
  const samples: Sample[] = [];
  const webPorts = servers.nodes.map((n) => n.webPort);
  const together = (): ReturnType<typeof readTogether> => readTogether(webPorts, servers.keeper.webPort);
  const sampleAll = async (): Promise<Sample[]> => {
    const t = Math.round(elapsed() * 10) / 10;
    const taken = await Promise.all(servers.nodes.map((n) => sampleServer(n.name, n.pid, n.webPort, t)));
    for (const [i, s] of taken.entries()) if (!s) problems.add('error', servers.nodes[i]!.name, 'the server did not answer /healthz');
    return taken.filter((s): s is Sample => s !== null);
  };
  try {
    const { endpoint } = servers;
    const hooks: SoakHooks = { line: ledger.received, problem: problems.add };
    let users = 0;
    const connect = async (front: SoakFront, name: string): Promise<SoakClient> => {
      ledger.user(name, front);
      const client = front === 'irc' ? new IrcClient(name, endpoint(front), hooks) : makeJsonClient(front, name, endpoint(front), hooks);
      try {
        await client.login();
      } catch (err) {
        client.logout();
        throw err;
      }
      return client;
    };

    let sampling = true;
    const sampler = (async () => {
      let lastProgress = 0;
      while (sampling) {
        const taken = await sampleAll();
        samples.push(...taken);
        const t = taken[0]?.t ?? 0;
        if (taken.length && t - lastProgress >= progressEvery) {
          lastProgress = t;
          const rss = taken.map((s) => `${(s.rssBytes / (1 << 20)).toFixed(1)} MB`).join(' + ');
          const users = taken.reduce((n, s) => n + s.users, 0);
          const groupsNow = taken.find((s) => s.node === servers.keeper.name)?.groups ?? 0;
          log(`  ${t.toFixed(0).padStart(5)} s  RSS ${rss}, ${users} users, ${groupsNow} groups, ${ledger.sent} lines sent, ${ledger.missing()} in flight, ${problems.total} problems`);
        }
        await sleep(sampleMs);
      }
    })();

    const activity: Activity = { logins: 0, logouts: 0, adHocGroups: 0, rooms: 0, joins: 0, byes: 0, quits: 0, searches: 0, poems: 0 };
    const ctx: ChurnContext = {
      until: started + seconds * 1000,
      ratePerGroup: rate / groups,
      ledger,
      problems,
      activity,
      random: seeded(seed),
      newUser: (front) => connect(front, `${front}${++users}`),
    };
    const lurkers = await Promise.all(FRONTS.map((front) => connect(front, `lurker-${front}`)));
    activity.logins += lurkers.length;
    await Promise.all([...Array.from({ length: groups }, (_, slot) => groupSlot(ctx, slot)), ...lurkers.map((l) => lurk(ctx, l))]);
    for (const l of lurkers) l.logout();
    activity.logouts += lurkers.length;

    // Everyone has gone: the servers must hold no user, group or connection any more.
    const deadline = performance.now() + SETTLE_MS;
    let after = await together();
    while ((after.users > 0 || after.groups > 0 || after.connections > 0) && performance.now() < deadline) {
      await sleep(200);
      after = await together();
    }
    if (after.users > 0 || after.groups > 0 || after.connections > 0) {
      problems.add('leak', 'server', `${after.users} users, ${after.groups} groups and ${after.connections} connections left after everyone went`);
    }
    const stored = after.lines;
    if (stored !== ledger.sent) problems.add('history', 'server', `the history holds ${stored} lines; ${ledger.sent} were sent`);
    sampling = false;
    await sampler;
    samples.push(...(await sampleAll()));

    const steadyFrom = Math.max(10, seconds / 5);
    const totals = ledger.totals();
    const lost = ledger.lostByFront();
    const byFront = Object.fromEntries(FRONTS.map((f) => [f, { ...ledger.byFront[f], lost: lost[f] }])) as SoakReport['lines']['byFront'];
    const clean = totals.lost === 0 && totals.duplicated === 0 && totals.outOfOrder === 0 && totals.stray === 0;
    const report: SoakReport = {
      command: `npm run soak${args.length ? ` -- ${args.join(' ')}` : ''}`,
      started: startedAt.toISOString(),
      seconds: { asked: seconds, ran: Math.round(elapsed() * 10) / 10 },
      settings: { fronts: [...FRONTS], nodes: servers.nodes.length, groups, lurkers: LURKERS, rate, seed },
      lines: { ...totals, sent: ledger.sent, stored, byFront },
      activity,
      problems: { total: problems.total, byKind: Object.fromEntries(problems.byKind), first: problems.first },
      // The first fifth of the run (at least 10 s) is warm-up: the steady part is the rest.
      memory: summarizeMemory(samples.filter((s) => s.node === servers.keeper.name), steadyFrom),
      memoryByNode: Object.fromEntries(servers.nodes.map((n) => [n.name, summarizeMemory(samples.filter((s) => s.node === n.name), steadyFrom)])),
      after: { users: after.users, groups: after.groups, connections: after.connections },
      samples,
      ok: clean && problems.total === 0 && ledger.sent > 0,
    };
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(report, null, 2));
    log('');
    log(renderTable(report));
    log(`wrote ${out}`);
    return report.ok ? 0 : 1;
  } finally {
    await servers.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`soak failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(2);
  },
);
