import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, OWN_POSTGRES_NEED, ownPostgres } from '../../../test/helpers/engines.js';
import { describeNeeds } from '../../../test/helpers/needs.js';
import { NO_MODES } from '../../core/groups.js';
import { describeKeepsContract } from '../../core/keeps-contract.js';
import type { Kept, RestingRoom } from '../../core/keeps.js';
import type { LocalPostgres } from '../../engines/postgres.js';
import { PgKeeps } from './pg-keeps.js';
import { SyncPg } from './sync-client.js';

const row = (userKey: string, place: string, group: number): Kept => ({ userKey, kind: 'room', place, label: place, group, seenGroup: group, seenSeq: 5 });
const garden: RestingRoom = { place: '#garden', topic: 'roses', topicBy: 'ann', locked: false, modes: { ...NO_MODES, moderated: true }, since: 1_700_000_000_000 };

describeNeeds(OWN_POSTGRES_NEED)('PgKeeps', () => {
  let engine: LocalPostgres;
  let url = '';
  const open: PgKeeps[] = [];
  const store = (onError?: (msg: string) => void): PgKeeps => {
    const keeps = new PgKeeps(new SyncPg(url), onError);
    open.push(keeps);
    return keeps;
  };

  beforeAll(async () => {
    engine = await ownPostgres();
    url = (await freshDatabase('keeps', engine)).url;
  });
  afterAll(async () => {
    for (const k of open) k.close();
    await engine?.destroy();
  });

  // Each contract test starts from nothing kept; the suite closes the stores it makes.
  describeKeepsContract('PgKeeps', () => {
    const db = new SyncPg(url);
    const keeps = new PgKeeps(db);
    db.query('TRUNCATE kept, resting');
    return keeps;
  });

  describe('shared by several nodes', () => {
    it('shows each store what another kept, and wakes a resting room on one of them only', () => {
      const [one, two] = [store(), store()];
      one.put(row('ann', '#tea', 3));
      two.put(row('bob', '#tea', 3));
      expect(two.room('#tea')).toEqual([row('ann', '#tea', 3), row('bob', '#tea', 3)]);
      one.drop('bob', 'room', '#tea');
      expect(two.of('bob')).toEqual([]);
      one.rest(garden);
      expect(two.wake('#garden')).toEqual(garden);
      expect(one.wake('#garden')).toBeUndefined();
    });

    it('keeps memberships and resting rooms across a restart of PostgreSQL and a reopen', async () => {
      const first = store();
      first.put(row('cat', '#books', 8));
      first.rest({ ...garden, place: '#books' });
      first.close();
      await engine.stop();
      await engine.start();
      const again = store();
      expect(again.of('cat')).toEqual([row('cat', '#books', 8)]);
      expect(again.wake('#books')).toEqual({ ...garden, place: '#books' });
    });

    it('reports what it could not do while PostgreSQL is away, goes on, and works again once it is back', async () => {
      const errors: string[] = [];
      const keeps = store((msg) => errors.push(msg));
      await engine.stop();
      try {
        keeps.put(row('dan', '#tea', 4));
        expect(keeps.of('cat')).toEqual([]);
        expect(keeps.wake('#tea')).toBeUndefined();
      } finally {
        await engine.start();
      }
      expect(errors).toHaveLength(3);
      expect(errors[0]).toMatch(/^could not keep a membership: /);
      keeps.put(row('dan', '#tea', 4));
      expect(keeps.of('dan')).toEqual([row('dan', '#tea', 4)]);
      expect(keeps.of('cat')).toEqual([row('cat', '#books', 8)]);
    });
  });
});
