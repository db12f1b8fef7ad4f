/**
 * IRC sessions on a real in-process hub (in-memory SQLite), without sockets: for unit tests of
 * the verb table and the translation. Lines go in through `send`, one after another as the
 * connection runs them (each waits for the one before), and come out of the session's reply
 * buffer exactly as the socket would carry them.
 */
import { Hub } from '../../src/core/hub.js';
import type { Logger } from '../../src/core/log.js';
import type { OperatorEntry } from '../../src/core/operators.js';
import { ScryptHasher } from '../../src/core/passwords.js';
import type { Feature, ServerEvent } from '../../src/core/protocol.js';
import { parseSonnets, SonnetBook } from '../../src/core/sonnets.js';
import { SERVICE_NICK, sharedState, type IrcShared } from '../../src/bridges/irc/client.js';
import { IrcSession } from '../../src/bridges/irc/session.js';
import { parseMessage } from '../../src/bridges/irc/message.js';
import { readConfig } from '../../src/server/config.js';
import { SqliteAccounts } from '../../src/store/sqlite-accounts.js';
import { SqliteHistory } from '../../src/store/sqlite-history.js';

const sonnets = new SonnetBook(parseSonnets('I.\n\nFrom fairest creatures we desire increase,\nThat thereby beauty\'s rose might never die,\n'));

export interface TestSession {
  s: IrcSession;
  /** Sends raw lines (without CR LF); resolves once their handlers have finished. */
  send(...lines: string[]): Promise<void>;
  /** Everything written since the last call, one entry per line. */
  take(): string[];
  /** The text of the ERROR the session closed with, if it did. */
  closedWith: string | null;
}

/**
 * `operators`: the server operators OPER proves (none by default); `now`: the clock (by default
 * always 2026-11-25 14:30 UTC); `env`: settings as the environment gives them.
 */
export function ircHarness(motd: readonly string[] = [], operators: OperatorEntry[] = [], { now, env = {} }: { now?: () => Date; env?: Record<string, string> } = {}) {
  const logs: string[] = [];
  const record = (level: string): Logger['info'] => (msg, fields) => logs.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`);
  const log: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  const clock = { now: now ?? (() => new Date(Date.UTC(2026, 10, 25, 14, 30))) };
  // A cheap password cost keeps the tests fast (each hash carries its cost).
  const passwords = new ScryptHasher({ logN: 10, r: 8, p: 1 });
  const hub = new Hub({ history: new SqliteHistory(':memory:'), accounts: new SqliteAccounts(':memory:'), sonnets, clock, log, passwords, operators });
  hub.reserveName(SERVICE_NICK);
  const shared: IrcShared = sharedState({
    config: readConfig(env).irc,
    motd,
    startedAt: clock.now(),
    clock,
    log,
    open: (options) => hub.open(options),
  });

  function session(address: string | null = null): TestSession {
    const t: TestSession = {
      s: undefined as unknown as IrcSession,
      send: async (...lines) => {
        for (const line of lines) {
          const m = parseMessage(line);
          if (m) await t.s.handle(m);
        }
      },
      take: () => t.s.out.take().split('\r\n').filter((l) => l !== ''),
      closedWith: null,
    };
    t.s = new IrcSession(shared, { written: () => undefined, close: (text) => (t.closedWith = text) }, address);
    return t;
  }

  /** A registered IRC user, welcome already taken. */
  async function irc(nick: string): Promise<TestSession> {
    const t = session();
    await t.send(`NICK ${nick}`, `USER ${nick} 0 * :${nick}`);
    t.take();
    return t;
  }

  /** A user of another front, recording the events it gets; a classic one-group user unless `rooms` is among its features. */
  async function other(name: string, front = 'tcp', features: Feature[] = ['events']) {
    const events: ServerEvent[] = [];
    const session = hub.open({ front, deliver: (e) => events.push(e), features });
    await session.dispatch({ action: 'login', name });
    return { session, events, say: (message: string) => session.dispatch({ action: 'exchange', message }) };
  }

  return { hub, shared, logs, session, irc, other };
}

/** Lets the hub commit and deliver the lines queued this turn. */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
