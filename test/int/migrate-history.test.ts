/** `npm run migrate-history` as operators run it: the built program, a SQLite file, a PostgreSQL URL. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SqliteHistory } from '../../src/store/sqlite-history.js';
import { NO_MODES } from '../../src/core/groups.js';
import { PgAccounts } from '../../src/store/pg/pg-accounts.js';
import { PgHistory } from '../../src/store/pg/pg-history.js';
import { PgKeeps } from '../../src/store/pg/pg-keeps.js';
import { SyncPg } from '../../src/store/pg/sync-client.js';
import { SqliteAccounts } from '../../src/store/sqlite-accounts.js';
import { SqliteKeeps } from '../../src/store/sqlite-keeps.js';
import { POSTGRES_NEED } from '../helpers/engines.js';
import { describeNeeds } from '../helpers/needs.js';
import { schemaDatabase, type Schemas } from '../helpers/pg-schemas.js';
import { Proc } from '../helpers/process.js';

const program = new URL('../../dist/server/migrate-history.js', import.meta.url).pathname;

describeNeeds(POSTGRES_NEED)('npm run migrate-history', () => {
  let schemas: Schemas;
  let dir: string;
  beforeAll(async () => {
    schemas = await schemaDatabase('migrate_cli');
    dir = mkdtempSync(join(tmpdir(), 'ics-migrate-'));
  });
  afterAll(async () => {
    await schemas?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (args: string[], env: Record<string, string> = {}): Promise<Proc & { code: number }> => {
    const p = new Proc(process.execPath, [program, ...args], { DATABASE_URL: '', ...env }, dir);
    return Object.assign(p, { code: await p.exited(30_000) });
  };

  it('copies with a progress bar and a count, then says there is nothing left to copy', async () => {
    const file = join(dir, 'history.db');
    const h = new SqliteHistory(file);
    h.opened(1, 'room', '#tea');
    h.joined('alice', 1, 0);
    for (let seq = 1; seq <= 2500; seq++) h.record({ group: 1, sender: 'alice', senderKey: 'alice', text: `cup ${seq}`, ts: seq, seq });
    await h.close();
    const accounts = new SqliteAccounts(file);
    accounts.register('Alice', 'scrypt$hash-of-a-password', 'alice');
    accounts.bind({ provider: 'discord', id: '100' }, 'peter');
    accounts.close();
    const keeps = new SqliteKeeps(file);
    keeps.put({ userKey: 'alice', kind: 'room', place: '#tea', label: '#tea', group: 1, seenGroup: 1, seenSeq: 2500 });
    keeps.rest({ place: '#tea', topic: 'green', topicBy: 'alice', locked: true, modes: NO_MODES, since: 5 });
    keeps.close();
    const url = schemas.fresh();

    const first = await run(['--from', file], { DATABASE_URL: url });
    expect(first.code, first.err).toBe(0);
    expect(first.err).toMatch(/lines +\[#{30}\] 100% {2}2500\/2500/);
    expect(first.out).toBe(`copied from ${file}: groups 1, direct conversations 0, memberships 1, lines 2500, accounts 2, kept memberships 1, resting rooms 1\n`);

    const second = await run(['--from', file, '--to', url]);
    expect(second.code, second.err).toBe(0);
    expect(second.out).toBe(`nothing to copy: PostgreSQL already holds everything in ${file}\n`);

    const copied = new PgHistory(url, { node: 'check' });
    expect(copied.search('alice', [['cup'], ['2500']], 5).lines.map((l) => l.text)).toEqual(['cup 2500']);
    await copied.close();
    const db = new SyncPg(url);
    expect(new PgAccounts(db).accountOf('alice')).toMatchObject({ name: 'Alice', historyKey: 'alice', secret: 'scrypt$hash-of-a-password' });
    expect(new PgAccounts(db).nameOf({ provider: 'discord', id: '100' })).toBe('peter');
    const kept = new PgKeeps(db);
    expect(kept.of('alice')).toEqual([{ userKey: 'alice', kind: 'room', place: '#tea', label: '#tea', group: 1, seenGroup: 1, seenSeq: 2500 }]);
    expect(kept.wake('#tea')).toMatchObject({ topic: 'green', topicBy: 'alice', locked: true, since: 5 });
    await db.close();
  });

  it('says how to call it when the source or the target is missing', async () => {
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^usage: npm run migrate-history -- --from data\/history.db/);
    const badTarget = await run(['--from', 'history.db'], { DATABASE_URL: 'mysql://u:hunter2@h/db' });
    expect(badTarget.code).toBe(2);
    expect(badTarget.err).toMatch(/DATABASE_URL must be a PostgreSQL URL/);
    expect(badTarget.err).not.toContain('hunter2');
    const noTarget = await run(['--from', 'history.db']);
    expect(noTarget.code).toBe(2);
    expect(noTarget.err).toMatch(/DATABASE_URL is not set/);
    const noFile = await run(['--from', join(dir, 'absent.db'), '--to', 'postgres://127.0.0.1:1/x']);
    expect(noFile.code).toBe(2);
    expect(noFile.err).toMatch(/absent\.db: no such file/);
  });
});
