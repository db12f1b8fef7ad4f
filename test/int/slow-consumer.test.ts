/**
 * One client that never reads among 50 that chat hard: the client is cut off once its unread
 * output passes the cap and leaves its room like anyone who vanishes, the memory the server
 * holds stays bounded, and the 50 keep getting every line as promptly as they do without it.
 * Memory is measured as live bytes (V8 heap and buffers after a full collection, taken between
 * rounds, when no line is in flight), which unlike RSS does not hide what a buffer retains.
 * Promptness is compared round by round, so that a few rounds slowed by whatever else the
 * machine runs move nothing, against the same load before and after. The numbers go to
 * test-artifacts/slow-consumer.json for people to read.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, expect, it } from 'vitest';
import { benchLine, makeClient, type BenchClient, type Target } from '../../src/bench/clients.js';
import { quantile } from '../../src/bench/stats.js';
import { ClassicClient } from '../helpers/classic-client.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

let srv: TestServer | null = null;
const clients: { close(): void }[] = [];

afterAll(async () => {
  for (const c of clients.splice(0)) c.close();
  await srv?.destroy();
});

const CAP = 256 * 1024;
/** The never-reading client's room: 10 chatters sending long lines. */
const BUSY = { members: 10, lineChars: 7900 };
/** The other 40 chatters, in 8 rooms of 5, sending short lines. */
const QUIET = { rooms: 8, members: 5, lineChars: 100 };
/** Lines each chatter sends per round; a round ends when every line reached every member. */
const PER_ROUND = 5;
/** Rounds per phase: the busy room sends the stalled client 15 MB, several times what kernel buffers hold. */
const ROUNDS = 40;

interface Room {
  name: string;
  lineChars: number;
  members: BenchClient[];
}

interface Round {
  latencies: number[];
  /** The never-reading client was connected when the round began. */
  stalled: boolean;
}

interface Phase {
  rounds: Round[];
  /** Live bytes after each round. */
  live: number[];
  /** Resident memory after each round. */
  rss: number[];
}

function mb(bytes: number): number {
  return Math.round((bytes / (1 << 20)) * 10) / 10;
}

function liveBytes(): number {
  collectGarbage();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

it('cuts off a client that never reads; memory stays bounded; 50 others chat on as promptly', async () => {
  srv = await startTestServer({ MAX_OUTBOUND_BYTES: String(CAP), FLOOD_BURST: '1000000', FLOOD_RATE: '1000000' });
  const target: Target = { protocol: 'native', host: '127.0.0.1', port: srv.tcpPort };

  let phase: Phase = { rounds: [], live: [], rss: [] };
  let round: Round = { latencies: [], stalled: false };
  let delivered = 0;
  const rooms: Room[] = [
    { name: '#busy', lineChars: BUSY.lineChars, members: [] },
    ...Array.from({ length: QUIET.rooms }, (_, i): Room => ({ name: `#quiet${i}`, lineChars: QUIET.lineChars, members: [] })),
  ];
  for (const room of rooms) {
    const size = room.name === '#busy' ? BUSY.members : QUIET.members;
    for (let i = 0; i < size; i++) {
      const client = makeClient(`${room.name.slice(1)}${i}`, target, (sentAt) => {
        round.latencies.push(performance.now() - sentAt);
        delivered++;
      });
      clients.push(client);
      await client.login();
      await client.join(room.name, room.name);
      room.members.push(client);
    }
  }
  expect(rooms.reduce((n, r) => n + r.members.length, 0)).toBe(50);
  const perRound = rooms.reduce((n, r) => n + r.members.length * (r.members.length - 1) * PER_ROUND, 0);

  let connected = (): boolean => false;
  /** One phase: ROUNDS rounds of every chatter sending a batch, each waited out, then more until `done`. */
  async function run(done: () => Promise<boolean> = async () => true): Promise<Phase> {
    phase = { rounds: [], live: [liveBytes()], rss: [process.memoryUsage().rss] };
    for (let n = 0; n < ROUNDS || !(await done()); n++) {
      if (n >= ROUNDS * 2) throw new Error('the never-reading client was not cut off');
      round = { latencies: [], stalled: connected() };
      phase.rounds.push(round);
      const expected = delivered + perRound;
      for (const room of rooms) {
        for (const member of room.members) {
          member.send(Array.from({ length: PER_ROUND }, () => benchLine(performance.now(), 15) + 'x'.repeat(room.lineChars)));
        }
      }
      await waitFor(`round ${n}: every line to every member`, () => delivered >= expected, 20_000);
      phase.live.push(liveBytes());
      phase.rss.push(process.memoryUsage().rss);
    }
    return phase;
  }

  // Warm up (heaps settle, SQLite's cache fills), then the same load without, with and again without the stalled client.
  await run();
  const before = await run();

  const sloth = await ClassicClient.login(target.port, 'sloth');
  clients.push({ close: () => sloth.socket.destroy() });
  sloth.send({ action: 'connect', target: '#busy' });
  await sloth.next('connect');
  sloth.socket.pause();
  const cutOff = () => srv!.logs.filter((l) => l.includes('disconnecting a client that does not read') && l.includes('user=sloth'));
  connected = () => cutOff().length === 0;
  const watcher = await ClassicClient.login(target.port, 'watcher');
  clients.push({ close: () => watcher.socket.destroy() });
  // A paused socket notices nothing: who is online tells when the server let it go.
  const slothGone = async (): Promise<boolean> => {
    watcher.send({ action: 'list' });
    const list = await watcher.next('list');
    return !(list['users'] as { name: string }[]).some((u) => u.name === 'sloth');
  };
  const withStalled = await run(slothGone);
  expect(cutOff()).toHaveLength(1);
  const after = await run();

  const median = (values: number[]): number => quantile(Float64Array.from(values).sort(), 0.5);
  const stats = (p: Phase, rounds: Round[]) => {
    const ms = (x: number) => Math.round(x * 10) / 10;
    const sorted = Float64Array.from(p.rounds.flatMap((r) => r.latencies)).sort();
    return {
      lines: sorted.length,
      p50Ms: ms(quantile(sorted, 0.5)),
      p95Ms: ms(quantile(sorted, 0.95)),
      p99Ms: ms(quantile(sorted, 0.99)),
      rounds: rounds.length,
      roundP50Ms: ms(median(rounds.map((r) => quantile(Float64Array.from(r.latencies).sort(), 0.5)))),
      roundP95Ms: ms(median(rounds.map((r) => quantile(Float64Array.from(r.latencies).sort(), 0.95)))),
      liveStartMb: mb(p.live[0]!),
      livePeakMb: mb(Math.max(...p.live)),
      liveGrowthMb: mb(Math.max(...p.live) - p.live[0]!),
      rssStartMb: mb(p.rss[0]!),
      rssPeakMb: mb(Math.max(...p.rss)),
    };
  };
  const a = stats(before, before.rounds);
  const b = stats(withStalled, withStalled.rounds.filter((r) => r.stalled));
  const c = stats(after, after.rounds);
  const sentToStalledMb = mb(ROUNDS * BUSY.members * PER_ROUND * BUSY.lineChars);
  mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
  writeFileSync(join(ROOT, 'test-artifacts', 'slow-consumer.json'), JSON.stringify({ capBytes: CAP, sentToStalledMb, without: a, withStalled: b, after: c }, null, 2) + '\n');

  expect(withStalled.rounds.map((r) => r.latencies.length)).toEqual(withStalled.rounds.map(() => perRound));
  expect(b.rounds, 'rounds run while the client was stalled').toBeGreaterThan(0);
  // Memory: of the 15 MB sent to the stalled client, no more than the cap and a round's lines were ever held.
  expect(b.liveGrowthMb).toBeLessThan(a.liveGrowthMb + 4);
  // Latency in the rounds the stalled client was connected, against the slower of the phases
  // without it: a client that held the others up would slow every one of those rounds.
  const usual = { p50: Math.max(a.roundP50Ms, c.roundP50Ms), p95: Math.max(a.roundP95Ms, c.roundP95Ms) };
  expect(b.roundP50Ms).toBeLessThan(Math.max(usual.p50 * 3, usual.p50 + 250));
  expect(b.roundP95Ms).toBeLessThan(Math.max(usual.p95 * 3, usual.p95 + 1000));
}, 180_000);
