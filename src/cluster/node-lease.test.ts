import { expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait.js';
import type { Logger } from '../core/log.js';
import { FORGET_NODE_SQL, NODE_NAMES_SQL, RENEW_NODE_SQL, START_NODE_SQL } from '../store/pg/pg-name-leases.js';
import { NodeLease } from './node-lease.js';

it('lets an earlier life\'s names go at its first renewal, renews every heartbeat, tells a failing renewal once and its recovery once, and says nothing while the connection is down or no hub has made the tables', async () => {
  const told: string[] = [];
  const log: Logger = { debug: () => undefined, info: (msg) => void told.push(`info ${msg}`), warn: (msg) => void told.push(`warn ${msg}`), error: () => undefined };
  // What each renewal meets, in turn; then success for ever.
  const answers: (() => Promise<boolean>)[] = [
    () => Promise.resolve(false),
    () => Promise.reject(Object.assign(new Error('relation "cluster_nodes" does not exist'), { code: '42P01' })),
    () => Promise.resolve(true),
    () => Promise.reject(new Error('terminating connection due to administrator command')),
    () => Promise.reject(new Error('Connection terminated unexpectedly')),
    () => Promise.resolve(false),
  ];
  const ran: string[] = [];
  const lease = new NodeLease('n1', (sql, params) => {
    ran.push(`${sql === START_NODE_SQL ? 'start' : sql === RENEW_NODE_SQL ? 'renew' : sql === FORGET_NODE_SQL ? 'forget' : '?'} ${params.join(' ')}`);
    return answers.shift()?.() ?? Promise.resolve(true);
  }, { heartbeatMs: 5, leaseMs: 40 }, log);
  lease.start();
  await waitFor('every answer met, and one renewal after', () => answers.length === 0 && ran.length >= 8);
  await lease.stop();
  expect(told).toEqual(["warn cluster: the node lease could not be renewed; its users' names stay theirs only while the hub runs", 'info cluster: the node lease is renewed again']);
  // The first renewal is tried until it succeeds (the connection down, no tables yet), then no more.
  expect(ran.slice(0, 4)).toEqual(['start n1 40 ics-chat node n1', 'start n1 40 ics-chat node n1', 'start n1 40 ics-chat node n1', 'renew n1 40']);
  expect(ran.filter((r) => r.startsWith('start'))).toHaveLength(3);
  expect(ran.at(-1)).toBe('forget n1');
  expect(ran.filter((r) => r === 'forget n1')).toHaveLength(1);
});

it("writes its users' names with the next renewal, and keeps what PostgreSQL did not take for the one after, newer news first", async () => {
  const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const written: unknown[][] = [];
  let [down, refused] = [false, 0];
  const lease = new NodeLease('n1', (sql, params) => {
    if (sql !== NODE_NAMES_SQL) return Promise.resolve(true);
    if (down) {
      refused++;
      return Promise.resolve(false);
    }
    written.push(params.slice(1));
    return Promise.resolve(true);
  }, { heartbeatMs: 5, leaseMs: 40 }, quiet);
  lease.holds('ann', 'Ann');
  lease.holds('bob', 'bob');
  lease.lets('bob');
  lease.start();
  await waitFor('the first names written', () => written.length === 1);
  expect(written[0]).toEqual([['bob'], ['ann'], ['Ann']]);

  down = true;
  lease.lets('ann');
  lease.holds('cy', 'cy');
  await waitFor('a renewal to meet PostgreSQL down', () => refused > 0);
  // Meanwhile ann comes back under another spelling: the name is held, not let go.
  lease.holds('ann', 'ANN');
  down = false;
  await waitFor('the rest written', () => written.length === 2);
  await lease.stop();
  expect(written[1]).toEqual([[], ['cy', 'ann'], ['cy', 'ANN']]);
});

it('says PostgreSQL is reachable unless its last renewal found the connection down (an error is an answer)', async () => {
  const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  let answer: () => Promise<boolean> = () => Promise.resolve(false);
  let renewals = 0;
  const lease = new NodeLease('n1', (sql) => {
    if (sql === START_NODE_SQL || sql === RENEW_NODE_SQL) renewals++;
    return answer();
  }, { heartbeatMs: 5, leaseMs: 40 }, quiet);
  expect(lease.reachable).toBe(true);
  lease.start();
  await waitFor('a renewal to find the connection down', () => !lease.reachable);
  answer = () => Promise.reject(new Error('permission denied for table cluster_nodes'));
  await waitFor('an error to come back', () => lease.reachable);
  answer = () => Promise.resolve(false);
  await waitFor('the connection down again', () => !lease.reachable);
  answer = () => Promise.resolve(true);
  const before = renewals;
  await waitFor('a renewal through', () => lease.reachable && renewals > before);
  await lease.stop();
});
