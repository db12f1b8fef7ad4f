import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processTree, settledRss, treeCpuMs, workerThreadsCpuMs } from './stats.js';

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

describe('settledRss', () => {
  it('answers within its bound, with the memory of the process', async () => {
    const started = performance.now();
    const rss = await settledRss(process.pid, 2000);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(rss).toBeGreaterThan(1024 * 1024);
  });

  it('answers 0 for a process that is gone, once the samples agree', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid!;
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await settledRss(pid, 2000)).toBe(0);
  });
});

describe('workerThreadsCpuMs', () => {
  it("counts a worker thread's CPU time, not the main thread's", async () => {
    // The main thread burns 300 ms of its CPU time, then a worker burns 300 ms of its own; both report when done.
    const burn = (ms: number) => `const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }; const t = cpu(); while (cpu() - t < ${ms});`;
    const program = `${burn(300)} console.log('main'); const { Worker } = require('node:worker_threads'); new Worker(${JSON.stringify(`${burn(300)} require('node:worker_threads').parentPort.postMessage(1);`)}, { eval: true }).once('message', () => console.log('worker')); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', program], { stdio: ['ignore', 'pipe', 'inherit'] });
    const said = (word: string) => new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes(word) && resolve()));
    try {
      await said('main');
      expect(workerThreadsCpuMs(child.pid!)).toBeLessThan(150);
      await said('worker');
      expect(workerThreadsCpuMs(child.pid!)).toBeGreaterThanOrEqual(250);
    } finally {
      child.kill();
    }
  });
});
