/**
 * The kill -9 check, for one process and for a cluster: groups of native TCP, IRC and WebSocket
 * users chat under load, a server process is killed with SIGKILL in the middle of it, and a
 * server afterwards must hold every line that any client received, in the history of every
 * member entitled to it, and in nobody else's. Clients of other processes (the surviving nodes of a
 * cluster) stay connected through it. Each line carries a unique token, so one search
 * per line and member, through the server as that user, is exact (one match, never near the
 * cap of 100); rate limits are lifted so the searches can be pipelined.
 */
import { expect } from 'vitest';
import { ircChatter, tcpChatter, wsChatter, type Chatter } from './chatters.js';
import { ClassicClient, type Frame } from './classic-client.js';
import { waitFor, waitForAsync } from './wait.js';

const GROUPS = 4;
/** Lines each user may send at most; the kill comes long before. */
const MAX_PER_USER = 2000;
/** The kill comes once this many lines have been received (or after KILL_AFTER_MS). */
const KILL_AT_RECEIVED = 2000;
const KILL_AFTER_MS = 15_000;
/** Every tick each user sends a line: 12 users, 1,200 lines a second if the machine keeps up. */
const TICK_MS = 10;
/** Lines each user sends at once just before the kill, so that some are surely in flight. */
const LAST_BURST = 5;

/** Where the users connect, and what is killed. */
export interface CrashScene {
  /** The ports of the native, IRC and web fronts the members of group `g` use (a cluster spreads them over its nodes). */
  ports(g: number): { tcp: number; irc: number; web: number };
  /** Kills the process (with SIGKILL) in the middle of the load. */
  kill(): Promise<void>;
  /** After the kill: the native port of a server that has the history (a restarted one, or a surviving node once it runs the hub). */
  after(): Promise<number>;
  /** Whether the clients of a port stay connected through the kill (a surviving node's); none unless given. */
  survives?(port: number): boolean;
}

interface Member {
  chatter: Chatter;
  group: number;
  port: number;
}

/** Logs in as `name` once the name is free (a client that stayed connected was closed just before). */
async function loginWhenFree(port: number, name: string): Promise<ClassicClient> {
  let client: ClassicClient | null = null;
  await waitForAsync(`${name} to be free to log in`, async () => {
    const c = await ClassicClient.open(port);
    c.send({ action: 'login', name });
    if ((await c.next('login'))['status'] === 'ok') client = c;
    else c.socket.destroy();
    return client !== null;
  }, 10_000);
  return client!;
}

const tokenOf = (g: number, user: string, n: number): string => `tok${g}${user}n${n}`;
const textOf = (g: number, user: string, n: number): string => `crashload grp${g} ${tokenOf(g, user, n)}`;
const TOKEN = /crashload grp(\d+) tok\d+[a-z]+\d*n\d+/;

/** Sends every search at once, then reads the replies in order. */
async function searchAll(c: ClassicClient, targets: string[]): Promise<Frame[]> {
  const replies: Frame[] = [];
  for (let at = 0; at < targets.length; at += 500) {
    const batch = targets.slice(at, at + 500);
    for (const target of batch) c.send({ action: 'search', target });
    for (let i = 0; i < batch.length; i++) replies.push(await c.next('search', 30_000));
  }
  return replies;
}

/** Runs the load, the kill and the check. */
export async function crashCheck(scene: CrashScene): Promise<void> {
  const chatters: Member[] = [];
  for (let g = 0; g < GROUPS; g++) {
    const { tcp, irc, web } = scene.ports(g);
    for (const [chatter, port] of [[await tcpChatter(tcp, `ct${g}`), tcp], [await wsChatter(web, `cw${g}`), web], [await ircChatter(irc, `ci${g}`), irc]] as const) {
      await chatter.join(`#crash${g}`);
      chatters.push({ chatter, group: g, port });
    }
  }
  // Online the whole time, in no group: entitled to nothing.
  const outsider = await ClassicClient.login(scene.ports(0).tcp, 'cout');

  const sent = new Map<string, { group: number; sender: string }>();
  let n = 0;
  const receivedCount = (): number => new Set(chatters.flatMap((m) => m.chatter.received())).size;
  const tick = (): void => {
    if (n >= MAX_PER_USER) return;
    for (const { chatter, group } of chatters) {
      const text = textOf(group, chatter.name, n);
      sent.set(text, { group, sender: chatter.name });
      chatter.say(text);
    }
    n++;
  };
  const ticker = setInterval(tick, TICK_MS);
  const started = Date.now();
  try {
    await waitFor('lines to flow', () => receivedCount() >= KILL_AT_RECEIVED || Date.now() - started > KILL_AFTER_MS, KILL_AFTER_MS + 5000);
    for (let i = 0; i < LAST_BURST; i++) tick();
  } finally {
    clearInterval(ticker);
  }
  await scene.kill();
  expect(n).toBeLessThan(MAX_PER_USER); // the kill came while the users were still sending
  const survives = (port: number): boolean => scene.survives?.(port) ?? false;
  await waitFor('every client of the killed process to see the connection drop', () => chatters.every((m) => survives(m.port) || m.chatter.closed()) && (survives(scene.ports(0).tcp) || outsider.closed), 20_000);

  // What each client received, and which lines reached anyone.
  const reached = new Map<string, { group: number; sender: string }>();
  for (const { chatter, group } of chatters) {
    for (const text of chatter.received()) {
      expect(text).toMatch(TOKEN);
      const line = sent.get(text);
      expect(line, `a line nobody sent: ${text}`).toBeDefined();
      expect(line!.group).toBe(group);
      expect(line!.sender).not.toBe(chatter.name);
      reached.set(text, line!);
    }
  }
  expect(reached.size).toBeGreaterThanOrEqual(100);

  const port = await scene.after();
  for (const m of chatters) if (survives(m.port)) expect(m.chatter.closed(), `${m.chatter.name} stays connected`).toBe(false);
  for (const m of chatters) m.chatter.close();
  outsider.socket.destroy();
  const lines = [...reached];
  for (const member of chatters) {
    const me = await loginWhenFree(port, member.chatter.name);
    // Every line of my group that anyone received is in my history, exactly once, as it was sent.
    const mine = lines.filter(([, l]) => l.group === member.group);
    const replies = await searchAll(me, mine.map(([text]) => text.split(' ')[2]!));
    replies.forEach((reply, i) => {
      const [text, line] = mine[i]!;
      expect(reply['matches'], `${member.chatter.name} searching ${text}`).toMatchObject([{ message: text, from: line.sender }]);
      expect(reply['omitted']).toBe(0);
    });
    // And no line of another group is.
    const others = await searchAll(me, Array.from({ length: GROUPS }, (_, g) => `grp${g}`).filter((w) => w !== `grp${member.group}`));
    for (const reply of others) expect(reply['matches']).toEqual([]);
    me.close();
  }
  const out = await loginWhenFree(port, 'cout');
  const [nothing] = await searchAll(out, ['crashload']);
  expect(nothing!['matches']).toEqual([]);
  expect(nothing!['omitted']).toBe(0);
}
