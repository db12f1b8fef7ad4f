/**
 * The bench's command line, run as built: --help prints the usage and changes nothing (no install,
 * no report, no chart), a mistyped option is refused before anything runs. It runs in a copy of
 * the checkout whose install script leaves a mark, so an install would show; --report, which
 * does install and write, shows that the copy would catch it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/server.js';

let copy = '';
const INSTALLED = 'install-ran';

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'bench-cli-'));
  cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  mkdirSync(join(copy, 'scripts'));
  writeFileSync(join(copy, 'scripts/install-bench-deps.sh'), `touch "$(dirname "$0")/../${INSTALLED}"\n`);
  writeFileSync(join(copy, 'BENCHMARKS.md'), '# Benchmarks\n\nthe committed figures\n');
  mkdirSync(join(copy, 'docs'));
  writeFileSync(join(copy, 'docs/bench-latency.svg'), '<svg/>\n');
  mkdirSync(join(copy, 'bench/out'), { recursive: true });
  const saved = { command: 'npm run bench', quick: false, started: '2026-12-01T00:00:00.000Z', seconds: 60, s1: [], s2: [], s3: [], search: null, startup: null, notes: [] };
  writeFileSync(join(copy, 'bench/out/results.json'), JSON.stringify(saved));
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** Every file of the copy but the build and the modules, with a hash of its content and its mtime. */
function snapshot(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const rel = relative(copy, path);
      if (rel === 'dist' || rel === 'node_modules') continue;
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else files[rel] = `${createHash('sha256').update(readFileSync(path)).digest('hex')} ${stat.mtimeMs}`;
    }
  };
  walk(copy);
  return files;
}

function bench(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(copy, 'dist/bench/main.js'), ...args], { encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run bench --', () => {
  it.each(['--help', '-h', '--quick --help'])('%s prints the usage and changes nothing', (line) => {
    const before = snapshot();
    const r = bench(...line.split(' '));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: npm run bench -- \[options\]/);
    for (const option of ['--quick', '--only', '--reps', '--bisect', '--lines', '--report', '--versus', '--no-peers']) expect(r.stdout).toContain(option);
    expect(r.stdout).toContain('about an hour');
    expect(r.stderr).toBe('');
    expect(snapshot()).toEqual(before);
    expect(existsSync(join(copy, INSTALLED))).toBe(false);
  });

  it.each(['--hlep', '--only s1,s9', '--reps many'])('refuses %s with the usage, before anything runs', (line) => {
    const before = snapshot();
    const r = bench(...line.split(' '));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^bench: /);
    expect(r.stderr).toContain('Usage: npm run bench');
    expect(r.stdout).toBe('');
    expect(snapshot()).toEqual(before);
  });

  it('(the control) installs and rewrites the report for --report, which the snapshot sees', () => {
    const before = snapshot();
    const r = bench('--report');
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(copy, INSTALLED))).toBe(true);
    const after = snapshot();
    expect(after['BENCHMARKS.md']).not.toEqual(before['BENCHMARKS.md']);
    expect(readFileSync(join(copy, 'BENCHMARKS.md'), 'utf8')).toContain('Machine: not recorded with these results.');
  });

  it('has no npm pre-script, which would install whatever the arguments', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['prebench']).toBeUndefined();
    expect(pkg.scripts['bench']).toMatch(/node dist\/bench\/main\.js$/);
  });
});
