import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { LossyTransport } from '../../test/fakes/lossy-transport.js';
import { OWN_NATS_NEED, ownNats } from '../../test/helpers/engines.js';
import { everyLineOnce, LinkHarness } from '../../test/helpers/link-harness.js';
import { describeNeeds } from '../../test/helpers/needs.js';
import { waitFor } from '../../test/helpers/wait.js';
import type { LocalNats } from '../engines/nats.js';
import { NatsTransport } from './nats-transport.js';
import { underCluster } from './transport.js';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describeNeeds(OWN_NATS_NEED)('NatsTransport: the links over a real nats-server', () => {
  let nats: LocalNats;
  const open: NatsTransport[] = [];
  const transport = async (name: string): Promise<NatsTransport> => {
    const t = await NatsTransport.open(nats.url, name, quiet);
    open.push(t);
    return t;
  };

  // Leases a loaded machine cannot break: this test is about losses, not about silence.
  const links = new LinkHarness({ heartbeatMs: 50, leaseMs: 5_000 });

  beforeAll(async () => {
    nats = await ownNats();
  });
  afterEach(() => links.stopAll());
  afterAll(async () => {
    await Promise.all(open.map((t) => t.close().catch(() => undefined)));
    await nats?.stop();
  });

  it('carries texts in the order published from one node to another', async () => {
    const [a, b] = [await transport('a'), await transport('b')];
    const heard: string[] = [];
    b.subscribe('ics.test.order', (data) => heard.push(data));
    await waitFor('the subscription to reach the server', () => {
      a.publish('ics.test.order', 'probe');
      return heard.includes('probe');
    });
    for (let i = 0; i < 500; i++) a.publish('ics.test.order', `m${i}`);
    const texts = (): string[] => heard.filter((h) => h !== 'probe');
    await waitFor('500 texts', () => texts().length === 500);
    expect(texts()).toEqual(Array.from({ length: 500 }, (_, i) => `m${i}`));
  });

  it('keeps clusters of different names apart on one server', async () => {
    const blue = underCluster('blue', await transport('blue'));
    const green = underCluster('green', await transport('green'));
    const heard: string[] = [];
    blue.subscribe('hub', (data) => heard.push(`blue heard ${data}`));
    green.subscribe('hub', (data) => heard.push(`green heard ${data}`));
    await waitFor('both subscriptions to reach the server', () => {
      blue.publish('hub', 'blue');
      green.publish('hub', 'green');
      return heard.includes('blue heard blue') && heard.includes('green heard green');
    });
    // The server hands each subscriber its texts in the order it routed them: once green hears a
    // text sent after blue heard its last, any of blue's texts routed to green came before it.
    blue.publish('hub', 'blue last');
    await waitFor('blue to hear its last', () => heard.includes('blue heard blue last'));
    green.publish('hub', 'green last');
    await waitFor('green to hear its last', () => heard.includes('green heard green last'));
    expect(new Set(heard)).toEqual(new Set(['blue heard blue', 'green heard green', 'blue heard blue last', 'green heard green last']));
  });

  it('gives every member every line once and in one order when a lossy double in front of it drops, repeats and reorders', async () => {
    const sides = await Promise.all(['hub', 'a', 'b', 'c'].map(async (name, i) => new LossyTransport(await transport(`lossy-${name}`), { drop: 0.1, duplicate: 0.1, reorder: 0.1 }, i + 1)));
    await everyLineOnce(links, sides, 100, 30_000);
    expect(sides.reduce((n, s) => n + s.counts.dropped + s.counts.duplicated + s.counts.reordered, 0)).toBeGreaterThan(20);
  }, 60_000);

  it('says when the bus is away and when it is back', async () => {
    const a = await transport('c');
    expect(a.connected).toBe(true);
    await nats.stop();
    await waitFor('the client to notice', () => !a.connected, 10_000);
    await nats.start();
    await waitFor('the client to reconnect', () => a.connected, 10_000);
  });
});
