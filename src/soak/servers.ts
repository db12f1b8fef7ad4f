/**
 * What the soak runs its load against: the single server (native, IRC and web fronts, default
 * limits, its embedded SQLite database), or with --cluster three nodes with the same fronts on a
 * private PostgreSQL and nats-server, each new client on the next node in turn so every group
 * spans nodes. Either way the soak sees a list of nodes to watch (memory from /proc, the rest from
 * each /healthz) and the one whose /healthz tells the groups and stored lines: the single server,
 * or the node that runs the hub.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, startEngines } from '../bench/cluster-servers.js';
import { startOurs } from '../bench/servers.js';
import type { Endpoint } from '../bench/wire.js';
import type { SoakFront } from './clients.js';

/** One server process the soak watches. */
export interface SoakNode {
  readonly name: string;
  readonly pid: number;
  readonly webPort: number;
}

/** The servers under soak: what to watch, where clients connect, how to stop it all. */
export interface SoakServers {
  readonly nodes: readonly SoakNode[];
  /** The node whose /healthz has the groups and the stored lines. */
  readonly keeper: SoakNode;
  /** Where the next client of `front` connects. */
  endpoint(front: SoakFront): Endpoint;
  stop(): Promise<void>;
}

const PROTOCOL = { tcp: 'native', irc: 'irc', web: 'ws' } as const;
const loopback = (port: number | undefined): Endpoint => ({ host: '127.0.0.1', port: port! });

/** The single server, as `npm start` runs it, in a temporary data folder. */
export async function soakSingle(root: string, fronts: readonly SoakFront[], onLog: (text: string) => void): Promise<SoakServers> {
  const dir = mkdtempSync(join(tmpdir(), 'soak-'));
  const server = await startOurs(root, dir, fronts, { pin: false, unlimited: false, onOutput: onLog });
  const node: SoakNode = { name: 'server', pid: server.pid, webPort: server.ports.ws! };
  return {
    nodes: [node],
    keeper: node,
    endpoint: (front) => loopback(server.ports[PROTOCOL[front]]),
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Three nodes on a private PostgreSQL (fsync on) and nats-server; clients go to the nodes in turn. */
export async function soakCluster(root: string, fronts: readonly SoakFront[], onLog: (text: string) => void): Promise<SoakServers> {
  const engines = await startEngines(false);
  try {
    const cluster = await startCluster(root, engines, await engines.database(), fronts, 3, { pin: false, unlimited: false, onOutput: (_node, text) => onLog(text) });
    const nodes = cluster.nodes.map((n): SoakNode => ({ name: n.id, pid: n.pid, webPort: n.ports.ws! }));
    let turn = 0;
    return {
      nodes,
      keeper: nodes.find((n) => n.name === cluster.hub)!,
      endpoint: (front) => loopback(cluster.nodes[turn++ % cluster.nodes.length]!.ports[PROTOCOL[front]]),
      stop: async () => {
        await cluster.stop();
        await engines.stop();
      },
    };
  } catch (err) {
    await engines.stop();
    throw err;
  }
}
