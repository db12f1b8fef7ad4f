import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { POSTGRES_NEED } from '../../../test/helpers/engines.js';
import { describeNeeds } from '../../../test/helpers/needs.js';
import { schemaDatabase, type Schemas } from '../../../test/helpers/pg-schemas.js';
import { Chat } from '../../core/history-contract.js';
import type { HistoryStore } from '../../core/history.js';
import { parseSearchQuery } from '../../core/search-query.js';
import { SqliteHistory } from '../sqlite-history.js';
import { historyCopy } from './copy-history.js';
import { PgHistory } from './pg-history.js';
import { copyParts, type CopyProgress } from './sqlite-copy.js';
import { SyncPg } from './sync-client.js';

/** A history with what a copy must carry: rooms and their labels, a direct conversation, an edit, a deletion, a membership a crash left open. */
async function embedded(file: string): Promise<void> {
  const c = new Chat(new SqliteHistory(file));
  c.open(1, 'room', '#tea');
  c.join('alice', 1);
  c.join('bob', 1);
  c.say(1, 'alice', 'Tea at noon?');
  const edited = c.say(1, 'bob', 'tea at one');
  c.leave('bob', 1);
  c.say(1, 'alice', 'more tea for alice');
  const direct = c.h.directGroup('alice', 'bob', 2, 'alice+bob');
  c.join('alice', direct);
  c.join('bob', direct);
  c.say(direct, 'bob', 'psst, the tea is cold');
  c.open(3);
  c.join('carol', 3);
  c.say(3, 'carol', 'alone with my tea');
  const doomed = c.say(3, 'carol', 'tea tea tea');
  // Group 4 was never opened: its lines show under its id.
  c.join('carol', 4);
  c.say(4, 'carol', 'tea elsewhere');
  c.h.commit();
  c.h.revise(edited.id, 'coffee at one');
  c.h.revise(doomed.id, null);
  c.h.commit();
  // carol's memberships stay open, as after a crash: close() commits, it does not end them.
  await c.h.close();
}

const USERS = ['alice', 'bob', 'carol', 'dave'];
const QUERIES = ['tea', 'coffee', '"at one"', 'alice', 'tea cold'];

function answers(h: HistoryStore): unknown {
  return {
    search: USERS.flatMap((u) => QUERIES.map((q) => h.search(u, parseSearchQuery(q), 10))),
    pages: USERS.flatMap((u) => [h.page(u, { label: '#TEA' }, { newest: true, limit: 10 }), h.page(u, { group: 2 }, { newest: false, limit: 10 })]),
    seqs: [1, 2, 3, 4].map((g) => h.lastSeq(g)),
    said: USERS.map((u) => h.said(u, { group: 3 })),
    directs: [h.findDirect('bob', 'alice'), h.findDirect('alice', 'carol')],
    groups: h.lastGroupId(),
    lines: h.lineCount(),
  };
}

describeNeeds(POSTGRES_NEED)('Copying an SQLite history into PostgreSQL', () => {
  let schemas: Schemas;
  let dir: string;
  const open: { close(): unknown }[] = [];
  beforeAll(async () => {
    schemas = await schemaDatabase('copy');
    dir = mkdtempSync(join(tmpdir(), 'ics-copy-'));
  });
  afterAll(async () => {
    for (const o of open.splice(0)) await o.close();
    await schemas?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const connect = (url: string): SyncPg => {
    const db = new SyncPg(url);
    open.push(db);
    return db;
  };
  const sqliteFile = (name: string): Database.Database => {
    const db = new Database(join(dir, name), { readonly: true });
    open.push(db);
    return db;
  };

  it('carries everything search and pages read, and a second run copies nothing', async () => {
    await embedded(join(dir, 'a.db'));
    const url = schemas.fresh();
    const progress: CopyProgress[] = [];
    const first = copyParts(sqliteFile('a.db'), connect(url), [historyCopy()], (p) => progress.push(p));
    expect(first).toEqual([
      { step: 'groups', found: 3, copied: 3 },
      { step: 'direct conversations', found: 1, copied: 1 },
      { step: 'memberships', found: 6, copied: 6 },
      { step: 'lines', found: 7, copied: 7 },
    ]);
    expect(progress.filter((p) => p.step === 'lines').at(-1)).toEqual({ step: 'lines', done: 7, total: 7 });
    const again = copyParts(sqliteFile('a.db'), connect(url), [historyCopy()], () => undefined);
    expect(again.map((c) => c.copied)).toEqual([0, 0, 0, 0]);

    const before = new SqliteHistory(join(dir, 'a.db'));
    const after = new PgHistory(url, { node: 'n1' });
    open.push(before, after);
    expect(answers(after)).toEqual(answers(before));
    expect(after.search('carol', [['tea']], 10).total).toBe(2);
    // Ids go on past the copied ones.
    expect(after.record({ group: 1, sender: 'x', senderKey: 'x', text: 'new', ts: 0, seq: 4 }).id).toBeGreaterThan(7);
    after.joined('x', 1, 3);
    expect(after.mark()).toBeGreaterThan(6);
  });

  it('refuses to copy into a history that servers have written', async () => {
    await embedded(join(dir, 'b.db'));
    const url = schemas.fresh();
    const running = new PgHistory(url, { node: 'n1' });
    running.opened(9, 'room', '#other');
    running.commit();
    await running.close();
    expect(() => copyParts(sqliteFile('b.db'), connect(url), [historyCopy()], () => undefined)).toThrow(/not copied from SQLite/);
  });
});
