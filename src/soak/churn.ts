/**
 * The soak's load: group lives and lurkers. A group life logs fresh users in on all three
 * fronts, forms an ad-hoc group (`c peer`) or a room, chats in rounds at a steady rate, and
 * between rounds changes its membership (a newcomer joins, a member says bye or logs out),
 * until it dissolves and its last users log out; then the slot starts a new life. Membership
 * changes only between rounds, once every line so far has arrived and every member's view of
 * the group (from the server's own events) is what the soak expects, so the receivers of each
 * line are known. Each round a member searches for a line it received, or asks for a sonnet.
 * Lurkers stay logged in throughout, outside any group, and ask for sonnets and searches.
 */
import { toRoman } from '../core/roman.js';
import type { SoakClient, SoakFront } from './clients.js';
import type { Ledger } from './ledger.js';
import type { ProblemKind, Problems } from './problems.js';

export const FRONTS: readonly SoakFront[] = ['tcp', 'irc', 'web'];

/** How long the churn waits for the server to catch up (views to settle, lines to arrive). */
export const SETTLE_MS = 30_000;
const MIN_MEMBERS = 2;
const MAX_MEMBERS = 6;
const ROUND_MS = [3000, 7000] as const;
const ROUNDS = [3, 7] as const;
const LURK_MS = 4000;
const WORDS = ['summer', 'rose', 'time', 'love', 'beauty', 'winter', 'eye', 'heart', 'truth', 'night'];

export interface Activity {
  logins: number;
  logouts: number;
  adHocGroups: number;
  rooms: number;
  joins: number;
  byes: number;
  quits: number;
  searches: number;
  poems: number;
}

export interface ChurnContext {
  /** After this (performance.now()), no new round or life starts. */
  until: number;
  ratePerGroup: number;
  ledger: Ledger;
  problems: Problems;
  activity: Activity;
  random(): number;
  /** Logs a fresh user in on `front`. */
  newUser(front: SoakFront): Promise<SoakClient>;
}

/** Paces the load (never a wait for the server: that is `until`). */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `done` until it holds or `ms` pass; resolves with whether it held. */
export async function until(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/** Ends a group life early; the life's catch records it as a problem of its kind. */
class ChurnFailure extends Error {
  constructor(
    readonly kind: ProblemKind,
    message: string,
  ) {
    super(message);
  }
}

const between = (ctx: ChurnContext, [lo, hi]: readonly [number, number]): number => lo + Math.floor(ctx.random() * (hi - lo + 1));
const pick = <T>(ctx: ChurnContext, items: readonly T[]): T => items[Math.floor(ctx.random() * items.length)]!;
const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => a.size === b.size && [...a].every((x) => b.has(x));

class GroupLife {
  private members: SoakClient[] = [];
  /** Lines sent since the last drain. */
  private inFlight: number[] = [];
  /** The lines of the last round that had any: what members search for. */
  private delivered: number[] = [];
  private joined = 0;

  constructor(
    private readonly ctx: ChurnContext,
    private readonly slot: number,
    private readonly room: string | null,
  ) {}

  /** Members cycle through the fronts, so every group mixes them. */
  private nextFront(): SoakFront {
    return FRONTS[(this.slot + this.joined++) % FRONTS.length]!;
  }

  private expectedView(): Set<string> {
    return this.room === null && this.members.length < 2 ? new Set() : new Set(this.members.map((m) => m.name));
  }

  /** Waits until every member sees the group as it is; a mismatch is a problem and ends the life. */
  private async settle(what: string): Promise<void> {
    const expected = this.expectedView();
    const wrong = (): SoakClient[] => this.members.filter((m) => !sameSet(m.members, expected));
    if (await until(() => wrong().length === 0, SETTLE_MS)) return;
    const detail = wrong().map((m) => `${m.name} sees [${[...m.members].join(' ')}]`).join('; ');
    throw new ChurnFailure('membership', `after ${what}, expected [${[...expected].join(' ')}]: ${detail}`);
  }

  async run(): Promise<void> {
    const { ctx } = this;
    try {
      const first = await this.login();
      this.members.push(first);
      if (this.room !== null) {
        await first.joinRoom(this.room);
        ctx.activity.rooms++;
      } else {
        ctx.activity.adHocGroups++;
      }
      await this.settle('forming');
      const size = between(ctx, [3, 5]);
      while (this.members.length < size) await this.join();
      const rounds = between(ctx, ROUNDS);
      for (let r = 0; r < rounds && performance.now() < ctx.until; r++) {
        await Promise.all([this.chat(between(ctx, ROUND_MS)), this.query()]);
        await this.drain();
        await this.change();
      }
      while (this.members.length > 0) await this.depart(this.members[this.members.length - 1]!, ctx.random() < 0.5 ? 'bye' : 'quit');
    } catch (err) {
      ctx.problems.add(err instanceof ChurnFailure ? err.kind : 'request', `group ${this.slot}`, err instanceof Error ? err.message : String(err));
      await this.drain();
      for (const m of this.members) this.logout(m);
      this.members = [];
    }
  }

  private async login(): Promise<SoakClient> {
    const client = await this.ctx.newUser(this.nextFront());
    this.ctx.activity.logins++;
    return client;
  }

  private logout(client: SoakClient): void {
    client.logout();
    this.ctx.activity.logouts++;
  }

  private async join(): Promise<void> {
    const client = await this.login();
    try {
      if (this.room !== null) await client.joinRoom(this.room);
      else await client.connectTo(pick(this.ctx, this.members).name);
    } catch (err) {
      this.logout(client);
      throw err;
    }
    this.members.push(client);
    this.ctx.activity.joins++;
    await this.settle(`${client.name} joined`);
  }

  private async depart(client: SoakClient, how: 'bye' | 'quit'): Promise<void> {
    this.members = this.members.filter((m) => m !== client);
    if (how === 'bye') {
      client.leave();
      this.ctx.activity.byes++;
      await this.settle(`${client.name} said bye`);
      this.logout(client);
    } else {
      this.logout(client);
      this.ctx.activity.quits++;
      await this.settle(`${client.name} logged out`);
    }
    // An ad-hoc group of one has dissolved: its last member is alone and logs out too.
    if (this.room === null && this.members.length === 1) {
      this.logout(this.members[0]!);
      this.members = [];
    }
  }

  /** One membership change between rounds. */
  private async change(): Promise<void> {
    const n = this.members.length;
    const grow = n < MAX_MEMBERS && (n <= MIN_MEMBERS || this.ctx.random() < 0.45);
    if (grow) return this.join();
    return this.depart(pick(this.ctx, this.members), this.ctx.random() < 0.5 ? 'bye' : 'quit');
  }

  /** Sends lines at the group's rate for `ms`, each from a random member to the others. */
  private async chat(ms: number): Promise<void> {
    const gap = 1000 / this.ctx.ratePerGroup;
    const end = performance.now() + ms;
    for (let next = performance.now(); next < end; next += gap) {
      await sleep(Math.max(0, next - performance.now()));
      const sender = pick(this.ctx, this.members);
      const receivers = this.members.filter((m) => m !== sender).map((m) => m.name);
      const { id, text } = this.ctx.ledger.line(sender.name, receivers, `${pick(this.ctx, WORDS)} ${pick(this.ctx, WORDS)}`);
      sender.say(text);
      this.inFlight.push(id);
    }
  }

  /** Waits until every line sent so far has reached all its receivers (or the wait runs out: lost). */
  private async drain(): Promise<void> {
    const ids = this.inFlight;
    await until(() => this.ctx.ledger.delivered(ids), SETTLE_MS);
    this.delivered = ids.length > 0 ? ids : this.delivered;
    this.inFlight = [];
  }

  /** A search for a line some member received (it must be in their history), or a sonnet. */
  private async query(): Promise<void> {
    const { ctx } = this;
    const id = this.delivered.length > 0 ? pick(ctx, this.delivered) : null;
    const searcher = id === null ? undefined : this.members.find((m) => ctx.ledger.has(m.name, id));
    if (id !== null && searcher) {
      ctx.activity.searches++;
      const found = await searcher.search(`s${id}`);
      if (!found.some((text) => text.includes(`s${id} `))) ctx.problems.add('request', searcher.name, `search s${id} did not find the line: ${found.join(' / ').slice(0, 160)}`);
      return;
    }
    await askPoem(ctx, pick(ctx, this.members));
  }
}

async function askPoem(ctx: ChurnContext, client: SoakClient): Promise<void> {
  const n = 1 + Math.floor(ctx.random() * 154);
  ctx.activity.poems++;
  const title = await client.poem(n);
  if (title !== `${toRoman(n)}.`) ctx.problems.add('request', client.name, `poem ${n} came back as ${JSON.stringify(title.slice(0, 40))}`);
}

/** Group slot `slot`: lives one after another, alternating ad-hoc groups and rooms (odd slots start with a room), until the soak ends. */
export async function groupSlot(ctx: ChurnContext, slot: number): Promise<void> {
  for (let life = 0; performance.now() < ctx.until; life++) {
    await new GroupLife(ctx, slot, (slot + life) % 2 === 1 ? `#soak${slot}-${life}` : null).run();
  }
}

/** A user who stays online all along, in no group, asking for sonnets and searching for words. */
export async function lurk(ctx: ChurnContext, client: SoakClient): Promise<void> {
  while (performance.now() < ctx.until) {
    await sleep(LURK_MS * (0.5 + ctx.random()));
    try {
      if (ctx.random() < 0.5) {
        await askPoem(ctx, client);
      } else {
        ctx.activity.searches++;
        const found = await client.search(pick(ctx, WORDS));
        if (found.some((text) => /\bs\d+ /.test(text))) ctx.problems.add('request', client.name, `a search found lines a lurker never saw: ${found.join(' / ').slice(0, 160)}`);
      }
    } catch (err) {
      ctx.problems.add('request', client.name, err instanceof Error ? err.message : String(err));
    }
  }
}
