/**
 * A short soak of cluster mode through the real command (`npm run soak -- --cluster` once built):
 * three nodes with the native, IRC and web fronts on a private PostgreSQL and nats-server, each
 * new client on the next node, about 30 s of churn and chat. Every line must arrive exactly once
 * and in order across the nodes, the history must hold every line sent, nothing unexpected may
 * happen, and every node is watched.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { SoakReport } from '../../src/soak/report.js';
import { OWN_NATS_NEED, OWN_POSTGRES_NEED } from '../helpers/engines.js';
import { describeNeeds, type Need } from '../helpers/needs.js';
import { Proc } from '../helpers/process.js';
import { ROOT } from '../helpers/server.js';

const ENGINES: Need = { proves: 'the soak holds over three nodes', missing: OWN_POSTGRES_NEED.missing ?? OWN_NATS_NEED.missing };
const MB = 1 << 20;

describeNeeds(ENGINES)('npm run soak -- --cluster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'soak-cluster-test-'));
  let proc: Proc | null = null;
  afterAll(() => {
    // SIGTERM, so that a soak cut short stops its nodes and engines too.
    if (proc?.exitCode === null) proc.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('soaks three nodes for 30 s without losing, doubling or reordering a line', async () => {
    const out = join(dir, 'soak.json');
    proc = new Proc(process.execPath, [`${ROOT}dist/soak/main.js`, '--cluster', '--seconds', '30', '--rate', '12', '--out', out], {}, ROOT);
    // 30 s of load, the engines' start and the last lives dissolving; generous on a loaded machine, but bounded.
    const code = await proc.exited(180_000);
    const table = proc.out.slice(proc.out.indexOf('receivers'));
    expect(code, `${table}\n${proc.err}`).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as SoakReport;
    expect(report.ok).toBe(true);
    expect(report.settings.nodes).toBe(3);

    const { lines, activity, problems, after } = report;
    expect(problems, table).toEqual({ total: 0, byKind: {}, first: [] });
    expect(lines.sent).toBeGreaterThan(150);
    expect(lines.stored).toBe(lines.sent);
    expect(lines).toMatchObject({ lost: 0, duplicated: 0, outOfOrder: 0, stray: 0 });
    expect(lines.delivered).toBe(lines.expected);
    for (const front of ['tcp', 'irc', 'web'] as const) expect(lines.byFront[front].expected, `lines to ${front} users`).toBeGreaterThan(30);
    expect(activity.logins).toBeGreaterThan(20);
    expect(activity.logouts).toBe(activity.logins);
    expect(after).toEqual({ users: 0, groups: 0, connections: 0 });

    expect(Object.keys(report.memoryByNode).sort()).toEqual(['n1', 'n2', 'n3']);
    for (const m of Object.values(report.memoryByNode)) {
      expect(m.peakBytes).toBeGreaterThan(10 * MB);
      expect(m.steadyGrowthBytes).toBeLessThan(48 * MB);
    }
    expect(proc.out).toContain('on tcp, irc, web over 3 nodes');
    expect(table).toContain('OK: every line arrived once');
  }, 240_000);
});
