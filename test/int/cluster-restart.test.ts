/**
 * A node killed with SIGKILL and started again at once under the same NODE_ID, as a service
 * manager does, on three nodes: one without the hub, and the hub's own. Within the lease (the
 * hand-over's bound for the hub's node) its former users leave the other nodes' groups as
 * vanished users do, and their names are free, on another node and on the restarted one alike:
 * no name lease of the earlier life comes back with the new one. New users of the restarted node
 * chat with the other nodes' users both ways, and every line heard before the kill stays heard
 * exactly once.
 */
import pg from 'pg';
import { afterEach, expect } from 'vitest';
import type { Frame } from '../helpers/classic-client.js';
import { clusterNeed, nodeClients, nodeHealth, startCluster } from '../helpers/cluster.js';
import { itNeeds } from '../helpers/needs.js';
import type { ServerProc } from '../helpers/server-proc.js';
import { waitFor, waitForAsync } from '../helpers/wait.js';

const ENGINES = clusterNeed('a node restarted under its NODE_ID after a kill -9 rejoins the cluster');
const LEASE_MS = 1500;
const IDS = ['r1', 'r2', 'r3'] as const;
const N = 10;
const stops: (() => Promise<void>)[] = [];
const { classic, irc, web, closeAll } = nodeClients();

afterEach(async () => {
  closeAll();
  for (const stop of stops.splice(0).reverse()) await stop();
});

const lines = (from: string): string[] => Array.from({ length: N }, (_, i) => `${from} ${i}`);
/** The chat lines among events, as their text. */
const said = (events: Frame[]): string[] => events.filter((e) => e.action === 'exchange').map((e) => String(e['message']));

/** Whether the node runs the hub now, as its /healthz says. */
const runsHubNow = async (node: ServerProc): Promise<boolean> => (await nodeHealth(node)).body.cluster?.hub === true;

/**
 * The cases: the killed node is one without the hub (its users are gone a lease after the kill
 * at most), or the hub's (a lease to notice, one to elect, one to hand over, and room for a
 * machine loaded several times over).
 */
const CASES = [
  { which: 'a node without the hub', hub: false, boundMs: LEASE_MS * 4 },
  { which: "the hub's node", hub: true, boundMs: LEASE_MS * 10 },
];

for (const { which, hub: killsHub, boundMs } of CASES) {
  itNeeds(ENGINES)(
    `takes ${which} killed with SIGKILL and restarted at once under its NODE_ID for a new life: its users gone within the bound, their names free, no line lost`,
    async () => {
      const cluster = await startCluster(IDS, { leaseMs: LEASE_MS });
      stops.push(() => cluster.stop());
      // A hub may move while the nodes start on a loaded machine: the roles are given once it has settled.
      let hub: ServerProc | undefined;
      await waitForAsync('one hub, heard by every node', async () => {
        const running = await Promise.all(cluster.nodes.map(runsHubNow));
        hub = running.filter(Boolean).length === 1 ? cluster.nodes[running.indexOf(true)] : undefined;
        return hub !== undefined;
      }, 20_000);
      const others = cluster.nodes.filter((n) => n !== hub) as [ServerProc, ServerProc];
      // The victim, the node its users' partners are on, and the third node.
      const [victim, other, third] = killsHub ? [hub!, others[0], others[1]] : [others[0], others[1], hub!];
      const id = IDS[cluster.nodes.indexOf(victim)]!;
      const db = new pg.Client({ connectionString: cluster.url });
      await db.connect();
      stops.push(() => db.end());
      const leasedBy = async (node: string): Promise<string[]> =>
        (await db.query<{ key: string }>('SELECT key FROM name_leases WHERE node = $1 ORDER BY key', [node])).rows.map((r) => r.key);

      // A room: carol (web) on the other node, bob (IRC) on the third, wes (web) on the node to be killed.
      const carol = await web(other, 'carol');
      const wes = await web(victim, 'wes');
      const bob = await irc(third, 'bob');
      for (const u of [carol, wes]) {
        u.send({ action: 'connect', target: '#r' });
        expect(await u.next('connect')).toMatchObject({ status: 'success' });
      }
      bob.send('JOIN #r');
      await bob.expect(/ 366 bob #r /);
      // A pair of the course's clients across the two nodes.
      const ola = await classic(other, 'ola');
      const vic = await classic(victim, 'vic');
      ola.send({ action: 'connect', target: 'vic' });
      await ola.next('connect');
      await vic.next('connect');
      for (const line of lines('wes')) wes.send({ action: 'exchange', message: line });
      for (const line of lines('vic')) vic.send({ action: 'exchange', message: line });
      await waitFor('every line of wes at carol', () => said(carol.events).length === N, 10_000);
      await waitFor('every line of vic at ola', () => said(ola.frames).length === N, 10_000);
      const atBob: string[] = [];
      for (let i = 0; i < N; i++) atBob.push((await bob.expect(/ PRIVMSG #r :/, 10_000)).split(' :').slice(1).join(' :'));
      expect(atBob).toEqual(lines('wes'));
      expect(await leasedBy(id)).toEqual(['vic', 'wes']);
      expect(await runsHubNow(victim)).toBe(killsHub);

      victim.proc.child.kill('SIGKILL');
      const killed = Date.now();
      expect(await victim.proc.exited()).toBe(128);
      const restarted = await cluster.node(id);

      // Gone from the other nodes' groups as vanished users are, within the bound.
      expect(await ola.next('disconnect', boundMs)).toMatchObject({ msg: 'everyone left, you are alone' });
      expect(await carol.nextWhere('wes to leave', (e) => e.action === 'leave' && e['name'] === 'wes', boundMs)).toMatchObject({ quit: true, reason: 'Node went away' });
      await carol.nextWhere('wes to go offline', (e) => e.action === 'presence' && e['name'] === 'wes' && e['status'] === 'offline', boundMs);
      await bob.expect(/^:wes!\S+ QUIT :Node went away$/, boundMs);
      expect(Date.now() - killed).toBeLessThan(boundMs);
      // No lease of the earlier life lives on with the new one (a few heartbeats for the writes).
      await waitForAsync('the earlier life to hold no name', async () => (await leasedBy(id)).length === 0, LEASE_MS);

      // Their names are free: one taken on another node, one on the restarted node.
      await classic(other, 'vic');
      const wes2 = await classic(restarted, 'wes');
      await waitForAsync("the new wes's lease", async () => (await leasedBy(id)).includes('wes'));
      expect(await leasedBy(id)).toEqual(['wes']);

      // New users of the restarted node chat with the other nodes' users, both ways.
      const nina = await web(restarted, 'nina');
      nina.send({ action: 'connect', target: '#r' });
      expect(await nina.next('connect')).toMatchObject({ status: 'success' });
      nina.send({ action: 'exchange', message: 'from the restarted node' });
      expect(await carol.nextWhere("nina's line", (e) => e.action === 'exchange' && e['name'] === 'nina')).toMatchObject({ message: 'from the restarted node' });
      await bob.expect(/^:nina!\S+ PRIVMSG #r :from the restarted node$/);
      carol.send({ action: 'exchange', message: 'to the restarted node' });
      expect(await nina.nextWhere("carol's line", (e) => e.action === 'exchange')).toMatchObject({ message: 'to the restarted node', name: 'carol' });
      await bob.expect(/^:carol!\S+ PRIVMSG #r :to the restarted node$/);
      bob.send('PRIVMSG nina :hello again');
      expect(await nina.nextWhere("bob's direct line", (e) => e.action === 'exchange' && e['direct'] === true)).toMatchObject({ message: 'hello again', name: 'bob' });
      ola.send({ action: 'connect', target: 'wes' });
      expect(await ola.next('connect')).toMatchObject({ status: 'success' });
      await wes2.next('connect');
      wes2.send({ action: 'exchange', message: 'back' });
      await ola.nextWhere('the line from the restarted node', (f) => f.action === 'exchange' && f['message'] === 'back');
      ola.send({ action: 'exchange', message: 'welcome back' });
      await wes2.nextWhere('the line to the restarted node', (f) => f.action === 'exchange' && f['message'] === 'welcome back');

      // Every line heard before the kill is heard once, none again after.
      await carol.sync();
      await ola.sync();
      expect((await bob.sync()).filter((l) => / PRIVMSG #r :/.test(l))).toEqual([]);
      expect(said(carol.events).filter((l) => l.startsWith('wes '))).toEqual(lines('wes'));
      expect(said(ola.frames).filter((l) => l.startsWith('vic '))).toEqual(lines('vic'));
    },
    90_000,
  );
}
