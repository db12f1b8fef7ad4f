/**
 * A small tmpfs of its own for a test that needs a real full or read-only disk. Mounting needs
 * root and a sandbox that allows it; where this machine does not, the tests that need one say
 * so (`tmpfsNeed`, see needs.ts), and nothing is faked.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Need } from './needs.js';

export interface Tmpfs {
  dir: string;
  unmount(): void;
}

/** Mounts a tmpfs with `options` on a fresh folder; throws with mount's own words where it cannot. */
export function mountTmpfs(options: string): Tmpfs {
  const dir = mkdtempSync(join(tmpdir(), 'ics-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    rmdirSync(dir);
    const said = String((err as { stderr?: Buffer }).stderr ?? '').trim() || (err as Error).message;
    throw new Error(`cannot mount a tmpfs (${said}); run the tests as root on a machine that allows mounting`);
  }
  return {
    dir,
    unmount: () => {
      execFileSync('umount', [dir], { stdio: 'ignore' });
      rmdirSync(dir);
    },
  };
}

let mountProblem: string | null | undefined;

/** The need for a tmpfs, for tests that prove `proves` (the machine is checked once, with a mount of its own). */
export function tmpfsNeed(proves: string): Need {
  if (mountProblem === undefined) {
    try {
      mountTmpfs('size=64k').unmount();
      mountProblem = null;
    } catch (err) {
      mountProblem = (err as Error).message;
    }
  }
  return { proves, missing: mountProblem };
}

/** Writes `file` until the disk is full; returns the bytes written. */
export function fillDisk(file: string): number {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 << 10, 1);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return written;
}
