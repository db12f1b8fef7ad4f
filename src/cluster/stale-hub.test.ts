/**
 * Two hubs on one history for a moment: the stale one has not yet heard the next (cluster-app.ts
 * steps it down once it does). PostgreSQL keeps each group's seq once, so a line the stale hub
 * numbers where the new one stored is refused, as a line that could not be stored, and is heard by
 * nobody; the hub then numbers on from what is stored.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDatabase, POSTGRES_NEED } from '../../test/helpers/engines.js';
import { describeNeeds } from '../../test/helpers/needs.js';
import { SeqTaken } from '../core/history.js';
import { Hub } from '../core/hub.js';
import { MemoryAccounts } from '../core/memory-accounts.js';
import type { ServerEvent } from '../core/protocol.js';
import { parseSonnets, SonnetBook } from '../core/sonnets.js';
import type { LocalPostgres } from '../engines/postgres.js';
import { PgHistory } from '../store/pg/pg-history.js';

const sonnets = new SonnetBook(parseSonnets('I.\n\nFrom fairest creatures we desire increase,\n'));
const errors: string[] = [];
const log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (msg: string) => void errors.push(msg) };
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describeNeeds(POSTGRES_NEED)('a group seq taken by another hub', () => {
  let engine: LocalPostgres | null = null;
  let url = '';
  const stores: PgHistory[] = [];
  const store = (node: string): PgHistory => {
    const h = new PgHistory(url, { node });
    stores.push(h);
    return h;
  };

  beforeAll(async () => {
    ({ url, engine } = await freshDatabase('stale_hub'));
  });
  afterAll(async () => {
    for (const h of stores) await h.close();
    await engine?.destroy();
  });

  it('is refused by the store, whose later lines go on being stored', () => {
    const [a, b] = [store('a'), store('b')];
    a.opened(1, 'room', '#r');
    a.record({ group: 1, sender: 'ann', senderKey: 'ann', text: 'one', ts: 1, seq: 1 });
    a.commit();
    b.record({ group: 1, sender: 'bo', senderKey: 'bo', text: 'two', ts: 2, seq: 2 });
    b.commit();
    const clash = a.record({ group: 1, sender: 'ann', senderKey: 'ann', text: 'also two', ts: 3, seq: 2 });
    expect(() => a.commit()).toThrow(SeqTaken);
    expect(a.line(clash.id)).toBeUndefined();
    const three = a.record({ group: 1, sender: 'ann', senderKey: 'ann', text: 'three', ts: 4, seq: 3 });
    a.commit();
    expect(b.line(three.id)?.text).toBe('three');
    expect(b.lastSeq(1)).toBe(3);
  });

  it("refuses the stale hub's line as not stored, delivers it to nobody, and numbers the next after the stored ones", async () => {
    const history = store('stale');
    const hub = new Hub({ history, accounts: new MemoryAccounts(), sonnets, clock: { now: () => new Date(2026, 11, 8) }, log });
    const events = { alice: [] as ServerEvent[], bob: [] as ServerEvent[] };
    const [alice, bob] = (['alice', 'bob'] as const).map((name) => hub.open({ front: 'tcp', deliver: (e) => events[name].push(e), features: ['events', 'rooms'] }));
    await alice!.dispatch({ action: 'login', name: 'alice' });
    await bob!.dispatch({ action: 'login', name: 'bob' });
    for (const s of [alice!, bob!]) await s.dispatch({ action: 'connect', target: '#talk' });
    const room = hub.groups.room('#talk')!;
    await alice!.dispatch({ action: 'exchange', message: 'first', group: room.id });
    hub.flush();
    await turn();
    // The next hub, on the same history, stores the room's next two lines.
    const next = store('next');
    for (const seq of [room.seq + 1, room.seq + 2]) next.record({ group: room.id, sender: 'carol', senderKey: 'carol', text: 'from the next hub', ts: 10, seq });
    next.commit();
    events.alice.length = 0;
    events.bob.length = 0;

    await alice!.dispatch({ action: 'exchange', message: 'lost', group: room.id });
    hub.flush();
    await turn();
    expect(events.alice).toMatchObject([{ action: 'error', code: 'not-stored' }]);
    expect(events.bob).toEqual([]);
    expect(errors).toEqual(['history commit failed']);

    await alice!.dispatch({ action: 'exchange', message: 'stored', group: room.id });
    hub.flush();
    await turn();
    expect(events.bob).toMatchObject([{ action: 'exchange', message: 'stored', seq: 4 }]);
    hub.shutdown();
  });
});
