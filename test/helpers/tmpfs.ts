/**
 * A small tmpfs of its own for a test that needs a real full or read-only disk. Mounting needs
 * root and a sandbox that allows it: `mountTmpfs` returns null where it cannot, and the test
 * that needs it is skipped (see `canMount`), never faked.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  dir: string;
  unmount(): void;
}

export function mountTmpfs(options: string): Tmpfs | null {
  const dir = mkdtempSync(join(tmpdir(), 'ics-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmdirSync(dir);
    return null;
  }
  return {
    dir,
    unmount: () => {
      execFileSync('umount', [dir], { stdio: 'ignore' });
      rmdirSync(dir);
    },
  };
}

/** Whether this machine lets the tests mount a tmpfs (checked once, with a mount of its own). */
export const canMount: boolean = (() => {
  const probe = mountTmpfs('size=64k');
  probe?.unmount();
  return probe !== null;
})();

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
