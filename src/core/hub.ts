/**
 * The hub: one place where users, groups, history and sonnets meet. It knows no front.
 * A front opens a session per native user with a `deliver` callback and gets back
 * `dispatch(action)` and `close()`; everything else is events.
 */
import type { Account, AccountStore, Identity } from './accounts.js';
import { authenticate, type AuthResult } from './auth.js';
import { ALONE_MSG, RESTART_MSG } from './classic.js';
import type { Clock } from './clock.js';
import { GroupTable, type Group, type Groups } from './groups.js';
import { HANDLERS, memberInfos, roomOf, type HubState } from './handlers.js';
import type { HistoryStore, StoredLine } from './history.js';
import type { Logger } from './log.js';
import { DEFAULT_LOGIN_LIMITS, LoginLimiter, type LoginLimits } from './login-limiter.js';
import { nameKey } from './names.js';
import { NO_OBSERVER, type DropReason, type HubObserver } from './observer.js';
import { ScryptHasher, type PasswordHasher } from './passwords.js';
import { PresenceTable, type Presence } from './presence.js';
import type { ClientAction, ErrorCode, Feature, ServerEvent } from './protocol.js';
import type { SonnetBook } from './sonnets.js';
import type { UserStateName } from './user-state.js';
import type { ValidationError } from './validate.js';

export interface HubLimits {
  /** Longest chat line accepted, in characters. */
  maxLineChars: number;
  /** Most history lines one search returns. */
  searchResults: number;
  /** Most sonnet lines one sonnet search returns. */
  sonnetHits: number;
}

export const DEFAULT_LIMITS: HubLimits = { maxLineChars: 8000, searchResults: 100, sonnetHits: 40 };

export interface HubDeps {
  history: HistoryStore;
  accounts: AccountStore;
  sonnets: SonnetBook;
  clock: Clock;
  log: Logger;
  limits?: Partial<HubLimits>;
  /** Told about traffic and timings (metrics); nobody by default. */
  observer?: HubObserver;
  /** Hashes and checks passwords; scrypt at its default cost unless given. */
  passwords?: PasswordHasher;
  /** How many failed password logins a name and an address may make; DEFAULT_LOGIN_LIMITS unless given. */
  loginLimits?: LoginLimits;
}

export interface SessionOptions {
  /** The front's name, shown to other users (`tcp`, `irc`, ...). */
  front: string;
  /** Receives every event for this user, in order. Must not throw. */
  deliver(event: ServerEvent): void;
  /** Features on from the start (gateway fronts want them all). */
  features?: readonly Feature[];
  /**
   * Who the front vouches this session belongs to. Such a session logs in under the name
   * bound to the identity; on its first login the name it asks for is derived and bound.
   */
  identity?: Identity;
  /** The peer's network address (failed logins are limited per address); none for fronts without one. */
  address?: string;
}

/** What a front holds for one of its users. */
export interface Session {
  readonly name: string | null;
  dispatch(action: ClientAction): void;
  /**
   * Proves the session holds the password account `name` (IRC SASL, before logging in); the
   * next login then takes that name. Resolves once the password is checked, off the event loop.
   */
  authenticate(name: string, password: string): Promise<AuthResult>;
  /** Answers input the front could not turn into an action (bad JSON, an unknown action, ...). */
  reject(error: ValidationError): void;
  /** Ends the session: the user leaves their group and goes offline. `reason` when the front dropped them. */
  close(reason?: DropReason): void;
}

/** The hub's record of one session. */
export class Member {
  name: string | null = null;
  key = '';
  /** Whose history this session reads and writes: the name key of a guest, an account's key. */
  historyKey = '';
  /** The newest line id when the session logged in: its memberships began after it. */
  since = 0;
  /** The account this session proved it holds (by password). */
  account: Account | null = null;
  /** A password is being checked or hashed for this session. */
  authenticating = false;
  closed = false;
  readonly features: Set<Feature>;

  constructor(
    readonly front: string,
    readonly deliver: (event: ServerEvent) => void,
    features: readonly Feature[],
    readonly identity: Identity | null,
    readonly address: string | null,
  ) {
    this.features = new Set(features);
  }
}

/** Counts for health and metrics. */
export interface HubStats {
  /** Online users per front name. */
  users: Map<string, number>;
  groups: number;
}

/** How a member leaves a group: removed by someone (a kick), with a reason, or gone offline. */
export interface Departure {
  by?: string;
  reason?: string;
  quit?: boolean;
}

interface PendingLine {
  line: StoredLine;
  group: Group<Member>;
  sender: Member;
  event: ServerEvent;
  /** performance.now() when the line was said. */
  at: number;
}

export class Hub implements HubState {
  readonly presence: Presence<Member> = new PresenceTable<Member>();
  readonly groups: Groups<Member>;
  readonly history: HistoryStore;
  readonly accounts: AccountStore;
  readonly sonnets: SonnetBook;
  readonly clock: Clock;
  readonly log: Logger;
  readonly limits: HubLimits;
  readonly observer: HubObserver;
  readonly passwords: PasswordHasher;
  readonly logins: LoginLimiter;
  private pending: PendingLine[] = [];
  /** Names no one may log in under (keys), e.g. a gateway's service user. */
  private readonly reserved = new Set<string>();
  private flushScheduled = false;
  /** Set by `shutdown`: no action is taken and no event delivered any more. */
  private shutDown = false;

  constructor(deps: HubDeps) {
    this.history = deps.history;
    this.accounts = deps.accounts;
    this.sonnets = deps.sonnets;
    this.clock = deps.clock;
    this.log = deps.log;
    this.limits = { ...DEFAULT_LIMITS, ...deps.limits };
    this.observer = deps.observer ?? NO_OBSERVER;
    this.passwords = deps.passwords ?? new ScryptHasher();
    this.logins = new LoginLimiter(deps.loginLimits ?? DEFAULT_LOGIN_LIMITS, () => this.clock.now().getTime());
    this.groups = new GroupTable<Member>(this.history.lastGroupId());
  }

  /** The seam every front uses: one session per native user. */
  open(options: SessionOptions): Session {
    const member = new Member(options.front, options.deliver, options.features ?? [], options.identity ?? null, options.address ?? null);
    return {
      get name() {
        return member.name;
      },
      dispatch: (action) => this.dispatch(member, action),
      authenticate: (name, password) => authenticate(this, member, name, password),
      reject: (error) => this.fail(member, error.code, error.msg, error.for),
      close: (reason) => {
        if (reason !== undefined && !member.closed) this.observer.dropped(member.front, reason);
        this.closeSession(member);
      },
    };
  }

  /** Keeps a name from every login on every front (a gateway's own service user, such as IRC's `ics`). */
  reserveName(name: string): void {
    this.reserved.add(nameKey(name));
  }

  /** Online users, for health and metrics. */
  onlineCount(): number {
    return this.presence.size;
  }

  /** Online users per front and the number of groups, for health and metrics (O(users)). */
  stats(): HubStats {
    const users = new Map<string, number>();
    for (const m of this.presence.list()) users.set(m.front, (users.get(m.front) ?? 0) + 1);
    return { users, groups: this.groups.size };
  }

  /** Writes everything queued and delivers pending lines; used before shutdown. */
  flush(): void {
    this.flushLines();
  }

  /**
   * The server is stopping: lines said so far are stored and delivered, then every user is told
   * the server is restarting. That is the last event anyone gets: the fronts close the sessions
   * next, and the leaves and dissolutions that follow would only be noise.
   */
  shutdown(): void {
    if (this.shutDown) return;
    this.flushLines();
    const event: ServerEvent = { action: 'restart', from: '', message: RESTART_MSG };
    for (const member of this.presence.list()) this.send(member, event);
    this.shutDown = true;
  }

  private dispatch(me: Member, action: ClientAction): void {
    if (me.closed || this.shutDown) return;
    this.observer.received(me.front, action.action);
    const handler = HANDLERS[action.action];
    const state = this.stateOf(me);
    if (!handler.states.includes(state)) {
      this.refuse(me, action.action, state);
      return;
    }
    try {
      (handler.run as (hub: HubState, me: Member, action: ClientAction) => void)(this, me, action);
    } catch (err) {
      this.log.error('handler failed', { action: action.action, user: me.name ?? '-', err: String(err) });
      this.fail(me, 'internal', 'the server hit an error handling that request; it was not carried out', action.action);
    }
  }

  stateOf(me: Member): UserStateName {
    if (me.name === null) return 'offline';
    return this.groups.of(me) ? 'chatting' : 'loggedin';
  }

  private refuse(me: Member, action: string, state: string): void {
    if (state === 'offline') this.fail(me, 'not-logged-in', 'log in first', action);
    else if (action === 'login') this.fail(me, 'already-logged-in', `you are logged in as ${me.name}`, action);
    else this.fail(me, 'not-chatting', 'you are not in a group: connect to someone first', action);
  }

  fail(me: Member, code: ErrorCode, msg: string, action?: string): void {
    this.send(me, action === undefined ? { action: 'error', code, msg } : { action: 'error', code, msg, for: action });
  }

  send(to: Member, event: ServerEvent): void {
    if (to.closed || this.shutDown) return;
    this.observer.delivered(to.front, event);
    try {
      to.deliver(event);
    } catch (err) {
      this.log.error('front failed to deliver an event', { user: to.name ?? '-', front: to.front, err: String(err) });
    }
  }

  /** Queues a stored line for delivery once it is committed (at the end of this turn at the latest). */
  queueLine(sender: Member, group: Group<Member>, line: StoredLine, event: ServerEvent): void {
    this.pending.push({ line, group, sender, event, at: performance.now() });
    this.scheduleFlush();
  }

  scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flushLines());
  }

  /** Commits queued history and then delivers the lines it holds: durable before anyone sees them. */
  flushLines(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    try {
      this.history.commit();
    } catch (err) {
      this.log.error('history commit failed', { lines: batch.length, err: String(err) });
      for (const p of batch) this.fail(p.sender, 'not-stored', 'your line could not be stored, so it was not delivered', 'exchange');
      return;
    }
    for (const { line, group, sender, event, at } of batch) {
      for (const m of group.members) {
        if (m.member !== sender && m.joinedAfter < line.id) this.send(m.member, event);
      }
      this.observer.fannedOut((performance.now() - at) / 1000);
    }
  }

  /**
   * Takes a member out of their group. An ad-hoc group left with one member dissolves and that
   * member is told; a room lives on while anyone is in it. `how` says who removed them (a kick),
   * why, and whether they left because their session closed (`quit`).
   */
  leaveGroup(me: Member, how: Departure = {}): void {
    const group = this.groups.remove(me);
    if (!group) return;
    this.history.left(me.historyKey, group.id);
    const reason = how.reason ? { reason: how.reason } : {};
    if (how.by !== undefined) {
      const msg = `${how.by} removed you from ${group.room ?? `group ${group.id}`}${how.reason ? `: ${how.reason}` : ''}`;
      this.send(me, { action: 'disconnect', msg, group: group.id, ...roomOf(group), by: how.by, ...reason });
    }
    const rest = group.members;
    if (group.room === undefined && rest.length === 1) {
      const last = rest[0]!.member;
      this.groups.remove(last);
      this.history.left(last.historyKey, group.id);
      this.send(last, { action: 'disconnect', msg: ALONE_MSG, group: group.id });
    } else if (rest.length > 0) {
      const event: ServerEvent = {
        action: 'leave',
        name: me.name!,
        group: group.id,
        members: memberInfos(group),
        ...reason,
        ...(how.by !== undefined ? { kickedBy: how.by } : {}),
        ...(how.quit ? { quit: true as const } : {}),
        ...(group.owner ? { owner: group.owner.name! } : {}),
      };
      for (const m of rest) if (m.member.features.has('events')) this.send(m.member, event);
    }
    this.scheduleFlush();
  }

  /** Tells users who watch presence that someone came or went. */
  announce(me: Member, status: 'online' | 'offline'): void {
    const event: ServerEvent = { action: 'presence', name: me.name!, front: me.front, status };
    for (const other of this.presence.list()) {
      if (other !== me && other.features.has('presence')) this.send(other, event);
    }
  }

  /** Logs the member in under `name` (already checked), its history under `historyKey`; false when the name is taken. */
  enter(me: Member, name: string, historyKey: string = nameKey(name)): boolean {
    if (this.reserved.has(nameKey(name)) || !this.presence.add(name, me)) return false;
    me.name = name;
    me.key = nameKey(name);
    me.historyKey = historyKey;
    me.since = this.history.newestId();
    this.announce(me, 'online');
    return true;
  }

  private closeSession(me: Member): void {
    if (me.closed) return;
    if (me.name !== null) {
      this.flushLines();
      this.leaveGroup(me, { quit: true });
      this.presence.remove(me.name, me);
      this.announce(me, 'offline');
    }
    me.closed = true;
  }
}
