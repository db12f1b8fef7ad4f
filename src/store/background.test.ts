import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait.js';
import { SqliteHistory } from './sqlite-history.js';

/** Each thread of this process and its nice value (field 19 of /proc/self/task/<tid>/stat). */
function niceness(): Map<number, number> {
  const threads = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // The command name may hold spaces: the fields after it are counted from its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    threads.set(Number(tid), Number(fields[16]));
  }
  return threads;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('the index worker', () => {
  it('runs at the lowest CPU priority, and the event loop at its own', async () => {
    const before = niceness();
    const dir = mkdtempSync(join(tmpdir(), 'ics-nice-'));
    dirs.push(dir);
    const history = new SqliteHistory(join(dir, 'history.db'));
    try {
      const low = await waitFor('a thread of the store at nice 19', () => [...niceness()].find(([tid, nice]) => !before.has(tid) && nice === 19) ?? null);
      expect(low).toBeDefined();
      expect(niceness().get(process.pid)).toBe(before.get(process.pid));
    } finally {
      await history.close();
    }
  });
});
