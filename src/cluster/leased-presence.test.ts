import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { freshDatabase, POSTGRES_NEED } from '../../test/helpers/engines.js';
import { LinkHarness, login } from '../../test/helpers/link-harness.js';
import { describeNeeds } from '../../test/helpers/needs.js';
import { waitFor } from '../../test/helpers/wait.js';
import type { Hub } from '../core/hub.js';
import type { Logger } from '../core/log.js';
import { MemoryHistory } from '../core/memory-history.js';
import { Member, type OnlineMember } from '../core/session.js';
import type { LocalPostgres } from '../engines/postgres.js';
import { PgNameLeases } from '../store/pg/pg-name-leases.js';
import { SyncPg } from '../store/pg/sync-client.js';
import { LeasedPresence, type NameLeases } from './leased-presence.js';
import { NodeLease } from './node-lease.js';
import { LocalTransport } from './transport.js';

const timing = { heartbeatMs: 20, leaseMs: 400 };
const links = new LinkHarness(timing);
const warnings: string[] = [];
const log: Logger = { debug: () => undefined, info: () => undefined, warn: (msg) => void warnings.push(msg), error: () => undefined };
const user = (name: string, node: string | null): OnlineMember => Object.assign(new Member('tcp', { deliver: () => undefined }, [], null, null, node), { name });

describeNeeds(POSTGRES_NEED)('names leased in PostgreSQL by the node that holds the user', () => {
  let engine: LocalPostgres | null = null;
  let url = '';
  let db: SyncPg;
  let leases: PgNameLeases;
  /** The nodes' side: each renews on a connection of its own. */
  let nodeSide: pg.Client;
  const held = (): Record<string, string> => Object.fromEntries(db.query<{ key: string; node: string }>('SELECT key, node FROM name_leases ORDER BY key').map((r) => [r.key, r.node]));

  beforeAll(async () => {
    ({ url, engine } = await freshDatabase('leased'));
    db = new SyncPg(url);
    leases = new PgNameLeases(db, url, (msg) => void warnings.push(msg));
    nodeSide = new pg.Client({ connectionString: url });
    await nodeSide.connect();
  });
  beforeEach(() => {
    db.query('TRUNCATE cluster_nodes, name_leases');
    warnings.length = 0;
  });
  afterEach(() => links.stopAll());
  afterAll(async () => {
    await leases?.close();
    await nodeSide?.end();
    await db?.close();
    await engine?.destroy();
  });

  /** A hub whose presence leases names, on hub node `here`. */
  const leasingHub = (here: string, history: MemoryHistory): Hub => {
    const presence: LeasedPresence = new LeasedPresence(leases, here, () => hub.takeover.open, log);
    const hub = links.hubOn(history, presence);
    return hub;
  };

  it('keeps the names of a node not yet handed back from newcomers to the next hub, hands its users back, and frees them when the node stops', async () => {
    const transport = new LocalTransport();
    const history = new MemoryHistory();
    const lease = new NodeLease('a', async (sql, params) => (await nodeSide.query(sql, [...params]), true), timing, log);
    lease.start();
    await waitFor('node a to hold its lease', () => db.query("SELECT 1 FROM cluster_nodes WHERE node = 'a'").length === 1);
    const first = links.hubNode(transport, leasingHub('h1', history));
    const a = links.node('a', transport);
    const alice = await login(a, 'alice');
    const bob = await login(a, 'bob');
    await waitFor('both names leased by node a', () => held()['bob'] === 'a');
    expect(held()).toEqual({ alice: 'a', bob: 'a' });

    first.host.stop();
    await waitFor('the hub to be lost', () => !a.connected);
    // The next hub starts; before node a hands alice back, someone on the hub's node asks for her name.
    const hub = leasingHub('h2', history);
    const newcomer: { action: string; status?: string }[] = [];
    const session = hub.open({ front: 'web', deliver: (e) => void newcomer.push(e) });
    await session.dispatch({ action: 'login', name: 'Alice' });
    expect(newcomer.at(-1)).toMatchObject({ action: 'login', status: 'duplicate' });
    await session.dispatch({ action: 'login', name: 'carol' });
    expect(newcomer.at(-1)).toMatchObject({ action: 'login', status: 'ok' });
    links.hubNode(transport, hub);
    await waitFor('node a to hear the next hub', () => a.connected);
    await bob.session.dispatch({ action: 'list' });
    expect(await bob.next('list')).toMatchObject({ users: [{ name: 'carol' }, { name: 'alice' }, { name: 'bob' }] });
    expect(alice.events.some((e) => e.action === 'restart')).toBe(false);
    expect(held()).toEqual({ alice: 'a', bob: 'a', carol: 'h2' });

    await lease.stop();
    expect(held()).toEqual({ carol: 'h2' });
  });

  it('keeps for its user a name whose lease the hub had not written when it died: the user\'s node wrote it', async () => {
    const transport = new LocalTransport();
    const history = new MemoryHistory();
    // The first hub dies with its lease writes still queued: none of them reaches PostgreSQL.
    const unwritten: NameLeases = { anyHeld: () => leases.anyHeld(), take: () => true, release: () => undefined, hold: () => undefined, drop: () => undefined };
    const firstHub: Hub = links.hubOn(history, new LeasedPresence(unwritten, 'h1', () => firstHub.takeover.open, log));
    const first = links.hubNode(transport, firstHub);
    const lease = new NodeLease('a', async (sql, params) => (await nodeSide.query(sql, [...params]), true), timing, log);
    const a = links.node('a', transport, { names: lease });
    lease.start();
    const alice = await login(a, 'alice');
    await waitFor('the node to lease its user\'s name', () => held()['alice'] === 'a');
    await alice.session.dispatch({ action: 'rename', name: 'Alicia' });
    await waitFor('the node to move the lease', () => held()['alicia'] === 'a' && held()['alice'] === undefined);

    first.host.stop();
    await waitFor('the hub to be lost', () => !a.connected);
    const hub = leasingHub('h2', history);
    const newcomer: { action: string; status?: string }[] = [];
    await hub.open({ front: 'web', deliver: (e) => void newcomer.push(e) }).dispatch({ action: 'login', name: 'alicia' });
    expect(newcomer.at(-1)).toMatchObject({ action: 'login', status: 'duplicate' });
    links.hubNode(transport, hub);
    await waitFor('node a to hear the next hub', () => a.connected);
    await alice.session.dispatch({ action: 'list' });
    expect(await alice.next('list')).toMatchObject({ users: [{ name: 'Alicia' }] });
    await lease.stop();
  });

  it('lets the hub\'s table decide once the hand-over is over, without waiting: a lease left behind is overwritten', async () => {
    db.query("INSERT INTO cluster_nodes (node, expires_at) VALUES ('z', now() + interval '1 hour')");
    leases.take('peter', 'peter', 'z');
    let handingOver = true;
    const presence = new LeasedPresence(leases, 'h', () => handingOver, log);
    expect(presence.add('peter', user('peter', 'b'))).toBe(false);
    handingOver = false;
    expect(presence.add('Peter', user('Peter', 'b'))).toBe(true);
    await waitFor('the lease written', () => held()['peter'] === 'b');
    expect(db.query('SELECT name FROM name_leases')).toEqual([{ name: 'Peter' }]);
  });

  it('moves a renamed user\'s lease, keeps the spelling of a change of case, and lets a name go with its user', async () => {
    const presence = new LeasedPresence(leases, 'h', () => false, log);
    const [ann, discordUser] = [user('ann', 'b'), user('dora', null)];
    presence.add('ann', ann);
    presence.add('dora', discordUser);
    expect(presence.add('ANN', user('ANN', 'c'))).toBe(false);
    expect(presence.rename('ann', 'anna', ann)).toBe(true);
    expect(presence.rename('anna', 'Anna', ann)).toBe(true);
    expect(presence.rename('anna', 'dora', ann)).toBe(false);
    presence.remove('Anna', user('Anna', 'b'));
    await waitFor('the leases written', () => db.query<{ name: string }>("SELECT name FROM name_leases WHERE key = 'anna'")[0]?.name === 'Anna');
    expect(held()).toEqual({ anna: 'b', dora: 'h' });
    presence.remove('Anna', ann);
    await waitFor('the lease let go', () => held()['anna'] === undefined);
    expect(held()).toEqual({ dora: 'h' });
    expect(presence.list()).toEqual([discordUser]);
  });

  it('keeps names unique by the hub\'s table alone while PostgreSQL does not answer, and says so', async () => {
    const gone = new SyncPg(url);
    const unreachable = new PgNameLeases(gone, url);
    await gone.close();
    const presence = new LeasedPresence(unreachable, 'h', () => true, log);
    const ann = user('ann', 'b');
    expect(presence.add('ann', ann)).toBe(true);
    expect(presence.add('Ann', user('Ann', 'c'))).toBe(false);
    presence.remove('ann', ann);
    expect(presence.size).toBe(0);
    expect(warnings).toEqual([
      'cluster: the name leases could not be read; the hand-over waits on them',
      'cluster: a name could not be leased in PostgreSQL; the hub alone keeps it unique',
      'cluster: a name lease could not be let go in PostgreSQL; it lapses with its node',
    ]);
  });
});
