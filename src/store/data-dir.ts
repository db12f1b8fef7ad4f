/**
 * The data folder as the server claims it at start: created if missing, checked writable, and
 * locked for as long as the server runs, so that a second server on the same folder is refused
 * rather than left to fight the first over line ids. The lock is SQLite's own file lock on a
 * small file beside the history (an exclusive lock held by one connection); the system drops
 * it when the process ends, however it ends, so a crash leaves no stale lock behind.
 * `explainOpenFault` turns what SQLite or the file system said into a cause and its fix.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** A fault of the data folder or its database, in words a person running the server can act on. */
export class DataDirError extends Error {
  override readonly name = 'DataDirError';
}

const LOCK_FILE = 'ics-chat.lock';

export class DataDirLock {
  private constructor(private readonly db: Database.Database) {}

  /** Creates the folder if needed and locks it; throws DataDirError when either cannot be done. */
  static claim(dir: string): DataDirLock {
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
    } catch (err) {
      throw new DataDirError(`the data folder ${dir} cannot be created or written (${reason(err)}); set DATA_DIR to a writable folder`);
    }
    const file = join(dir, LOCK_FILE);
    let db: Database.Database | null = null;
    try {
      db = new Database(file);
      db.pragma('busy_timeout = 0');
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE; COMMIT');
      return new DataDirLock(db);
    } catch (err) {
      db?.close();
      if (codeOf(err) === 'SQLITE_BUSY') throw new DataDirError(`another ics-chat is using the data folder ${dir} (it holds ${file}); stop it, or set DATA_DIR to another folder`);
      throw new DataDirError(explainOpenFault(err, file));
    }
  }

  release(): void {
    if (this.db.open) this.db.close();
  }
}

/** Why the database `file` could not be opened or written, and what to do about it. */
export function explainOpenFault(err: unknown, file: string): string {
  const code = codeOf(err);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return `the disk holding ${file} is full; free disk space, or set DATA_DIR to a folder on another disk`;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code?.startsWith('SQLITE_BUSY_')) {
    return `${file} is locked by another process (another ics-chat using DATA_DIR, or a tool holding a write transaction); stop it, or set DATA_DIR to another folder`;
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return `${file} is not an ics-chat database, or it is damaged; move it out of the way, or set DATA_DIR to another folder`;
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code?.startsWith('SQLITE_READONLY_')) {
    return `${file} cannot be opened for writing (${reason(err)}); set DATA_DIR to a writable folder`;
  }
  if (code?.startsWith('SQLITE_IOERR')) return `reading or writing ${file} failed (${reason(err)}); check the disk, or set DATA_DIR to a folder on another disk`;
  return `cannot open ${file} (DATA_DIR): ${reason(err)}`;
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function reason(err: unknown): string {
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  return code !== undefined && !message.startsWith(code) ? `${code}: ${message}` : message;
}
