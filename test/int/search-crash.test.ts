/**
 * The search index across a kill -9: a process records, edits and deletes lines until it is
 * killed, once while the index file is locked (every line and revision of its run is then left
 * unindexed) and once at a random moment while the index worker keeps up. The next start must
 * hold every line a commit acknowledged, and search, pages and counts must answer exactly what
 * the stored lines say.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, expect, it } from 'vitest';
import { words } from '../../src/core/sonnets.js';
import { SqliteHistory } from '../../src/store/sqlite-history.js';
import { Proc } from '../helpers/process.js';
import { ROOT } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'ics-search-crash-'));
const file = join(dir, 'history.db');
const procs: Proc[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) p.kill();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VOCABULARY = ['tea', 'coffee', 'lemon', 'noon', 'cold', 'warm', 'cup', 'pot'];

/** Writes until killed: 16 lines a commit over 4 groups, an edit or a deletion of an earlier line now and then; prints each commit's last line id once it returns. */
const WRITER = `
const { SqliteHistory } = await import(process.env.STORE);
const h = new SqliteHistory(process.env.FILE);
const vocabulary = ${JSON.stringify(VOCABULARY)};
let n = 0;
const pick = () => vocabulary[Math.floor(Math.random() * vocabulary.length)];
const seqs = [0, 0, 0, 0].map((_, g) => h.lastSeq(g + 1));
for (let g = 1; g <= 4; g++) {
  h.opened(g, 'adhoc', '#group-' + g);
  h.joined('u', g, seqs[g - 1]);
}
const ids = [];
for (;;) {
  let last = 0;
  for (let i = 0; i < 16; i++) {
    const g = 1 + (n++ % 4);
    last = h.record({ group: g, sender: 'u', senderKey: 'u', text: pick() + ' ' + pick() + ' ' + n, ts: Date.now(), seq: ++seqs[g - 1] }).id;
    ids.push(last);
  }
  if (Math.random() < 0.3) h.revise(ids[Math.floor(Math.random() * ids.length)], Math.random() < 0.5 ? null : pick() + ' edited');
  h.commit();
  console.log('committed ' + last);
  await new Promise((resolve) => setImmediate(resolve));
}
`;

/** Runs the writer until it has committed `lines` lines or more, then kills it; the last line id it acknowledged. */
async function writeAndKill(lines: number): Promise<number> {
  const writer = new Proc(process.execPath, ['--input-type=module', '-e', WRITER], { STORE: join(ROOT, 'dist/store/sqlite-history.js'), FILE: file });
  procs.push(writer);
  const acknowledged = (): number => Number(writer.out.match(/committed (\d+)\n(?![^]*committed)/)?.[1] ?? 0);
  await waitFor(`${lines} lines committed`, () => acknowledged() >= lines, 60_000);
  writer.child.kill('SIGKILL');
  expect(await writer.exited()).toBe(128);
  return acknowledged();
}

/** What the store answers against what its lines say. */
async function check(acknowledged: number): Promise<void> {
  const raw = new Database(file, { readonly: true });
  const stored = raw.prepare<[], { id: number; grp: number; text: string }>('SELECT id, grp, text FROM lines ORDER BY id').all();
  const gone = raw.prepare<[], { id: number; grp: number }>('SELECT id, grp FROM gone').all();
  raw.close();
  expect(Math.max(...stored.map((l) => l.id), ...gone.map((l) => l.id))).toBeGreaterThanOrEqual(acknowledged);
  const h = new SqliteHistory(file);
  try {
    for (const word of [...VOCABULARY, 'edited']) {
      const expected = stored.filter((l) => words(l.text).includes(word)).map((l) => l.id);
      const found = h.search('u', [[word]], 1_000_000);
      expect(found.lines.map((l) => l.id), word).toEqual(expected);
      expect(found.total).toBe(expected.length);
    }
    for (let g = 1; g <= 4; g++) {
      expect(h.page('u', { group: g }, { newest: false, limit: 1_000_000 }).map((l) => l.id)).toEqual(stored.filter((l) => l.grp === g).map((l) => l.id));
      expect(h.said('u', { group: g })).toBe(stored.filter((l) => l.grp === g).length + gone.filter((l) => l.grp === g).length);
    }
  } finally {
    await h.close();
  }
}

it('keeps every acknowledged line and indexes what a kill -9 left unindexed, edits and deletions included', async () => {
  // The index file is locked: none of this run's lines or revisions reach the index.
  await new SqliteHistory(file).close();
  const lock = new Database(`${file}-index`);
  lock.exec('BEGIN IMMEDIATE');
  const first = await writeAndKill(1000);
  lock.exec('COMMIT');
  expect(lock.prepare("SELECT value FROM marks WHERE key = 'lines'").pluck().get() ?? 0).toBeLessThan(first - 1000);
  lock.close();
  const raw = new Database(file, { readonly: true });
  expect(raw.prepare('SELECT COUNT(*) FROM revised').pluck().get()).toBeGreaterThan(0);
  raw.close();
  await check(first);
  // A random moment, the worker keeping up.
  const second = await writeAndKill(first + 500 + Math.floor(Math.random() * 3000));
  await check(second);
}, 120_000);
