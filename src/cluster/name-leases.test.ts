import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDatabase, ownPostgres, POSTGRES_NEED } from '../../test/helpers/engines.js';
import { describeNeeds } from '../../test/helpers/needs.js';
import { waitFor } from '../../test/helpers/wait.js';
import type { LocalPostgres } from '../engines/postgres.js';
import { SyncPg } from '../store/pg/sync-client.js';
import { NameLeases, type LeaseHolder } from './name-leases.js';

const on = (nodeId: string, sessionId: string, front = 'tcp'): LeaseHolder => ({ nodeId, sessionId, front });

/** The built modules a racing worker thread loads (a worker runs JavaScript, not these sources). */
const built = (path: string): string => {
  const file = fileURLToPath(new URL(`../../dist/${path}`, import.meta.url));
  if (!existsSync(file)) throw new Error(`${file} is not built; run npm run build`);
  return pathToFileURL(file).href;
};

/**
 * One node of the race, in a thread of its own with its own SyncPg (a SyncPg blocks its thread, so
 * two in one thread never overlap). Before each round it waits for the other at a barrier, then
 * claims the round's name at once; it posts the rounds it won.
 */
const RACER = `
const { workerData, parentPort } = require('node:worker_threads');
(async () => {
  const { NameLeases } = await import(workerData.leases);
  const { SyncPg } = await import(workerData.sync);
  const leases = new NameLeases(new SyncPg(workerData.url), { ttlMs: 60000 });
  const gate = new Int32Array(workerData.gate);
  const won = [];
  for (let round = 0; round < workerData.rounds; round++) {
    if (Atomics.add(gate, round, 1) === 1) Atomics.notify(gate, round);
    else if (Atomics.wait(gate, round, 1, 5000) === 'timed-out') throw new Error('the other racer never came to round ' + round);
    if (leases.claim('Race' + round, { nodeId: workerData.node, sessionId: 's' + round, front: 'irc' })) won.push(round);
  }
  leases.close();
  parentPort.postMessage(won);
})();
`;

function race(url: string, node: string, gate: SharedArrayBuffer, rounds: number): Promise<number[]> {
  const worker = new Worker(RACER, { eval: true, workerData: { url, node, gate, rounds, leases: built('cluster/name-leases.js'), sync: built('store/pg/sync-client.js') } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`racer ${node} did not finish within 20 s`)), 20_000);
    worker.once('message', (won: number[]) => {
      clearTimeout(timer);
      resolve(won);
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

describeNeeds(POSTGRES_NEED)('NameLeases: unique online names across nodes', () => {
  let engine: LocalPostgres;
  let url = '';
  const open: NameLeases[] = [];
  const node = (ttlMs = 60_000): NameLeases => {
    const leases = new NameLeases(new SyncPg(url), { ttlMs });
    open.push(leases);
    return leases;
  };

  beforeAll(async () => {
    engine = await ownPostgres();
    url = (await freshDatabase('leases', engine)).url;
  });
  afterAll(async () => {
    for (const l of open) l.close();
    await engine?.destroy();
  });

  it('refuses a name held on one node to another, in any case, and frees it on release', () => {
    const [one, two] = [node(), node()];
    expect(one.claim('Alice', on('n1', 'a'))).toBe(true);
    expect(two.claim('ALICE', on('n2', 'x'))).toBe(false);
    expect(one.claim('alice', on('n1', 'b'))).toBe(false);
    expect(two.holder('aLiCe')).toMatchObject({ name: 'Alice', nodeId: 'n1', sessionId: 'a', front: 'tcp' });
    two.release('alice', on('n2', 'x'));
    expect(two.holder('alice')?.nodeId).toBe('n1');
    one.release('Alice', on('n1', 'a'));
    expect(two.holder('alice')).toBeNull();
    expect(two.claim('alice', on('n2', 'x', 'web'))).toBe(true);
    // A claim retried by its own holder (its first answer lost to a timeout) still holds.
    expect(two.claim('alice', on('n2', 'x', 'web'))).toBe(true);
    two.releaseAll('n2');
    expect(one.holder('alice')).toBeNull();
  });

  it("lists who is online on every node, with their node and front, in the order they came", () => {
    const [one, two] = [node(), node()];
    one.releaseAll('n1');
    two.releaseAll('n2');
    expect(one.claim('Bob', on('n1', 'b', 'irc'))).toBe(true);
    expect(two.claim('carol', on('n2', 'c', 'web'))).toBe(true);
    expect(one.claim('dan', on('n1', 'd', 'discord'))).toBe(true);
    const who = (leases: NameLeases): string[] => leases.holders().map((l) => `${l.name}@${l.nodeId}/${l.front}`);
    expect(who(two)).toEqual(['Bob@n1/irc', 'carol@n2/web', 'dan@n1/discord']);
    expect(who(one)).toEqual(who(two));
    expect(one.rename('bob', 'Robert', on('n1', 'b', 'irc'))).toBe(true);
    expect(one.rename('dan', 'CAROL', on('n1', 'd', 'discord'))).toBe(false);
    expect(one.rename('carol', 'eve', on('n1', 'd', 'discord'))).toBe(false);
    expect(one.rename('dan', 'Dan', on('n1', 'd', 'discord'))).toBe(true);
    expect(who(two)).toEqual(['Robert@n1/irc', 'carol@n2/web', 'Dan@n1/discord']);
    expect(two.claim('bob', on('n2', 'z'))).toBe(true);
    one.releaseAll('n1');
    two.releaseAll('n2');
  });

  it("frees a silent node's names once its leases run out, while a renewing node keeps its own", async () => {
    // Long enough that a busy machine does not stall a heartbeat past it (a quarter of it apart).
    const ttlMs = 800;
    const [dying, living, other] = [node(ttlMs), node(ttlMs), node(ttlMs)];
    const claimed = Date.now();
    expect(dying.claim('frank', on('n1', 'f'))).toBe(true);
    expect(living.claim('gina', on('n2', 'g'))).toBe(true);
    expect(other.claim('frank', on('n3', 'h'))).toBe(false);
    // n2 beats every ttl/4 for three TTLs; n1 has stopped. Its heartbeat also sweeps n1's lease away once run out.
    let beats = 0;
    let next = Date.now();
    let freed = 0;
    while (Date.now() - claimed < 3 * ttlMs) {
      next += ttlMs / 4;
      await waitFor('the next heartbeat', () => Date.now() >= next, 2 * ttlMs);
      expect(living.renewAll('n2')).toEqual(new Set(['gina']));
      beats++;
      if (freed === 0 && other.holder('frank') === null) freed = Date.now();
      expect(other.claim('gina', on('n3', 'h'))).toBe(false);
    }
    expect(beats).toBeGreaterThanOrEqual(8);
    expect(freed - claimed).toBeGreaterThanOrEqual(ttlMs - 1);
    expect(freed - claimed).toBeLessThan(2 * ttlMs);
    expect(other.claim('frank', on('n3', 'h'))).toBe(true);
    // Its lease gone, n1's heartbeat tells it it no longer holds frank.
    expect(dying.renewAll('n1')).toEqual(new Set());
    expect(other.holders().map((l) => `${l.name}@${l.nodeId}`)).toEqual(['gina@n2', 'frank@n3']);
    living.releaseAll('n2');
    other.releaseAll('n3');
  });

  it('gives a name claimed at once by two nodes to exactly one of them, round after round', async () => {
    const rounds = 300;
    const gate = new SharedArrayBuffer(4 * rounds);
    const [one, two] = await Promise.all([race(url, 'n1', gate, rounds), race(url, 'n2', gate, rounds)]);
    const winners = Array.from({ length: rounds }, (_, round) => Number(one.includes(round)) + Number(two.includes(round)));
    expect(winners.filter((n) => n !== 1)).toEqual([]);
    // Both sides won some rounds, or the claims did not really meet.
    expect(Math.min(one.length, two.length)).toBeGreaterThan(0);
    const holders = node().holders().filter((l) => l.name.startsWith('Race'));
    expect(holders).toHaveLength(rounds);
    for (const l of holders) expect(l.nodeId).toBe(one.includes(Number(l.name.slice(4))) ? 'n1' : 'n2');
  });
});
