import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processTree, treeCpuMs } from './stats.js';

/** A shell whose child burns `ms` of its own CPU time and ends; the shell waits for it (reaping it), then for stdin to close. */
function parentOfBusyChild(ms: number): { pid: number; childDone: Promise<void>; end(): Promise<void> } {
  // Burns its own CPU time (not wall time), so a machine busy with other work cannot shorten it.
  const burn = `const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }; const t = cpu(); while (cpu() - t < ${ms});`;
  const sh = spawn('sh', ['-c', `"${process.execPath}" -e '${burn}'; echo done; read x`], { stdio: ['pipe', 'pipe', 'inherit'] });
  const childDone = new Promise<void>((resolve) => sh.stdout.on('data', (d: Buffer) => d.toString().includes('done') && resolve()));
  const exited = new Promise<void>((resolve) => sh.once('exit', () => resolve()));
  return { pid: sh.pid!, childDone, end: () => (sh.stdin.end(), exited) };
}

describe('treeCpuMs', () => {
  it('counts the CPU of a child that has already ended, through its parent', async () => {
    const shell = parentOfBusyChild(400);
    try {
      await shell.childDone;
      // The busy child is gone; its time lives on in the shell's cutime.
      expect(processTree(shell.pid)).toEqual([shell.pid]);
      expect(treeCpuMs(shell.pid)).toBeGreaterThanOrEqual(300);
    } finally {
      await shell.end();
    }
  }, 20_000);

  it('is null for a process that is gone', async () => {
    const shell = parentOfBusyChild(0);
    await shell.childDone;
    await shell.end();
    expect(treeCpuMs(shell.pid)).toBeNull();
    expect(processTree(shell.pid)).toEqual([]);
  }, 20_000);
});
