/**
 * The Discord front in a cluster runs on exactly one node, the hub's: two nodes point at one
 * fake Discord and only one logs the bot in. When that node is killed, the other takes the hub
 * and the bot over within the lease, and a line from the terminal reaches Discord once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { FakeDiscord } from '../fakes/discord/fake-discord.js';
import { ClassicClient } from '../helpers/classic-client.js';
import { discordEnv } from '../helpers/discord.js';
import { freshDatabase, NATS_NEED, ownNats, ownPostgres, POSTGRES_NEED } from '../helpers/engines.js';
import { itNeeds, type Need } from '../helpers/needs.js';
import { spawnServer, UNLIMITED, type ServerProc } from '../helpers/server-proc.js';
import { waitFor } from '../helpers/wait.js';

const ENGINES: Need = { proves: 'the Discord front runs on one node and moves when it dies', missing: POSTGRES_NEED.missing ?? NATS_NEED.missing };
const LEASE_MS = 1500;
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

itNeeds(ENGINES)(
  'logs the bot in on the hub node only, and on another node once that one dies, relaying each line once',
  async () => {
    const [pg, nats, fake] = await Promise.all([ownPostgres(), ownNats(), FakeDiscord.start()]);
    stops.push(() => pg.destroy(), () => nats.stop(), () => fake.close());
    const url = (await freshDatabase('discord', pg)).url;
    const nodes: ServerProc[] = [];
    for (const id of ['d1', 'd2']) {
      const node = await spawnServer({
        ...UNLIMITED,
        ...discordEnv(fake),
        DATABASE_URL: url,
        NATS_URL: nats.url,
        NODE_ID: id,
        CLUSTER_HEARTBEAT_MS: '100',
        CLUSTER_LEASE_MS: String(LEASE_MS),
        DATA_DIR: mkdtempSync(join(tmpdir(), `ics-${id}-`)),
      });
      nodes.push(node);
      stops.push(async () => {
        node.proc.kill();
        await node.proc.exited().catch(() => undefined);
      });
    }
    const identifies = (): number => fake.events.filter((e) => e === 'identify').length;
    const runsHub = (n: ServerProc): boolean => n.proc.exitCode === null && n.proc.out.includes('this node runs the hub');
    const hub = await waitFor('a node to run the hub', () => nodes.find(runsHub), 10_000);
    const other = nodes.find((n) => n !== hub)!;
    await waitFor('the bot to log in', () => identifies() === 1, 10_000);

    // peter on the node without the bot, ann on Discord: one conversation through the hub.
    const peter = await ClassicClient.login(other.ports['tcp']!, 'peter');
    stops.push(async () => void peter.socket.destroy());
    const ann = fake.user('ann');
    fake.say(ann, fake.general.id, 'c peter');
    await peter.next('connect');
    const thread = await waitFor('the group thread', () => fake.threads()[0]);
    await fake.message('the greeting', (m) => m.channelId === thread.id && m.content.includes('you are connected with peter'));
    fake.say(ann, thread.id, 'hello peter');
    expect(await peter.next('exchange')).toMatchObject({ message: 'hello peter' });
    expect(other.proc.out).not.toContain('discord front connected');
    expect(identifies()).toBe(1);

    hub.proc.child.kill('SIGKILL');
    await waitFor('the other node to run the hub', () => runsHub(other), LEASE_MS * 6);
    await waitFor('the bot to log in from the other node', () => identifies() === 2, 10_000);
    await peter.waitClosed(LEASE_MS * 4);

    const back = await ClassicClient.login(other.ports['tcp']!, 'peter');
    stops.push(async () => void back.socket.destroy());
    fake.say(ann, fake.general.id, 'c peter');
    await back.next('connect');
    back.send({ action: 'exchange', message: 'after the takeover' });
    await fake.message('the line in Discord', (m) => m.content.includes('after the takeover'));
    back.send({ action: 'exchange', message: 'and one more' });
    await fake.message('the next line in Discord', (m) => m.content.includes('and one more'));
    expect(fake.messages.filter((m) => m.content.includes('after the takeover'))).toHaveLength(1);
    expect(identifies()).toBe(2);
  },
  60_000,
);
