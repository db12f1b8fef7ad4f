/**
 * The Discord front in a cluster runs on exactly one node, the hub's: two nodes point at one
 * fake Discord and only one logs the bot in. When that node is killed, the other takes the hub
 * and the bot over within the lease, the terminal user stays connected, and each line crosses
 * once: none relayed before the kill, either way, is relayed again after the take-over.
 */
import { afterEach, expect } from 'vitest';
import { FakeDiscord, type Posted } from '../fakes/discord/fake-discord.js';
import { ClassicClient } from '../helpers/classic-client.js';
import { clusterNeed, runsHub, startCluster } from '../helpers/cluster.js';
import { discordEnv } from '../helpers/discord.js';
import { itNeeds } from '../helpers/needs.js';
import { waitFor } from '../helpers/wait.js';

const ENGINES = clusterNeed('the Discord front runs on one node and moves when it dies');
const LEASE_MS = 1500;
/** How long a hub take-over may take here: about 3.5 s when quiet, room for a machine loaded several times over. */
const TAKEOVER_MS = LEASE_MS * 10;
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

itNeeds(ENGINES)(
  'logs the bot in on the hub node only, and on another node once that one dies, relaying each line once',
  async () => {
    const fake = await FakeDiscord.start();
    stops.push(() => fake.close());
    const cluster = await startCluster(['d1', 'd2'], { leaseMs: LEASE_MS, env: discordEnv(fake) });
    stops.push(() => cluster.stop());
    const identifies = (): number => fake.events.filter((e) => e === 'identify').length;
    const hub = await cluster.hub();
    const other = cluster.nodes.find((n) => n !== hub)!;
    await waitFor('the bot to log in', () => identifies() === 1, 10_000);
    // Discord replays nothing said before the bot is ready: wait for it, as a user would see it online.
    await waitFor('the bot to be ready', () => hub.proc.out.includes('discord front connected'), 10_000);

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
    peter.send({ action: 'exchange', message: 'before the takeover' });
    await fake.message('the line in Discord before the takeover', (m) => m.via !== 'user' && m.content.includes('before the takeover'));
    expect(other.proc.out).not.toContain('discord front connected');
    expect(identifies()).toBe(1);

    const postedBeforeKill = fake.messages.length;
    hub.proc.child.kill('SIGKILL');
    await waitFor('the other node to run the hub', () => runsHub(other), TAKEOVER_MS);
    await waitFor('the bot to log in from the other node', () => identifies() === 2, 10_000);
    await waitFor('the bot to be ready on the other node', () => other.proc.out.includes('discord front connected'), TAKEOVER_MS);
    // Peter stays; ann's Discord session was on the dead node, so she left as a vanished user does.
    expect(await peter.next('disconnect', TAKEOVER_MS)).toMatchObject({ msg: 'everyone left, you are alone' });
    expect(peter.closed).toBe(false);

    fake.say(ann, fake.general.id, 'c peter');
    await peter.next('connect');
    const greetings = (): Posted[] => fake.messages.filter((m) => m.via !== 'user' && m.content.includes('you are connected with peter'));
    const again = await waitFor('the greeting of the new conversation', () => greetings()[1]);
    // Discord to the terminal: ann's next line is the next peter gets (hers from before the kill is not given again).
    fake.say(ann, again.channelId, 'hello again');
    expect(await peter.next('exchange', TAKEOVER_MS)).toMatchObject({ message: 'hello again' });
    peter.send({ action: 'exchange', message: 'after the takeover' });
    await fake.message('the line in Discord', (m) => m.content.includes('after the takeover'));
    peter.send({ action: 'exchange', message: 'and one more' });
    await fake.message('the next line in Discord', (m) => m.content.includes('and one more'));
    // The terminal to Discord: since the kill the bot posted peter's new lines once each, and none from before.
    const relayedSinceKill = fake.messages.slice(postedBeforeKill).filter((m) => m.via !== 'user' && /takeover|one more/.test(m.content));
    expect(relayedSinceKill.map((m) => m.content)).toEqual([expect.stringContaining('after the takeover'), expect.stringContaining('and one more')]);
    expect(fake.messages.filter((m) => m.content.includes('before the takeover'))).toHaveLength(1);
    await peter.sync();
    expect(peter.frames.filter((f) => f.action === 'exchange').map((f) => f['message'])).toEqual(['hello peter', 'hello again']);
    expect(identifies()).toBe(2);
  },
  60_000,
);
