/**
 * A node of a cluster (NATS_URL and DATABASE_URL set): every node runs the native, IRC and web
 * fronts, whose sessions go to the hub through this node's link (RemoteHub). One node at a time
 * runs the hub itself (the holder of the `hub` leader lock in PostgreSQL), with the PostgreSQL
 * stores and the Discord front. Nodes compete for the lock only while no hub is heard, so a hub
 * whose lock connection broke (PostgreSQL restarting) keeps running and takes the lock back; a
 * hub that hears another hub's beacon steps down. When the hub's node dies or stops, another
 * node takes the lock within the lease and runs the hub from the database, and every node hands
 * it its sessions (docs/CLUSTER.md).
 */
import type { Clock } from '../core/clock.js';
import type { Front } from '../core/front.js';
import type { Hub } from '../core/hub.js';
import { DEFAULT_LIMITS } from '../core/hub-deps.js';
import type { Logger } from '../core/log.js';
import { HubHost } from '../cluster/hub-host.js';
import { Leader } from '../cluster/leader.js';
import { NodeLease } from '../cluster/node-lease.js';
import { NatsTransport } from '../cluster/nats-transport.js';
import { defaultNodeId } from '../cluster/node-id.js';
import { FallbackTransport, PgTransport } from '../cluster/pg-transport.js';
import { PgNodeSearch } from '../cluster/node-search.js';
import { RemoteHub } from '../cluster/remote-hub.js';
import { underCluster } from '../cluster/transport.js';
import { Admission } from '../net/admission.js';
import { nodeSession } from '../store/pg/pg-name-leases.js';
import { FRONT_FACTORIES, hubFor, loadSonnets } from './app.js';
import type { ClusterConfig, Config, FrontName } from './config.js';
import { Metrics } from './metrics.js';
import { ServerStatus } from './status.js';
import { pgStores, type Stores } from './stores.js';

export interface RunningNode {
  readonly node: string;
  readonly fronts: ReadonlyMap<FrontName, Front>;
  readonly status: ServerStatus;
  /** Whether this node runs the hub now. */
  leading(): boolean;
  /** Stops the fronts, gives up the hub (the other nodes hand their users to the next one), and leaves the bus. */
  stop(): Promise<void>;
}

interface Hosting {
  hub: Hub;
  host: HubHost;
  stores: Stores;
  discord: Front | null;
}

export async function startClusterNode(config: Config, cluster: ClusterConfig, databaseUrl: string, log: Logger, clock: Clock): Promise<RunningNode> {
  const node = cluster.nodeId ?? defaultNodeId();
  const sonnets = loadSonnets(config.sonnetsFile);
  const timing = { heartbeatMs: cluster.heartbeatMs, leaseMs: cluster.leaseMs };
  const bus = await NatsTransport.open(cluster.natsUrl, node, log);
  // While the bus is away the links go through the database, so lines are still answered and delivered.
  // Its connection goes by the node's name: a node started again under this NODE_ID sees whether this life is still there.
  const fallback = new PgTransport(databaseUrl, log, nodeSession(node));
  const transport = underCluster(cluster.name, new FallbackTransport(bus, fallback));
  // The node holds its users' names in the database itself, so they stay theirs while no hub runs.
  const lease = new NodeLease(node, (sql, params) => fallback.query(sql, params), timing, log);
  const fronts = new Map<FrontName, Front>();
  let hosting: Hosting | null = null;
  const metrics: Metrics = new Metrics({
    fronts: () => new Map([...fronts].map(([name, front]) => [name, front.state()])),
    users: () => remote.usersByFront(),
    groups: () => hosting?.hub.groups.size ?? 0,
    historyLines: () => hosting?.stores.history.lineCount() ?? 0,
    indexLag: () => hosting?.stores.history.indexLag() ?? 0,
    indexMerging: () => hosting?.stores.history.indexMerging() ?? false,
  });
  const links = metrics.cluster({ hub: () => hosting !== null, hubHeard: () => remote.connected, bus: () => bus.connected });
  // Search reads only committed lines, so this node answers it from PostgreSQL, not the hub.
  const searcher = new PgNodeSearch(databaseUrl, DEFAULT_LIMITS.searchResults, log, (seconds) => metrics.searched(seconds));
  const remote = new RemoteHub(node, transport, timing, log, { observer: links, searcher, names: lease });
  remote.start();
  lease.start();
  const admission = new Admission(config.admission, log);
  const status = new ServerStatus({
    users: () => remote.usersByFront(),
    groups: () => hosting?.hub.groups.size ?? null,
    database: () => {
      if (!hosting) return null;
      const problem = hosting.stores.history.problem();
      return problem === null ? { ok: true, lines: hosting.stores.history.lineCount() } : { ok: false, problem };
    },
    cluster: () => ({ node, hub: hosting !== null, hubHeard: remote.connected, bus: bus.connected, postgres: lease.reachable }),
    fronts,
    clock,
    metrics,
    admission,
  });
  const context = { hub: remote, config, log, clock, status, admission };

  const lead = async (): Promise<void> => {
    const stores = pgStores(databaseUrl, log, node);
    const hub = hubFor(config, stores, sonnets, clock, log, metrics);
    const host = new HubHost(hub, transport, timing, log, links);
    host.start();
    hosting = { hub, host, stores, discord: null };
    log.info('cluster: this node runs the hub', { node });
    if (config.fronts.includes('discord')) {
      const discord = await FRONT_FACTORIES.discord(context);
      hosting.discord = discord;
      fronts.set('discord', discord);
      await discord.start();
    }
  };
  /** Stops running the hub: the link falls silent first, so the other nodes keep their users and hand them to the next hub. */
  const stepDown = async (): Promise<void> => {
    const was = hosting;
    hosting = null;
    if (!was) return;
    if (was.discord) {
      fronts.delete('discord');
      await was.discord.stop();
    }
    // Lines said so far are stored and delivered before the link falls silent.
    was.hub.flush();
    was.host.stop();
    was.hub.shutdown();
    await was.stores.close();
    log.warn('cluster: this node no longer runs the hub', { node });
  };
  const leader = new Leader({
    url: databaseUrl,
    what: 'hub',
    nodeId: node,
    pollMs: cluster.heartbeatMs,
    silentMs: cluster.leaseMs,
    log,
    onLead: () => (hosting ? undefined : lead()),
    // The lock's connection broke (PostgreSQL away): the hub goes on, refusing lines it cannot store, until it gets the lock back.
    onLose: () => (hosting ? log.warn('cluster: the hub lost its lock; it goes on and takes it back when PostgreSQL answers', { node }) : undefined),
  });
  let competing = false;
  /** Once a heartbeat: compete for the lock while no hub is heard (or this node runs it); step down on hearing another hub. */
  const watch = async (): Promise<void> => {
    const heard = remote.hubEpoch;
    if (hosting && heard !== null && heard !== hosting.host.currentEpoch) {
      log.warn('cluster: another hub is heard; this node steps down', { node });
      await stepDown();
    }
    const compete = hosting !== null || heard === null;
    if (compete && !competing) leader.start();
    else if (!compete && competing) await leader.stop();
    competing = compete;
  };
  let watching: Promise<void> = Promise.resolve();
  const watcher = setInterval(() => (watching = watching.then(watch)), cluster.heartbeatMs);

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      clearInterval(watcher);
      await watching;
      for (const front of fronts.values()) front.stopAccepting();
      await Promise.all([...fronts.values()].map((f) => f.stop()));
      await leader.stop();
      await stepDown();
      remote.stop();
      await lease.stop();
      await Promise.all([bus.close(), fallback.close(), searcher.close()]);
    })());
  try {
    await watch();
    for (const name of config.fronts) {
      if (name === 'discord') continue;
      const front = await FRONT_FACTORIES[name](context);
      fronts.set(name, front);
      await front.start();
    }
  } catch (err) {
    await stop();
    throw err;
  }
  log.info('ready', { node, fronts: config.fronts.join(','), sonnets: sonnets.count, data: 'PostgreSQL (DATABASE_URL)', bus: 'NATS (NATS_URL)', cluster: cluster.name });
  return { node, fronts, status, leading: () => hosting !== null, stop };
}
