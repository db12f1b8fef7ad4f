import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ClassicClient } from '../../test/helpers/classic-client.js';
import { freshDatabase, OWN_NATS_NEED, ownNats, POSTGRES_NEED } from '../../test/helpers/engines.js';
import { describeNeeds, type Need } from '../../test/helpers/needs.js';
import { Proc } from '../../test/helpers/process.js';
import { waitFor } from '../../test/helpers/wait.js';
import type { LocalNats } from '../engines/nats.js';
import type { LocalPostgres } from '../engines/postgres.js';

// The floor's subjects have no cluster name (cluster-floor.ts), so it keeps a nats-server to itself.
const ENGINES: Need = { proves: 'the Node.js floor of cluster mode', missing: POSTGRES_NEED.missing ?? OWN_NATS_NEED.missing };

describeNeeds(ENGINES)('the cluster floor (bench set-up)', () => {
  let nats: LocalNats;
  let database: { url: string; engine: LocalPostgres | null };
  const nodes: Proc[] = [];
  const clients: ClassicClient[] = [];

  beforeAll(async () => {
    [nats, database] = await Promise.all([ownNats(), freshDatabase('floor')]);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    for (const n of nodes) n.child.kill('SIGTERM');
    await Promise.all(nodes.map((n) => n.exited()));
    await nats?.stop();
    await database?.engine?.destroy();
  });

  it('stores a line, then relays it across nodes to the other members of its group only', async () => {
    const ports: number[] = [];
    for (const id of ['n1', 'n2']) {
      const node = new Proc(process.execPath, ['dist/bench/cluster-floor.js'], { DATABASE_URL: database.url, NATS_URL: nats.url, NODE_ID: id });
      nodes.push(node);
      ports.push(Number(/listening on (\d+)/.exec(await node.expectOut(/listening on \d+/))![1]));
    }
    const ann = await ClassicClient.login(ports[0]!, 'ann');
    const bob = await ClassicClient.login(ports[1]!, 'bob');
    const cid = await ClassicClient.login(ports[1]!, 'cid');
    clients.push(ann, bob, cid);
    bob.send({ action: 'connect', target: 'ann' });
    expect((await bob.next('connect'))['status']).toBe('success');
    // The directory reaches every node over the bus: ann speaks until bob hears her.
    const exchanges = (c: ClassicClient): string[] => c.raw.filter((f) => f.startsWith('{"action": "exchange"'));
    await waitFor('bob to hear ann', () => {
      ann.send({ action: 'exchange', message: 'hello bob' });
      return exchanges(bob).length > 0;
    });
    expect(exchanges(bob)[0]).toBe('{"action": "exchange", "from": "[ann]", "message": "hello bob"}');
    const heard = exchanges(bob).length;
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM floor_lines WHERE sender = 'ann' AND text = 'hello bob'");
      expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(heard);
    } finally {
      await db.end();
    }
    expect(exchanges(ann)).toEqual([]);
    expect(exchanges(cid)).toEqual([]);
  });
});
