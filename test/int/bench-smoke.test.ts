/** A short S1 step of the benchmark, so the load generator and its harness never rot. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runGenerator } from '../../src/bench/run.js';
import { startOurs, type RunningBenchServer } from '../../src/bench/servers.js';
import { serverFlags, startScriptFlags } from '../helpers/node-flags.js';
import { ROOT } from '../helpers/server.js';

const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
let server: RunningBenchServer | null = null;
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('runs one short S1 step against the real server and delivers every line', async () => {
  server = await startOurs(ROOT, dir, ['tcp']);
  expect(serverFlags(server.pid), 'the Node flags of the server it measures are those of npm start').toEqual(startScriptFlags());
  const lines: string[] = [];
  const told = new Set<string>();
  const result = await runGenerator(
    ROOT,
    { targets: [{ protocol: 'native', host: '127.0.0.1', port: server.ports.native! }], clients: 100, groupSize: 2, rates: [500], seconds: 3, warmup: 1, lineBytes: 64, prefix: 'smoke', serverPids: { server: server.pid } },
    { line: (text) => lines.push(text), progress: (p) => told.add(p.kind) },
  );
  expect(result.clients).toBe(100);
  expect(result.steps).toHaveLength(1);
  const step = result.steps[0]!;
  expect(step.sent).toBeGreaterThan(1000);
  expect(step.delivered).toBe(step.expected);
  expect(step.p50).toBeGreaterThan(0);
  expect(step.serverCpuPct).toBeGreaterThan(0);
  expect(lines.join('\n')).toContain('step 500/s');
  expect([...told].sort(), 'the generator reports its progress').toEqual(['join', 'login', 'step']);
  expect(step.generatorCpuPct).toBeGreaterThan(0);
  expect(step.generatorLagMaxMs).toBeGreaterThanOrEqual(step.generatorLagP99Ms);
  expect(step.generatorLagP99Ms).toBeGreaterThanOrEqual(0);
}, 60_000);
