/** What a hub is built from (its engines, handed in or made in process) and the counts it reports. */
import type { AccountStore } from './accounts.js';
import type { HubLimits } from './actions/context.js';
import type { Bus } from './bus.js';
import type { Clock } from './clock.js';
import type { Groups } from './groups.js';
import type { HistoryStore } from './history.js';
import type { KeepStore } from './keeps.js';
import type { Logger } from './log.js';
import type { LoginBucketsFactory, LoginLimits } from './login-limiter.js';
import type { HubObserver } from './observer.js';
import type { OperatorEntry } from './operators.js';
import type { PasswordHasher } from './passwords.js';
import type { Presence } from './presence.js';
import type { OnlineMember } from './session.js';
import type { SonnetBook } from './sonnets.js';

export const DEFAULT_LIMITS: HubLimits = { maxLineChars: 8000, searchResults: 100, sonnetHits: 40, historyPage: 100, missedLines: 50 };

export interface HubDeps {
  history: HistoryStore;
  accounts: AccountStore;
  /** Registered users' rooms and direct conversations while they are away, and resting rooms; in process unless given. */
  keeps?: KeepStore;
  /** How long a room nobody is in and no registered member keeps is remembered (topic, lock, modes); a day unless given. */
  roomForgetMs?: number;
  sonnets: SonnetBook;
  clock: Clock;
  log: Logger;
  limits?: Partial<HubLimits>;
  /** Who is online; an in-process table unless given. */
  presence?: Presence<OnlineMember>;
  /** Groups and their members; an in-process table (ids after the history's last) unless given. */
  groups?: Groups<OnlineMember>;
  /** Carries committed lines to their members; in-process unless given. */
  bus?: Bus;
  /** Told about traffic and timings (metrics); nobody by default. */
  observer?: HubObserver;
  /** Hashes and checks passwords; scrypt at its default cost unless given. */
  passwords?: PasswordHasher;
  /** How many failed password logins a name and an address may make; DEFAULT_LOGIN_LIMITS unless given. */
  loginLimits?: LoginLimits;
  /** Where failed logins are counted; in process unless given (a cluster counts them in PostgreSQL). */
  loginBuckets?: LoginBucketsFactory;
  /** Server operators (`oper`); none unless given. */
  operators?: readonly OperatorEntry[];
}

/** Counts for health and metrics. */
export interface HubStats {
  /** Online users per front name. */
  users: Map<string, number>;
  groups: number;
}
