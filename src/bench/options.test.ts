import { describe, expect, it } from 'vitest';
import { CLUSTER_SCENARIOS, FLAT_SCENARIOS, HISTORY_CURVE, measures, parseOptions, QUICK_CLUSTER_LINES, QUICK_HISTORY_CURVE, SCENARIOS, USAGE, type BenchOptions } from './options.js';

function ok(argv: string[]): BenchOptions {
  const parsed = parseOptions(argv);
  if (!parsed.ok) throw new Error(`refused ${argv.join(' ')}: ${parsed.error}`);
  return parsed.options;
}

function refused(argv: string[]): string {
  const parsed = parseOptions(argv);
  if (parsed.ok) throw new Error(`accepted ${argv.join(' ')}`);
  return parsed.error;
}

describe('parseOptions', () => {
  it('defaults to the full run of every scenario against the peers', () => {
    const o = ok([]);
    expect(o).toMatchObject({ help: false, quick: false, only: null, reps: 3, bisections: 1, searchLines: 1_000_000, report: false, versus: null, peers: true, cluster: false });
    for (const s of SCENARIOS) expect(measures(o, s)).toBe(true);
  });

  it('reads every option', () => {
    const o = ok(['--quick', '--only', 's1,search', '--reps', '2', '--bisect', '2', '--lines', '5000', '--versus', '/tmp/before', '--no-peers', '--report']);
    expect(o).toMatchObject({ quick: true, reps: 2, bisections: 2, searchLines: 5000, report: true, versus: '/tmp/before', peers: false });
    expect(SCENARIOS.filter((s) => measures(o, s))).toEqual(['s1', 'search']);
  });

  it('takes one S2 run per server in quick mode unless told otherwise, and --bisect 0 for the plain ramp', () => {
    expect(ok(['--quick']).reps).toBe(1);
    expect(ok(['--quick', '--reps', '3']).reps).toBe(3);
    expect(ok(['--bisect', '0']).bisections).toBe(0);
  });

  it('reads --cluster: a million lines of search history, or fewer in quick mode unless --lines says', () => {
    expect(ok(['--cluster'])).toMatchObject({ cluster: true, searchLines: 1_000_000 });
    expect(ok(['--cluster', '--quick']).searchLines).toBe(QUICK_CLUSTER_LINES);
    expect(ok(['--cluster', '--quick', '--lines', '1000000']).searchLines).toBe(1_000_000);
    expect(ok(['--quick']).searchLines).toBe(1_000_000);
    const some = ok(['--cluster', '--only', 's1,search']);
    expect(CLUSTER_SCENARIOS.filter((s) => measures(some, s))).toEqual(['s1', 'search']);
  });

  it('names the flat-cost scenarios for --only, and reads the history curve: 1M, 3M, 10M, or 100k, 300k, 1M when quick', () => {
    const o = ok(['--only', 'bigroom,manyidle']);
    expect(SCENARIOS.filter((s) => measures(o, s))).toEqual(['bigroom', 'manyidle']);
    for (const s of FLAT_SCENARIOS) expect(SCENARIOS).toContain(s);
    expect(ok([]).historyCurve).toEqual(HISTORY_CURVE);
    expect(HISTORY_CURVE).toEqual([1_000_000, 3_000_000, 10_000_000]);
    expect(ok(['--quick']).historyCurve).toEqual(QUICK_HISTORY_CURVE);
    expect(ok(['--quick', '--history-lines', '3000000,1000000,3000000']).historyCurve).toEqual([1_000_000, 3_000_000]);
  });

  it.each(['-h', '--help', '--quick --help'])('asks for help with %s', (line) => {
    expect(ok(line.split(' ')).help).toBe(true);
  });

  it.each([
    [['--hlep'], "unknown option '--hlep'"],
    [['quick'], "unknown option 'quick'"],
    [['--only', 's4'], 'unknown scenario s4'],
    [['--only'], '--only takes a list'],
    [['--only', '--quick'], '--only takes a list'],
    [['--reps', '0'], '--reps takes a whole number of at least 1'],
    [['--reps', 'x'], "not 'x'"],
    [['--lines', '1e6'], '--lines takes a whole number'],
    [['--bisect', '-1'], '--bisect takes a whole number of at least 0, not nothing'],
    [['--versus'], '--versus takes the directory'],
    [['--history-lines'], '--history-lines takes a comma-separated list'],
    [['--history-lines', '1000,x'], "--history-lines takes a whole number of at least 1, not 'x'"],
    [['--history-lines', '1000,'], '--history-lines takes a whole number of at least 1'],
    [['--cluster', '--only', 'bigroom'], '--cluster measures s1, s2, s3, search, not bigroom'],
    [['--cluster', '--versus', '/tmp/before'], '--cluster measures this build alone'],
    [['--cluster', '--only', 's1,startup'], '--cluster measures s1, s2, s3, search, not startup'],
  ])('refuses %j', (argv, error) => {
    expect(refused(argv)).toContain(error);
  });
});

describe('USAGE', () => {
  it('names every option the parser accepts, and how long a run takes', () => {
    for (const option of ['-h, --help', '--quick', '--only', '--reps', '--bisect', '--lines', '--report', '--versus', '--no-peers', '--cluster', '--history-lines', ...FLAT_SCENARIOS]) expect(USAGE).toContain(option);
    expect(USAGE).toMatch(/about an hour/);
  });
});
