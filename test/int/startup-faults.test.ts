/**
 * A data directory or database the server cannot use stops it at start with one clear line
 * (the file, the cause, the fix) and exit code 1, never a stack trace. The faults are real:
 * a file where the folder should be, a read-only and a full file system (a tmpfs of the
 * test's own; a machine that cannot mount one says so, see needs.ts), another process holding
 * the database's write lock, another ics-chat on the same folder, and a file that is not a database.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Proc } from '../helpers/process.js';
import { ROOT } from '../helpers/server.js';
import { spawnServer, type ServerProc } from '../helpers/server-proc.js';
import { itNeeds } from '../helpers/needs.js';
import { fillDisk, mountTmpfs, tmpfsNeed, type Tmpfs } from '../helpers/tmpfs.js';

const dir = mkdtempSync(join(tmpdir(), 'ics-startup-'));
const procs: Proc[] = [];
const mounts: Tmpfs[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) p.kill();
  for (const m of mounts.splice(0)) m.unmount();
});
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** Starts the server on `dataDir` and expects it to refuse: exit 1 and exactly one line, an error. */
async function refused(dataDir: string): Promise<string> {
  const p = new Proc(process.execPath, [`${ROOT}dist/server/main.js`], { CHAT_HOST: '127.0.0.1', CHAT_PORT: '0', FRONTS: 'tcp', DATA_DIR: dataDir }, ROOT);
  procs.push(p);
  expect(await p.exited(20_000)).toBe(1);
  const lines = p.err.trimEnd().split('\n');
  expect(lines, p.err).toHaveLength(1);
  expect(lines[0]).toMatch(/^\S+ ERROR /);
  expect(p.err).not.toMatch(/\n\s+at /);
  return lines[0]!.replace(/^\S+ ERROR /, '');
}

function tmpfs(options: string): Tmpfs {
  const m = mountTmpfs(options);
  mounts.push(m);
  return m;
}

const itWithTmpfs = itNeeds(tmpfsNeed('the server refuses, at start, a data folder on a read-only and on a full file system'));

it('refuses a data folder that cannot be created, and says how to fix it', async () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, '');
  const data = join(file, 'data');
  expect(await refused(data)).toBe(`the data folder ${data} cannot be created or written (ENOTDIR: not a directory, mkdir '${data}'); set DATA_DIR to a writable folder`);
});

itWithTmpfs('refuses a data folder on a read-only file system (a read-only tmpfs; root may write anywhere else)', async () => {
  const ro = tmpfs('ro,size=1m');
  expect(await refused(ro.dir)).toBe(`the data folder ${ro.dir} cannot be created or written (EROFS: read-only file system, access '${ro.dir}'); set DATA_DIR to a writable folder`);
});

itWithTmpfs('refuses to start on a full disk (a full tmpfs), and says to free space', async () => {
  const full = tmpfs('size=256k');
  fillDisk(join(full.dir, 'filler'));
  const message = await refused(full.dir);
  expect(message).toMatch(new RegExp(`^the disk holding ${full.dir}/\\S+ is full; free disk space, or set DATA_DIR to a folder on another disk$`));
});

it('refuses a database another process holds a write transaction on, past the busy timeout', async () => {
  const data = join(dir, 'locked');
  mkdirSync(data);
  const file = join(data, 'history.db');
  const holder = new Proc(
    process.execPath,
    ['-e', `const db = new (require('better-sqlite3'))(${JSON.stringify(file)}); db.pragma('journal_mode = WAL'); db.exec('CREATE TABLE t (x); BEGIN IMMEDIATE; INSERT INTO t VALUES (1)'); console.log('holding'); process.stdin.resume();`],
    {},
    ROOT,
  );
  procs.push(holder);
  await holder.expectOut('holding', 20_000);
  expect(await refused(data)).toBe(`${file} is locked by another process (another ics-chat using DATA_DIR, or a tool holding a write transaction); stop it, or set DATA_DIR to another folder`);
});

it('refuses a second ics-chat on the same data folder while the first runs, and starts once it has gone', async () => {
  const data = join(dir, 'shared');
  const first: ServerProc = await spawnServer({ DATA_DIR: data });
  procs.push(first.proc);
  expect(await refused(data)).toBe(`another ics-chat is using the data folder ${data} (it holds ${join(data, 'ics-chat.lock')}); stop it, or set DATA_DIR to another folder`);
  first.proc.child.kill('SIGKILL');
  await first.proc.exited();
  const again = await spawnServer({ DATA_DIR: data });
  procs.push(again.proc);
  expect(again.ports['tcp']).toBeGreaterThan(0);
});

it('refuses a history file that is not a database', async () => {
  const data = join(dir, 'garbage');
  mkdirSync(data);
  const file = join(data, 'history.db');
  writeFileSync(file, 'these are my notes, not a database\n'.repeat(200));
  expect(await refused(data)).toBe(`${file} is not an ics-chat database, or it is damaged; move it out of the way, or set DATA_DIR to another folder`);
});
