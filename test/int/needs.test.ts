/**
 * A test whose need this machine lacks is never skipped in silence (test/helpers/needs.ts):
 * vitest runs a fixture with such a test, once as a person would and once as CI does.
 */
import { expect, it } from 'vitest';
import { Proc } from '../helpers/process.js';
import { ROOT } from '../helpers/server.js';

const UNPROVEN = 'NOT PROVEN: what the fixture cannot have: the fixture lacks it on purpose';

async function runFixture(ci: 'true' | 'false'): Promise<{ code: number; out: string; err: string; last: string[] }> {
  const p = new Proc(process.execPath, [`${ROOT}node_modules/vitest/vitest.mjs`, 'run', '--config', `${ROOT}test/fixtures/needs/vitest.config.ts`], { CI: ci, NO_COLOR: '1' }, ROOT);
  const code = await p.exited(60_000);
  return { code, out: p.out, err: p.err, last: p.out.trimEnd().split('\n').slice(-2) };
}

it('skips it outside CI with one loud line, and the closing lines name and count the skip', async () => {
  const run = await runFixture('false');
  expect(run.code, run.out + run.err).toBe(0);
  expect((run.out + run.err).split('\n').filter((l) => l.includes(UNPROVEN))).toHaveLength(1);
  expect(run.last).toEqual(['skipped: unmet.fixture.ts > needs what it lacks', '1 passed, 0 failed, 1 skipped']);
}, 90_000);

it('fails it under CI=true, saying what was not proven', async () => {
  const run = await runFixture('true');
  expect(run.code, run.out + run.err).toBe(1);
  expect(run.out + run.err).toContain(`Error: ${UNPROVEN}`);
  expect(run.last.at(-1)).toBe('1 passed, 1 failed, 0 skipped');
  expect(run.out).not.toContain('skipped: ');
}, 90_000);
