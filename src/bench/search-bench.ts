/**
 * The search scenario: a history of 1,000,000 lines among 1,000 users, written with the
 * server's own store (words drawn from a Zipf distribution over the sonnets' vocabulary, as
 * chat words are), then `? word` queries through the real server, timed at the client.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { encodeFrame, FrameDecoder } from '../core/framing.js';
import { words } from '../core/sonnets.js';
import type { HistoryStore } from '../core/history.js';
import { DEFAULT_LIMITS } from '../core/hub-deps.js';
import { parseSearchQuery } from '../core/search-query.js';
import { SCHEMA_VERSION } from '../store/history-schema.js';
import { SqliteHistory } from '../store/sqlite-history.js';
import { mulberry32 } from './random.js';
import { quantile } from './stats.js';

export interface SearchData {
  dir: string;
  lines: number;
  users: number;
  rare: string;
  common: string;
  pair: string;
}

/** Samples ranks 0..n-1 with probability proportional to 1/(rank+1)^s. */
function zipfSampler(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) cdf[k] = total += 1 / Math.pow(k + 1, s);
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** Bumped whenever the seeding changes, so a stale data set is rebuilt (the store's format is in the name too). */
const DATA_VERSION = 4;

/** Where the history of `lines` lines is kept under `root`: named by the seeding's version and the store's schema version. */
export function searchDataDir(root: string, lines: number): string {
  return join(root, `search-${lines}-v${DATA_VERSION}s${SCHEMA_VERSION}`);
}

/** Builds (once; reused while its version matches) the search history under `root`. */
export async function ensureSearchData(root: string, sonnetsFile: string, lines = 1_000_000, users = 1000): Promise<SearchData> {
  const vocabulary = [...new Set(words(readFileSync(sonnetsFile, 'utf8')).filter((w) => w.length > 2 && !/^[ivxlc]+$/.test(w)))];
  const data: SearchData = { dir: searchDataDir(root, lines), lines, users, common: vocabulary[0]!, rare: vocabulary[Math.floor(vocabulary.length * 0.85)]!, pair: `${vocabulary[20]} ${vocabulary[60]}` };
  if (existsSync(data.dir)) return data;
  const building = `${data.dir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const random = mulberry32(20261125);
  const pick = zipfSampler(vocabulary.length, 1.07, random);
  const history = new SqliteHistory(join(building, 'history.db'));
  const groups = Math.floor(users * 5);
  const members: string[][] = [];
  for (let g = 1; g <= groups; g++) {
    history.opened(g, 'adhoc', `#group-${g}`);
    const size = 2 + Math.floor(random() * 5);
    const chosen = new Set<string>();
    while (chosen.size < size) chosen.add(`u${Math.floor(random() * users)}`);
    members.push([...chosen]);
    for (const user of chosen) history.joined(user, g, 0);
  }
  history.commit();
  const seq = new Array<number>(groups + 1).fill(0);
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < lines; i++) {
    const g = 1 + Math.floor(random() * groups);
    const group = members[g - 1]!;
    const sender = group[Math.floor(random() * group.length)]!;
    const length = 4 + Math.floor(random() * 12);
    const text: string[] = [];
    for (let w = 0; w < length; w++) text.push(vocabulary[pick()]!);
    history.record({ group: g, sender, senderKey: sender, text: text.join(' '), ts: start + i * 1000, seq: ++seq[g]! });
    if (i % 20_000 === 19_999) history.commit();
  }
  await history.close();
  renameSync(building, data.dir);
  return data;
}

/** One connection that logs in and times request/reply round trips. */
async function timedClient(port: number, name: string): Promise<{ ask(action: object): Promise<number>; close(): void }> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
  socket.setNoDelay(true);
  const decoder = new FrameDecoder();
  let waiter: ((frame: string) => void) | null = null;
  socket.on('data', (chunk: Buffer) => {
    for (const frame of decoder.push(chunk).frames) {
      const w = waiter;
      waiter = null;
      w?.(frame);
    }
  });
  const request = (action: object): Promise<{ ms: number; frame: string }> =>
    new Promise((resolve) => {
      const t0 = performance.now();
      waiter = (frame) => resolve({ ms: performance.now() - t0, frame });
      socket.write(encodeFrame(JSON.stringify(action)));
    });
  // The name may still be held by the previous connection under it, closing just now.
  for (let attempt = 0; ; attempt++) {
    const { frame } = await request({ action: 'login', name });
    if (frame.includes('"ok"')) break;
    if (attempt === 100) throw new Error(`cannot log in as ${name}: ${frame}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { ask: async (action) => (await request(action)).ms, close: () => socket.destroy() };
}

export interface QueryStats {
  query: string;
  n: number;
  p50: number;
  p99: number;
}

/**
 * p50 and p99 of a store's own `search`, in milliseconds (no server, no socket), from 20 users
 * asking 10 times each, for a page as long as a server's search reads; `total`: what the last one found.
 */
export function storeSearchTimes(h: HistoryStore, text: string, users: number): { p50: number; p99: number; total: number } {
  const query = parseSearchQuery(text);
  const times: number[] = [];
  let total = 0;
  for (let u = 0; u < 20; u++) {
    const user = `u${(u * 37) % users}`;
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      total = h.search(user, query, DEFAULT_LIMITS.searchResults).total;
      times.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), total };
}

/** A phrase that was said and the first user may read: the first two words of a line with the common word, quoted. */
export async function saidPhrase(data: SearchData): Promise<string> {
  const history = new SqliteHistory(join(data.dir, 'history.db'));
  try {
    const words = history.search('u0', [[data.common]], 1).lines[0]?.text.split(' ') ?? [data.common];
    return `"${words.slice(0, 2).join(' ')}"`;
  } finally {
    await history.close();
  }
}

/** Times `? query` for each query (the rare word, the common word and two words unless given), from `usersToAsk` different users, `perUser` times each. */
export async function measureSearch(port: number, data: SearchData, usersToAsk = 20, perUser = 10, queries: readonly string[] = [data.rare, data.common, data.pair]): Promise<QueryStats[]> {
  const out: QueryStats[] = [];
  for (const query of queries) {
    const times: number[] = [];
    for (let u = 0; u < usersToAsk; u++) {
      const client = await timedClient(port, `u${(u * 37) % data.users}`);
      for (let i = 0; i < perUser; i++) times.push(await client.ask({ action: 'search', target: query }));
      client.close();
    }
    times.sort((a, b) => a - b);
    out.push({ query, n: times.length, p50: quantile(times, 0.5), p99: quantile(times, 0.99) });
  }
  return out;
}
