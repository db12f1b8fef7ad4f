/** Nothing lost on a crash of the one process: test/helpers/crash-load.ts says what is checked. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { crashCheck } from '../helpers/crash-load.js';
import { spawnServer, UNLIMITED, type ServerProc } from '../helpers/server-proc.js';

const dir = mkdtempSync(join(tmpdir(), 'ics-crash-'));
const servers: ServerProc[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.proc.kill();
  rmSync(dir, { recursive: true, force: true });
});

it('keeps every line any client received, for everyone entitled to it and nobody else, across a kill -9', async () => {
  const env = { ...UNLIMITED, FRONTS: 'tcp,irc,web', DATA_DIR: dir };
  const first = await spawnServer(env);
  servers.push(first);
  await crashCheck({
    ports: () => first.ports as { tcp: number; irc: number; web: number },
    kill: async () => {
      first.proc.child.kill('SIGKILL');
      expect(await first.proc.exited()).toBe(128);
    },
    after: async () => {
      const second = await spawnServer(env);
      servers.push(second);
      return second.ports['tcp']!;
    },
  });
}, 180_000);
