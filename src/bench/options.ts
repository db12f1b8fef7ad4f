/**
 * The benchmark's command line: every option, its default and the usage text. Parsing is pure
 * and strict, so a mistyped option is refused before anything is installed, started or written
 * (a typo would otherwise cost an hour-long run and overwrite BENCHMARKS.md).
 */

/** The scenarios, in the order a run measures them. */
export const SCENARIOS = ['s1', 's2', 's3', 'search', 'startup', 'profile', 'bigroom', 'manyrooms', 'bighistory', 'manyidle'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** The scenarios whose cost should stay flat as their load grows (flat-bench.ts). */
export const FLAT_SCENARIOS: readonly Scenario[] = ['bigroom', 'manyrooms', 'bighistory', 'manyidle'];

/** The scenarios a --cluster run has. */
export const CLUSTER_SCENARIOS: readonly Scenario[] = ['s1', 's2', 's3', 'search'];

/** The search history of a quick cluster run unless --lines says otherwise: copying a million lines into PostgreSQL takes minutes. */
export const QUICK_CLUSTER_LINES = 100_000;

/** The bighistory curve's sizes, and those of a quick run, unless --history-lines says. */
export const HISTORY_CURVE = [1_000_000, 3_000_000, 10_000_000];
export const QUICK_HISTORY_CURVE = [100_000, 300_000, 1_000_000];

export interface BenchOptions {
  help: boolean;
  quick: boolean;
  /** Set only when --only was given: a run of some scenarios keeps the others' figures. */
  only: ReadonlySet<Scenario> | null;
  reps: number;
  bisections: number;
  searchLines: number;
  /** The history sizes bighistory measures, smallest first. */
  historyCurve: number[];
  report: boolean;
  versus: string | null;
  peers: boolean;
  /** Measure cluster mode (three nodes on PostgreSQL and NATS) beside the single process, instead of the fronts and peers. */
  cluster: boolean;
}

export type Parsed = { ok: true; options: BenchOptions } | { ok: false; error: string };

export const USAGE = `Usage: npm run bench -- [options]   (or: node dist/bench/main.js [options])

Measures ics-chat on each of its fronts and, in the same run, Debian's ngircd and InspIRCd and
Node.js's floor (src/bench/floor-server.ts: the least an IRC server in Node.js does for the load),
each server pinned to CPU 0 and the load generator to CPU 1, on loopback. Then writes
BENCHMARKS.md and docs/bench-latency.png (or .svg), and saves the figures in bench/out/results.json.
Before measuring it installs what is missing (ngircd, inspircd, taskset, rsvg-convert) when
run as root on Debian/Ubuntu (scripts/install-bench-deps.sh), else says what to install.

Scenarios: s1 (100 clients in pairs, 2,000 lines/s), s2 (1,000 clients in groups of 10, the
offered rate ramped by 2,000 lines/s until a step misses p99 <= 100 ms or 99.9 % delivered twice,
then bisected), s3 (5,000 idle clients: memory per connection), search (queries over a stored
history), startup (time to ready with that history), profile (ours, and --versus's build, at
10,000 lines/s in S2's shape on the native front under V8's profiler: a flame graph of the event
loop in docs/ and the busiest functions). Costs that should stay flat as work grows,
each a curve (see BENCHMARKS.md): bigroom (one room of 250 to 2,000 members, 50 lines/s in all),
manyrooms (1,000 users each in 1 to 20 rooms of 10 to 50, at the same deliveries/s), bighistory
(search and start-up over 1M, 3M and 10M lines), manyidle (5,000 to 20,000 idle clients, then
one line through each).

Options:
  -h, --help       print this text and exit, changing nothing
  --quick          short steps (3 s instead of 10), one S2 run per server, smaller bighistory
                   (100k, 300k, 1M lines) and manyidle (1,000, 2,500, 5,000) curves: indicative only
  --only LIST      measure only these scenarios, comma-separated, from: ${SCENARIOS.join(',')}
                   (default: all); a full-length run keeps the other scenarios' figures from
                   the last full-length run
  --reps N         S2 ramps per server, servers interleaved (default 3; 1 with --quick)
  --bisect N       S2: after the first step that misses, measure the midpoint between the last
                   step that met the criteria and it N times, so the knee is known to within
                   2,000 / 2^N lines/s (default 1: within 1,000)
  --lines N        lines in the search history (default 1000000; built once, kept in bench/out)
  --history-lines LIST
                   bighistory's sizes, comma-separated (default ${HISTORY_CURVE.join(',')}); each is
                   built once and kept in bench/out, at about 1 min per million lines
  --report         measure nothing: write BENCHMARKS.md and the chart again from
                   bench/out/results.json
  --versus DIR     also measure the ics-chat built in DIR (a checkout of an earlier commit after
                   npm ci && npm run build there), for this build's ratio to it in one run
  --no-peers       leave ngircd, InspIRCd and the Node.js floor out (a shorter comparison of two builds)
  --cluster        measure cluster mode instead: a private PostgreSQL (fsync on) and nats-server,
                   three nodes on loopback, beside one process on SQLite, one on PostgreSQL
                   and (S1, S2) the Node.js floor of a cluster (src/bench/cluster-floor.ts)
                   in the same run, over the native protocol; scenarios ${CLUSTER_SCENARIOS.join(', ')} (S1 with
                   each pair on two nodes, S2 with each group over the three, S3's idle
                   clients over the three, search in PostgreSQL at --lines lines,
                   ${QUICK_CLUSTER_LINES.toLocaleString('en-US')} with --quick); CPU adds up every node, PostgreSQL process
                   and nats-server. Writes the cluster section of
                   BENCHMARKS.md and keeps the rest; other runs keep the cluster section

How long: about an hour on a 2-core machine for s1 to startup; the flat-cost scenarios add
about 50 minutes more (forming the room of 2,000 on our IRC front alone took 6 minutes on a
loaded machine), about 30 with --quick; --quick --only s1 under a minute; --cluster about 35 minutes, 20 with --reps 1 and 4
with --quick. Building each stored history the first time adds about a minute per million
lines (10M: about 10 minutes, once).
Progress goes to stderr (a bar per scenario on a terminal), results to stdout.
`;

/** A whole number of at least `min` from an option's value, or what is wrong with it. */
function count(name: string, text: string | undefined, min: number): number | string {
  return text !== undefined && /^\d+$/.test(text) && Number(text) >= min ? Number(text) : `${name} takes a whole number of at least ${min}, not ${text === undefined ? 'nothing' : `'${text}'`}`;
}

/** Reads the command line (without node and the script); an unknown option or a bad value is an error. */
export function parseOptions(argv: readonly string[]): Parsed {
  let help = false;
  let quick = false;
  let report = false;
  let peers = true;
  let only: Set<Scenario> | null = null;
  let reps: number | null = null;
  let bisections = 1;
  let searchLines = 1_000_000;
  let versus: string | null = null;
  let cluster = false;
  let linesGiven = false;
  let historyCurve: number[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string | undefined => {
      const v = argv[++i];
      return v === undefined || v.startsWith('-') ? undefined : v;
    };
    switch (arg) {
      case '-h':
      case '--help':
        help = true;
        break;
      case '--quick':
        quick = true;
        break;
      case '--report':
        report = true;
        break;
      case '--no-peers':
        peers = false;
        break;
      case '--cluster':
        cluster = true;
        break;
      case '--only': {
        const list = value();
        if (list === undefined) return { ok: false, error: `--only takes a list of scenarios: ${SCENARIOS.join(',')}` };
        const names = list.split(',');
        const unknown = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
        if (unknown.length) return { ok: false, error: `--only: unknown scenario ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})` };
        only = new Set(names as Scenario[]);
        break;
      }
      case '--versus': {
        const dir = value();
        if (dir === undefined) return { ok: false, error: '--versus takes the directory of an ics-chat checkout' };
        versus = dir;
        break;
      }
      case '--history-lines': {
        const list = value();
        const sizes = (list ?? '').split(',').map((t) => count('--history-lines', t, 1));
        const bad = list === undefined ? '--history-lines takes a comma-separated list of line counts' : sizes.find((n) => typeof n === 'string');
        if (typeof bad === 'string') return { ok: false, error: bad };
        historyCurve = [...new Set(sizes as number[])].sort((a, b) => a - b);
        break;
      }
      case '--reps':
      case '--bisect':
      case '--lines': {
        const n = count(arg, value(), arg === '--bisect' ? 0 : 1);
        if (typeof n === 'string') return { ok: false, error: n };
        if (arg === '--reps') reps = n;
        else if (arg === '--bisect') bisections = n;
        else {
          searchLines = n;
          linesGiven = true;
        }
        break;
      }
      default:
        return { ok: false, error: `unknown option '${arg}'` };
    }
  }
  if (cluster && versus !== null) return { ok: false, error: '--cluster measures this build alone: it takes no --versus' };
  const outside = cluster && only !== null ? [...only].filter((s) => !CLUSTER_SCENARIOS.includes(s)) : [];
  if (outside.length) return { ok: false, error: `--cluster measures ${CLUSTER_SCENARIOS.join(', ')}, not ${outside.join(', ')}` };
  if (cluster && quick && !linesGiven) searchLines = QUICK_CLUSTER_LINES;
  return { ok: true, options: { help, quick, only, reps: reps ?? (quick ? 1 : 3), bisections, searchLines, historyCurve: historyCurve ?? (quick ? QUICK_HISTORY_CURVE : HISTORY_CURVE), report, versus, peers, cluster } };
}

/** Whether this run measures the scenario. */
export function measures(options: BenchOptions, scenario: Scenario): boolean {
  return options.only === null || options.only.has(scenario);
}
