/**
 * Nothing lost when the hub's node is killed under load: the users of each group are spread
 * over three nodes (test/helpers/crash-load.ts says what is checked), the node running the hub
 * is killed with SIGKILL, and through the node that takes the hub over every line any client
 * received is in the history of every member entitled to it, and in nobody else's.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { crashCheck } from '../helpers/crash-load.js';
import { freshDatabase, NATS_NEED, ownNats, ownPostgres, POSTGRES_NEED } from '../helpers/engines.js';
import { itNeeds, type Need } from '../helpers/needs.js';
import { spawnServer, UNLIMITED, type ServerProc } from '../helpers/server-proc.js';
import { waitFor } from '../helpers/wait.js';

const ENGINES: Need = { proves: 'a kill -9 of the hub node loses no line anyone received', missing: POSTGRES_NEED.missing ?? NATS_NEED.missing };
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

itNeeds(ENGINES)(
  'keeps every line any client received, for everyone entitled to it and nobody else, across a kill -9 of the hub node',
  async () => {
    const [pg, nats] = await Promise.all([ownPostgres(), ownNats()]);
    stops.push(() => pg.destroy(), () => nats.stop());
    const url = (await freshDatabase('crash', pg)).url;
    const nodes: ServerProc[] = [];
    for (const id of ['k1', 'k2', 'k3']) {
      const node = await spawnServer({
        ...UNLIMITED,
        FRONTS: 'tcp,irc,web',
        DATABASE_URL: url,
        NATS_URL: nats.url,
        NODE_ID: id,
        CLUSTER_HEARTBEAT_MS: '100',
        CLUSTER_LEASE_MS: '1500',
        DATA_DIR: mkdtempSync(join(tmpdir(), `ics-${id}-`)),
      });
      nodes.push(node);
      stops.push(async () => {
        node.proc.kill();
        await node.proc.exited().catch(() => undefined);
      });
    }
    const runsHub = (n: ServerProc): boolean => n.proc.exitCode === null && n.proc.out.includes('this node runs the hub');
    const hub = await waitFor('a node to run the hub', () => nodes.find(runsHub), 10_000);
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
    });
  },
  180_000,
);
