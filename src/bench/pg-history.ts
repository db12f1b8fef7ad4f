/**
 * `npm run bench:pg-history -- [--lines N] [--url URL]`: the PostgreSQL history beside the SQLite
 * one, in process (no server, no sockets): commit throughput in batches of 100 lines, and search
 * latency at N lines (100,000 unless given) for a rare word, a common word, a phrase and two words.
 * The searched history is the search scenario's (search-bench.ts), copied into PostgreSQL with
 * `migrate-history`'s own copy. PostgreSQL is a private one with its durable defaults (fsync on),
 * unless --url names one; each run uses fresh databases in it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { HistoryStore } from '../core/history.js';
import { startPostgres, type LocalPostgres } from '../engines/postgres.js';
import { historyCopy } from '../store/pg/copy-history.js';
import { PgHistory } from '../store/pg/pg-history.js';
import { copyParts } from '../store/pg/sqlite-copy.js';
import { SyncPg } from '../store/pg/sync-client.js';
import { SqliteHistory } from '../store/sqlite-history.js';
import { ensureSearchData, saidPhrase, storeSearchTimes } from './search-bench.js';

const root = new URL('../../', import.meta.url).pathname;
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const lines = Number(flag('--lines') ?? 100_000);
const log = (line: string): void => void process.stdout.write(`${line}\n`);

/** Lines per second, committing `total` lines in batches of 100 among 200 groups of 5. */
function commitRate(h: HistoryStore, total: number): number {
  const seqs = new Array<number>(201).fill(0);
  for (let g = 1; g <= 200; g++) {
    h.opened(g, 'adhoc', `#group-${g}`);
    for (let u = 0; u < 5; u++) h.joined(`u${g * 5 + u}`, g, 0);
  }
  h.commit();
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const g = 1 + (i % 200);
    h.record({ group: g, sender: `u${g * 5}`, senderKey: `u${g * 5}`, text: `line ${i} of the commit rate, with a few words in it`, ts: Date.now(), seq: ++seqs[g]! });
    if (i % 100 === 99) h.commit();
  }
  h.commit();
  return total / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const given = flag('--url');
  const engine: LocalPostgres | null = given === undefined ? await startPostgres({ durable: true }) : null;
  const server = given ?? engine!.url;
  const database = async (name: string): Promise<string> => {
    const admin = new SyncPg(server);
    admin.query(`DROP DATABASE IF EXISTS ${name}`);
    admin.query(`CREATE DATABASE ${name}`);
    await admin.close();
    const url = new URL(server);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const scratch = mkdtempSync(join(tmpdir(), 'ics-pg-bench-'));
  try {
    log('commit throughput, batches of 100 lines:');
    const sqlite = new SqliteHistory(join(scratch, 'rate.db'));
    log(`  SQLite      ${Math.round(commitRate(sqlite, 50_000))} lines/s`);
    await sqlite.close();
    const pg = new PgHistory(await database('ics_bench_rate'), { node: 'bench' });
    log(`  PostgreSQL  ${Math.round(commitRate(pg, 50_000))} lines/s`);
    await pg.close();

    mkdirSync(join(root, 'bench/out'), { recursive: true });
    const data = await ensureSearchData(join(root, 'bench/out'), join(root, 'data/sonnets.txt'), lines);
    const url = await database('ics_bench_search');
    const source = new Database(join(data.dir, 'history.db'), { readonly: true });
    const target = new SyncPg(url, { timeoutMs: 60_000 });
    const t0 = performance.now();
    copyParts(source, target, [historyCopy()], () => undefined);
    log(`copied ${lines} lines into PostgreSQL in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    source.close();
    target.query('VACUUM ANALYZE');
    await target.close();

    // A phrase that was said: the first two words of a line the first user may read.
    const phrase = await saidPhrase(data);
    const stores: [string, HistoryStore][] = [
      ['SQLite', new SqliteHistory(join(data.dir, 'history.db'))],
      ['PostgreSQL', new PgHistory(url, { node: 'bench' })],
    ];
    log(`search at ${lines} lines, ${data.users} users (ms):`);
    for (const [what, text] of [['rare word', data.rare], ['common word', data.common], ['phrase', phrase], ['two words', data.pair]] as const) {
      for (const [name, h] of stores) {
        const t = storeSearchTimes(h, text, data.users);
        log(`  ${what.padEnd(12)} ${name.padEnd(11)} p50 ${t.p50.toFixed(2).padStart(6)}  p99 ${t.p99.toFixed(2).padStart(6)}  (${text}: ${t.total} found by the last user)`);
      }
    }
    for (const [, h] of stores) await h.close();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await engine?.destroy();
  }
}

await main();
