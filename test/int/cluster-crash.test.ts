/**
 * Nothing lost when the hub's node is killed under load: the users of each group are spread
 * over three nodes (test/helpers/crash-load.ts says what is checked), the node running the hub
 * is killed with SIGKILL, the users of the other nodes stay connected, and through the node that
 * takes the hub over every line any client received is in the history of every member entitled
 * to it, and in nobody else's.
 */
import { afterEach, expect } from 'vitest';
import { clusterNeed, runsHub, startCluster } from '../helpers/cluster.js';
import { crashCheck } from '../helpers/crash-load.js';
import { itNeeds } from '../helpers/needs.js';
import { waitFor } from '../helpers/wait.js';

const ENGINES = clusterNeed('a kill -9 of the hub node loses no line anyone received');
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

itNeeds(ENGINES)(
  'keeps every line any client received, for everyone entitled to it and nobody else, across a kill -9 of the hub node',
  async () => {
    const cluster = await startCluster(['k1', 'k2', 'k3'], { leaseMs: 1500 });
    stops.push(() => cluster.stop());
    const nodes = cluster.nodes;
    const hub = await cluster.hub();
    const port = (k: number, front: 'tcp' | 'irc' | 'web'): number => nodes[k % nodes.length]!.ports[front]!;
    await crashCheck({
      // Each group's three members on three different nodes.
      ports: (g) => ({ tcp: port(g, 'tcp'), web: port(g + 1, 'web'), irc: port(g + 2, 'irc') }),
      kill: async () => {
        hub.proc.child.kill('SIGKILL');
        expect(await hub.proc.exited()).toBe(128);
      },
      after: async () => {
        const next = await waitFor('another node to run the hub', () => nodes.find((n) => n !== hub && runsHub(n)), 15_000);
        return next.ports['tcp']!;
      },
      survives: (port) => !Object.values(hub.ports).includes(port),
    });
  },
  180_000,
);
