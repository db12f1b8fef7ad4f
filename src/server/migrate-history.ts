/**
 * `npm run migrate-history -- --from data/history.db [--to URL]`: copies an embedded SQLite
 * database into cluster mode's PostgreSQL (DATABASE_URL unless --to names one), with a progress
 * bar on stderr and a count at the end on stdout. Run it before starting servers on the target;
 * running it again copies only what is missing, and says so when that is nothing. The parts it
 * copies are listed in PARTS, one per store.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { historyCopy } from '../store/pg/copy-history.js';
import { accountsCopy, keepsCopy } from '../store/pg/copy-accounts.js';
import { copyParts, type CopiedCount, type CopyPart, type CopyProgress } from '../store/pg/sqlite-copy.js';
import { SyncPg } from '../store/pg/sync-client.js';
import { ConfigError, loadDatabaseUrl } from './config.js';

const USAGE = 'usage: npm run migrate-history -- --from data/history.db [--to postgres://user@host:port/database]';

/** What is copied, in order. */
const PARTS: readonly (() => CopyPart)[] = [historyCopy, accountsCopy, keepsCopy];

/** The width of the bar, in characters. */
const BAR = 30;

function option(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

/** Draws the bar over itself, at most every 100 ms and once at each step's end. */
function progressBar(out: NodeJS.WriteStream): (p: CopyProgress) => void {
  let drawn = 0;
  let step = '';
  return (p) => {
    const now = Date.now();
    const finished = p.done >= p.total;
    if (p.step === step && !finished && now - drawn < 100) return;
    if (p.step !== step && step !== '') out.write('\n');
    step = p.step;
    drawn = now;
    const share = p.total === 0 ? 1 : p.done / p.total;
    const filled = Math.round(share * BAR);
    out.write(`\r${p.step.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${String(Math.round(share * 100)).padStart(3)}%  ${p.done}/${p.total}`);
  };
}

function summary(counts: readonly CopiedCount[], from: string): string {
  if (counts.every((c) => c.copied === 0)) return `nothing to copy: PostgreSQL already holds everything in ${from}`;
  const copied = counts.map((c) => `${c.step} ${c.copied}${c.copied < c.found ? ` (of ${c.found}: the rest were there already)` : ''}`);
  return `copied from ${from}: ${copied.join(', ')}`;
}

function main(): number {
  const args = process.argv.slice(2);
  const from = option(args, '--from');
  let to: string | null;
  try {
    to = option(args, '--to') ?? loadDatabaseUrl();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 2;
  }
  if (from === undefined || to === null) {
    process.stderr.write(`${USAGE}\n${to === null ? 'no --to given and DATABASE_URL is not set\n' : ''}`);
    return 2;
  }
  if (!existsSync(from)) {
    process.stderr.write(`${from}: no such file\n`);
    return 2;
  }
  const source = new Database(from, { readonly: true, fileMustExist: true });
  // Minutes-long batches of a large history are fine; one stuck statement is not.
  const target = new SyncPg(to, { timeoutMs: 60_000 });
  try {
    const counts = copyParts(source, target, PARTS.map((part) => part()), progressBar(process.stderr));
    process.stderr.write('\n');
    process.stdout.write(`${summary(counts, from)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`\nmigrate-history: ${(err as Error).message}\n`);
    return 1;
  } finally {
    source.close();
    void target.close();
  }
}

process.exitCode = main();
