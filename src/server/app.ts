/**
 * The composition root: config -> stores -> hub -> fronts. `startServer` is what `npm start`
 * runs and what integration tests start in-process on port 0.
 */
import { readFileSync } from 'node:fs';
import { systemClock, type Clock } from '../core/clock.js';
import type { Front, NameReserver, SessionOpener } from '../core/front.js';
import type { HubObserver } from '../core/observer.js';
import { Hub } from '../core/hub.js';
import type { Logger } from '../core/log.js';
import { ScryptHasher } from '../core/passwords.js';
import { Admission } from '../net/admission.js';
import { parseSonnets, SonnetBook, SonnetFormatError } from '../core/sonnets.js';
import { WebFront } from '../bridges/web/web-front.js';
import type { StatusSource } from '../bridges/web/http.js';
import { LeasedPresence } from '../cluster/leased-presence.js';
import type { Config, FrontName } from './config.js';
import { Metrics } from './metrics.js';
import { ServerStatus } from './status.js';
import { StartupError } from './startup-error.js';
import { openStores, type Stores } from './stores.js';
import { TcpFront } from './tcp/tcp-front.js';
import { IrcFront } from '../bridges/irc/irc-front.js';

export interface FrontContext {
  /** Where the front's sessions go: the hub, or in a cluster this node's link to it. */
  hub: SessionOpener & NameReserver;
  config: Config;
  log: Logger;
  clock: Clock;
  /** Health and metrics, for a front that serves them. */
  status: StatusSource;
  /** The connection caps every connection-based front shares. */
  admission: Admission;
}

/** The front registry: adding a front is one folder and one line here. */
export const FRONT_FACTORIES: Record<FrontName, (ctx: FrontContext) => Front | Promise<Front>> = {
  tcp: ({ hub, config, log, admission }) => new TcpFront(hub, config.tcp, log, admission),
  irc: ({ hub, config, log, clock, admission }) => new IrcFront(hub, config.irc, log, clock, admission),
  // discord.js takes a good part of a second to load: only when the front will run.
  discord: async ({ hub, config, log }) => {
    if (!config.discord) return offFront('discord', log, 'DISCORD_TOKEN is not set (see the README, section "Discord")');
    const { DiscordFront } = await import('../bridges/discord/discord-front.js');
    return new DiscordFront(hub, config.discord, log);
  },
  web: ({ hub, config, log, status, admission }) => new WebFront(hub, config.web, status, log, admission),
};

/** A configured front that cannot run: it says why once at start, and reports itself off. */
function offFront(name: string, log: Logger, why: string): Front {
  return {
    name,
    start: async () => log.info(`${name} front is off: ${why}`),
    stopAccepting: () => undefined,
    stop: async () => undefined,
    state: () => 'off',
  };
}

export interface RunningServer {
  readonly hub: Hub;
  readonly fronts: ReadonlyMap<FrontName, Front>;
  readonly status: ServerStatus;
  /**
   * Stops accepting on every front, tells every user the server is restarting, stops every front
   * (each sends what is queued, then closes), then flushes and closes the database. Safe to call twice.
   */
  stop(): Promise<void>;
}

export function loadSonnets(file: string): SonnetBook {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new StartupError(`cannot read the sonnets file ${file} (SONNETS_FILE): ${(err as Error).message}`);
  }
  try {
    return new SonnetBook(parseSonnets(text));
  } catch (err) {
    if (err instanceof SonnetFormatError) throw new StartupError(`the sonnets file ${file} is malformed: ${err.message}`);
    throw err;
  }
}

/** The hub over the stores, with the limits, password cost and operators the config gives. */
export function hubFor(config: Config, stores: Stores, sonnets: SonnetBook, clock: Clock, log: Logger, observer: HubObserver): Hub {
  const { names } = stores;
  // Other nodes' leases count while they may still hand their sessions to this hub.
  const presence = names && new LeasedPresence(names.leases, names.node, () => hub.takeover.open, log);
  const hub: Hub = new Hub({
    history: stores.history,
    accounts: stores.accounts,
    keeps: stores.keeps,
    roomForgetMs: config.roomForgetMs,
    sonnets,
    clock,
    log,
    limits: { maxLineChars: config.maxLineChars, missedLines: config.missedLines },
    observer,
    passwords: new ScryptHasher(config.accounts.scrypt),
    loginLimits: config.accounts.loginLimits,
    ...(stores.loginBuckets ? { loginBuckets: stores.loginBuckets } : {}),
    operators: config.accounts.operators,
    ...(presence ? { presence } : {}),
  });
  return hub;
}

export async function startServer(config: Config, log: Logger, clock: Clock = systemClock): Promise<RunningServer> {
  const sonnets = loadSonnets(config.sonnetsFile);
  const stores = openStores(config, log);
  const { history } = stores;
  const fronts = new Map<FrontName, Front>();
  const metrics: Metrics = new Metrics({
    fronts: () => new Map([...fronts].map(([name, front]) => [name, front.state()])),
    users: () => hub.stats().users,
    groups: () => hub.groups.size,
    historyLines: () => history.lineCount(),
    indexLag: () => history.indexLag(),
    indexMerging: () => history.indexMerging(),
  });
  const hub: Hub = hubFor(config, stores, sonnets, clock, log, metrics);
  const admission = new Admission(config.admission, log);
  const status = new ServerStatus({
    users: () => hub.stats().users,
    groups: () => hub.groups.size,
    database: () => {
      const problem = history.problem();
      return problem === null ? { ok: true, lines: history.lineCount() } : { ok: false, problem };
    },
    fronts,
    clock,
    metrics,
    admission,
  });
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      for (const front of fronts.values()) front.stopAccepting();
      hub.shutdown();
      await Promise.all([...fronts.values()].map((f) => f.stop()));
      hub.flush();
      await stores.close();
    })());
  try {
    for (const name of config.fronts) {
      const front = await FRONT_FACTORIES[name]({ hub, config, log, clock, status, admission });
      fronts.set(name, front);
      await front.start();
    }
  } catch (err) {
    await stop();
    throw err;
  }
  log.info('ready', { fronts: config.fronts.join(','), sonnets: sonnets.count, data: stores.where });
  return { hub, fronts, status, stop };
}
