import pg from 'pg';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { freshDatabase, POSTGRES_NEED } from '../../../test/helpers/engines.js';
import { describeNeeds } from '../../../test/helpers/needs.js';
import { waitFor } from '../../../test/helpers/wait.js';
import type { LocalPostgres } from '../../engines/postgres.js';
import { FORGET_NODE_SQL, nodeSession, PgNameLeases, RENEW_NODE_SQL, START_NODE_SQL } from './pg-name-leases.js';
import { SyncPg } from './sync-client.js';

describeNeeds(POSTGRES_NEED)('name leases in PostgreSQL', () => {
  let engine: LocalPostgres | null = null;
  let db: SyncPg;
  let leases: PgNameLeases;
  let url = '';
  const errors: string[] = [];
  /** A node's own connection, as the node renews on. */
  let nodeSide: pg.Client;
  const renew = (node: string, leaseMs: number) => nodeSide.query(RENEW_NODE_SQL, [node, leaseMs]);
  const held = (): Record<string, string> => Object.fromEntries(db.query<{ key: string; node: string }>('SELECT key, node FROM name_leases ORDER BY key').map((r) => [r.key, r.node]));

  beforeAll(async () => {
    ({ url, engine } = await freshDatabase('names'));
    db = new SyncPg(url);
    leases = new PgNameLeases(db, url, (msg) => void errors.push(msg));
    nodeSide = new pg.Client({ connectionString: url });
    await nodeSide.connect();
  });
  beforeEach(() => void db.query('TRUNCATE cluster_nodes, name_leases'));
  afterAll(async () => {
    await leases?.close();
    await nodeSide?.end();
    await db?.close();
    await engine?.destroy();
  });

  it('refuses a name held by a node whose lease runs, to every other node, and gives it to that node again', async () => {
    await renew('n1', 60_000);
    expect(leases.take('peter', 'Peter', 'n1')).toBe(true);
    expect(leases.take('peter', 'peter', 'n2')).toBe(false);
    expect(leases.take('peter', 'peter', 'n1')).toBe(true);
    expect(db.query('SELECT name, node FROM name_leases')).toEqual([{ name: 'peter', node: 'n1' }]);
  });

  it('gives a name to another node once its holder stops renewing, or never did', async () => {
    await renew('n1', 60_000);
    expect(leases.anyHeld()).toBe(false);
    leases.take('peter', 'peter', 'n1');
    leases.take('ann', 'ann', 'n0');
    expect(leases.anyHeld()).toBe(true);
    // n1 renews with a lease already over, as a node that died a lease ago last did.
    await renew('n1', -1);
    expect(leases.anyHeld()).toBe(false);
    expect(leases.take('peter', 'peter', 'n2')).toBe(true);
    expect(leases.take('ann', 'ann', 'n2')).toBe(true);
    expect(held()).toEqual({ ann: 'n2', peter: 'n2' });
  });

  it('holds a name for a node whoever held it, without waiting and in order, lets it go only for its holder, and frees a stopping node\'s names at once', async () => {
    await Promise.all([renew('n1', 60_000), renew('n2', 60_000)]);
    leases.take('peter', 'peter', 'n1');
    leases.hold('peter', 'Peter', 'n2');
    leases.drop('peter', 'n1');
    leases.hold('zoe', 'zoe', 'n1');
    leases.drop('zoe', 'n1');
    leases.hold('ann', 'ann', 'n1');
    // Written as literals in one query: quotes and backslashes stay what they were.
    leases.hold("o'k\\", "O'K\\", "n'1");
    await waitFor('the writes to be made', () => held()["o'k\\"] === "n'1");
    expect(held()).toEqual({ ann: 'n1', "o'k\\": "n'1", peter: 'n2' });
    expect(db.query("SELECT name FROM name_leases WHERE node = 'n''1'")).toEqual([{ name: "O'K\\" }]);
    leases.drop("o'k\\", "n'1");
    await waitFor('the odd one let go', () => held()["o'k\\"] === undefined);
    leases.release('ann', 'n1');
    expect(held()).toEqual({ peter: 'n2' });
    leases.take('ann', 'ann', 'n2');
    leases.take('bob', 'bob', 'n1');
    await nodeSide.query(FORGET_NODE_SQL, ['n2']);
    expect(held()).toEqual({ bob: 'n1' });
    expect(leases.take('peter', 'peter', 'n1')).toBe(true);
    leases.release('peter', 'n1');
    expect(held()).toEqual({ bob: 'n1' });
  });

  it('forgets nodes that stopped renewing an hour ago, with their names, at any node\'s renewal', async () => {
    await renew('n1', 60_000);
    leases.take('bob', 'bob', 'n1');
    db.query("INSERT INTO cluster_nodes (node, expires_at) VALUES ('gone', now() - interval '2 hours'), ('lately', now() - interval '5 minutes')");
    leases.take('old', 'old', 'gone');
    leases.take('recent', 'recent', 'lately');
    await renew('n1', 60_000);
    expect(db.query('SELECT node FROM cluster_nodes ORDER BY node')).toEqual([{ node: 'lately' }, { node: 'n1' }]);
    expect(held()).toEqual({ bob: 'n1', recent: 'lately' });
  });

  it("lets the names of a node's earlier life go at its first renewal, unless a connection under the node's name is still there", async () => {
    // A NODE_ID as long as a host name and a process id may make: its connection's name is cut to 63 bytes.
    const long = `host-${'x'.repeat(70)}-4242`;
    for (const node of ['n1', 'n2', long]) await renew(node, 60_000);
    leases.take('ann', 'ann', 'n1');
    leases.take('bob', 'bob', 'n2');
    leases.take('cy', 'cy', long);
    const connect = async (node: string): Promise<pg.Client> => {
      const client = new pg.Client({ connectionString: url, application_name: nodeSession(node) });
      await client.connect();
      return client;
    };
    const start = (life: pg.Client, node: string) => life.query(START_NODE_SQL, [node, 60_000, nodeSession(node)]);
    const [earlier, earlierLong] = await Promise.all([connect('n1'), connect(long)]);
    const [life, lifeLong] = await Promise.all([connect('n1'), connect(long)]);
    try {
      // The earlier lives are still there (or live processes share the ids): their names stay theirs.
      await Promise.all([start(life, 'n1'), start(lifeLong, long)]);
      expect(held()).toEqual({ ann: 'n1', bob: 'n2', cy: long });
      // They die, and their connections end with them.
      await Promise.all([earlier.end(), earlierLong.end()]);
      const named = (): number => db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'ics-chat node %'")[0]!.n;
      await waitFor('the earlier lives\' connections to end', () => named() === 2);
      await Promise.all([start(life, 'n1'), start(lifeLong, long)]);
      expect(held()).toEqual({ bob: 'n2' });
      expect(db.query<{ node: string }>('SELECT node FROM cluster_nodes WHERE expires_at > now() ORDER BY node')).toEqual([{ node: long }, { node: 'n1' }, { node: 'n2' }]);
    } finally {
      await Promise.all([life.end(), lifeLong.end()]);
    }
  });

  it('tells a write it could not make once, until one succeeds, and keeps the hub going', async () => {
    const said: string[] = [];
    const cutOff = new PgNameLeases(db, 'postgres://ics@127.0.0.1:1/nowhere', (msg) => void said.push(msg));
    cutOff.hold('ann', 'ann', 'n1');
    cutOff.drop('ann', 'n1');
    await cutOff.close();
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^a name lease could not be written \(the hub's own table keeps names unique meanwhile\): /);
    expect(errors).toEqual([]);
  });
});
