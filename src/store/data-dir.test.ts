import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { DataDirError, DataDirLock, explainOpenFault } from './data-dir.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ics-datadir-'));
  dirs.push(dir);
  return dir;
}

it('creates the folder, and lets one claim at a time hold it', () => {
  const dir = join(tempDir(), 'new', 'data');
  const first = DataDirLock.claim(dir);
  expect(() => DataDirLock.claim(dir)).toThrow(new DataDirError(`another ics-chat is using the data folder ${dir} (it holds ${join(dir, 'ics-chat.lock')}); stop it, or set DATA_DIR to another folder`));
  first.release();
  first.release();
  DataDirLock.claim(dir).release();
});

it('refuses a folder that cannot be created', () => {
  const file = join(tempDir(), 'file');
  writeFileSync(file, '');
  expect(() => DataDirLock.claim(join(file, 'data'))).toThrow(/^the data folder .* cannot be created or written \(ENOTDIR: .*\); set DATA_DIR to a writable folder$/);
});

it.each([
  ['SQLITE_FULL', 'database or disk is full', 'the disk holding /d/history.db is full; free disk space, or set DATA_DIR to a folder on another disk'],
  ['ENOSPC', 'ENOSPC: no space left on device', 'the disk holding /d/history.db is full; free disk space, or set DATA_DIR to a folder on another disk'],
  ['SQLITE_BUSY', 'database is locked', '/d/history.db is locked by another process (another ics-chat using DATA_DIR, or a tool holding a write transaction); stop it, or set DATA_DIR to another folder'],
  ['SQLITE_NOTADB', 'file is not a database', '/d/history.db is not an ics-chat database, or it is damaged; move it out of the way, or set DATA_DIR to another folder'],
  ['SQLITE_CORRUPT', 'database disk image is malformed', '/d/history.db is not an ics-chat database, or it is damaged; move it out of the way, or set DATA_DIR to another folder'],
  ['SQLITE_CANTOPEN', 'unable to open database file', '/d/history.db cannot be opened for writing (SQLITE_CANTOPEN: unable to open database file); set DATA_DIR to a writable folder'],
  ['SQLITE_READONLY', 'attempt to write a readonly database', '/d/history.db cannot be opened for writing (SQLITE_READONLY: attempt to write a readonly database); set DATA_DIR to a writable folder'],
  ['SQLITE_IOERR_WRITE', 'disk I/O error', 'reading or writing /d/history.db failed (SQLITE_IOERR_WRITE: disk I/O error); check the disk, or set DATA_DIR to a folder on another disk'],
  [undefined, 'holds history in format 7', 'cannot open /d/history.db (DATA_DIR): holds history in format 7'],
])('explains %s', (code, message, explained) => {
  expect(explainOpenFault(Object.assign(new Error(message), code === undefined ? {} : { code }), '/d/history.db')).toBe(explained);
});
