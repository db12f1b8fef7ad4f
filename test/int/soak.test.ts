/**
 * A short soak through the real command (what `npm run soak` runs once built): the real server
 * with its native, IRC and web fronts, about 45 s of churn and chat at a moderate rate. Every
 * line must arrive exactly once and in order, nothing unexpected may happen, and the server's
 * memory must not grow over the steady part.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { SoakReport } from '../../src/soak/report.js';
import { Proc } from '../helpers/process.js';
import { serverChildOf, serverFlags, startScriptFlags } from '../helpers/node-flags.js';
import { ROOT } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'soak-test-'));
let proc: Proc | null = null;
afterAll(() => {
  // SIGTERM, so that a soak cut short stops its server too.
  if (proc?.exitCode === null) proc.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

const MB = 1 << 20;

it('soaks all three fronts for 45 s without losing, doubling or reordering a line', async () => {
  const out = join(dir, 'soak.json');
  proc = new Proc(process.execPath, [`${ROOT}dist/soak/main.js`, '--seconds', '45', '--rate', '12', '--out', out], {}, ROOT);
  const soaked = await waitFor('the soak to start its server', () => serverChildOf(proc!.child.pid!), 60_000);
  expect(serverFlags(soaked), 'the Node flags of the server it soaks are those of npm start').toEqual(startScriptFlags());
  // 45 s of load, then the last lives dissolve; generous on a loaded machine, but bounded.
  const code = await proc.exited(240_000);
  const report = JSON.parse(readFileSync(out, 'utf8')) as SoakReport;
  const table = proc.out.slice(proc.out.indexOf('receivers'));
  expect(code, `${table}\n${proc.err}`).toBe(0);
  expect(report.ok).toBe(true);

  const { lines, activity, problems, memory, after } = report;
  expect(problems, table).toEqual({ total: 0, byKind: {}, first: [] });
  expect(lines.sent).toBeGreaterThan(200);
  expect(lines.stored).toBe(lines.sent);
  expect(lines).toMatchObject({ lost: 0, duplicated: 0, outOfOrder: 0, stray: 0 });
  expect(lines.delivered).toBe(lines.expected);
  for (const front of ['tcp', 'irc', 'web'] as const) {
    expect(lines.byFront[front].expected, `lines to ${front} users`).toBeGreaterThan(50);
    expect(lines.byFront[front].delivered).toBe(lines.byFront[front].expected);
  }

  // The churn did happen: users came and went, groups of both kinds formed, changed and dissolved.
  expect(activity.logins).toBeGreaterThan(30);
  expect(activity.logouts).toBe(activity.logins);
  expect(activity.adHocGroups).toBeGreaterThan(0);
  expect(activity.rooms).toBeGreaterThan(0);
  expect(activity.joins).toBeGreaterThan(10);
  expect(activity.byes + activity.quits).toBeGreaterThan(10);
  expect(activity.searches).toBeGreaterThan(0);
  expect(activity.poems).toBeGreaterThan(0);
  expect(after).toEqual({ users: 0, groups: 0, connections: 0 });

  expect(report.samples.length).toBeGreaterThan(10);
  expect(memory.peakBytes).toBeLessThan(400 * MB);
  expect(memory.steadyGrowthBytes).toBeLessThan(48 * MB);
  expect(table).toContain('OK: every line arrived once');
}, 300_000);
