/**
 * The hub: one place where users, groups, history and sonnets meet. It knows no front.
 * A front opens a session per native user with a `deliver` callback and gets back
 * `dispatch(action, label)` and `close()`; everything else is events. Presence, groups,
 * history and fan-out are interfaces handed in, so another process's engines can stand in.
 */
import type { AccountStore } from './accounts.js';
import type { Departure, HubLimits } from './actions/context.js';
import { runAction } from './actions/run.js';
import { LocalBus, type Bus, type Published } from './bus.js';
import { ALONE_MSG, RESTART_MSG } from './classic.js';
import { ClassicView } from './classic-view.js';
import type { Clock } from './clock.js';
import { GroupTable, type Group, type Groups } from './groups.js';
import { SeqTaken, type HistoryStore, type StoredLine } from './history.js';
import { DEFAULT_LIMITS, type HubDeps, type HubStats } from './hub-deps.js';
import { HubSession, type SessionHost } from './hub-session.js';
import { DEFAULT_ROOM_FORGET_MS, Keeper } from './keeper.js';
import { MemoryKeeps } from './keeps.js';
import type { Logger } from './log.js';
import { DEFAULT_LOGIN_LIMITS, LoginLimiter } from './login-limiter.js';
import { groupLabel, memberInfos, noticeMembers, roomOf } from './members.js';
import { nameKey } from './names.js';
import { NO_OBSERVER, type DropReason, type HubObserver } from './observer.js';
import { Operators } from './operators.js';
import { ScryptHasher, type PasswordHasher } from './passwords.js';
import { PresenceTable, type Presence } from './presence.js';
import type { ClientAction, ErrorCode, Label, ServerEvent } from './protocol.js';
import { isOnline, Member, sinkOf, type OnlineMember, type SessionOptions } from './session.js';
import type { SonnetBook } from './sonnets.js';
import { Takeover, type HostedHub, type HostedSession, type SessionState, type TakeoverHost } from './takeover.js';
import { lineText } from './text.js';

export type { Departure, HubLimits } from './actions/context.js';
export type { HubDeps, HubStats } from './hub-deps.js';

interface PendingLine {
  line: StoredLine;
  sender: Member;
  event: Extract<ServerEvent, { action: 'exchange' }>;
  /** performance.now() when the line was said. */
  at: number;
}

const DONE: Promise<void> = Promise.resolve();

export class Hub implements TakeoverHost, HostedHub, SessionHost {
  readonly presence: Presence<OnlineMember>;
  readonly groups: Groups<OnlineMember>;
  readonly history: HistoryStore;
  readonly accounts: AccountStore;
  readonly sonnets: SonnetBook;
  readonly clock: Clock;
  readonly log: Logger;
  readonly limits: HubLimits;
  readonly observer: HubObserver;
  readonly passwords: PasswordHasher;
  readonly logins: LoginLimiter;
  readonly operators: Operators;
  readonly keeper: Keeper;
  private readonly bus: Bus;
  private readonly view: ClassicView;
  private pending: PendingLine[] = [];
  /** Names no one may log in under (keys), e.g. a gateway's service user. */
  private readonly reserved = new Set<string>();
  private flushScheduled = false;
  /** Set by `shutdown`: no action is taken and no event delivered any more. */
  private shutDown = false;
  /** Sessions handed back from a hub that died (cluster mode), until the hand-over is over. */
  readonly takeover = new Takeover(this);

  constructor(deps: HubDeps) {
    this.history = deps.history;
    this.accounts = deps.accounts;
    this.sonnets = deps.sonnets;
    this.clock = deps.clock;
    this.log = deps.log;
    this.limits = { ...DEFAULT_LIMITS, ...deps.limits };
    this.observer = deps.observer ?? NO_OBSERVER;
    this.passwords = deps.passwords ?? new ScryptHasher();
    this.logins = new LoginLimiter(deps.loginLimits ?? DEFAULT_LOGIN_LIMITS, () => this.clock.now().getTime(), deps.loginBuckets);
    this.operators = new Operators(deps.operators ?? []);
    this.presence = deps.presence ?? new PresenceTable<OnlineMember>();
    this.groups = deps.groups ?? new GroupTable<OnlineMember>(this.history.lastGroupId(), () => this.clock.now().getTime());
    this.bus = deps.bus ?? new LocalBus();
    this.bus.subscribe((lines) => this.fanOut(lines));
    this.view = new ClassicView(this);
    this.keeper = new Keeper(this.history, this.groups, deps.keeps ?? new MemoryKeeps(), () => this.clock.now().getTime(), deps.roomForgetMs ?? DEFAULT_ROOM_FORGET_MS);
    this.keeper.reopen();
  }

  /** The seam every front uses: one session per native user. */
  open(options: SessionOptions): HostedSession {
    return this.sessionOf(new Member(options.front, sinkOf(options), options.features ?? [], options.identity ?? null, options.address ?? null, options.node ?? null));
  }

  restore(options: SessionOptions, state: SessionState): HostedSession | null {
    const member = this.takeover.restore(options, state);
    return member && this.sessionOf(member);
  }

  private sessionOf(member: Member): HostedSession {
    return new HubSession(this, member);
  }

  /** Keeps a name from every login on every front (a gateway's own service user, such as IRC's `ics`). */
  reserveName(name: string): void {
    this.reserved.add(nameKey(name));
  }

  isReserved(name: string): boolean {
    return this.reserved.has(nameKey(name));
  }

  /** Online users, for health and metrics. */
  onlineCount(): number {
    return this.presence.size;
  }

  /** Online users per front and the number of groups, for health and metrics (O(users)). */
  stats(): HubStats {
    const users = new Map<string, number>();
    for (const m of this.presence.values()) users.set(m.front, (users.get(m.front) ?? 0) + 1);
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
    for (const member of this.presence.list()) this.deliver(member, event);
    this.shutDown = true;
  }

  /** Runs the action after the session's earlier ones; resolves once its answers are delivered. */
  dispatchFor(me: Member, action: ClientAction, label?: Label): Promise<void> {
    if (me.busy) {
      const next = me.busy.then(() => this.run(me, action, label));
      return this.settle(me, next);
    }
    const ran = this.run(me, action, label);
    return ran === undefined ? DONE : this.settle(me, ran);
  }

  /** Keeps the session's later actions behind a running one. */
  private settle(me: Member, running: Promise<void>): Promise<void> {
    const done = running.finally(() => {
      if (me.busy === done) me.busy = null;
    });
    me.busy = done;
    return done;
  }

  /** Checks the action's preconditions once, centrally, and runs its handler; a handler's bug is answered, never thrown. */
  private run(me: Member, action: ClientAction, label: Label | undefined): Promise<void> | undefined {
    if (me.closed || this.shutDown) return undefined;
    this.observer.received(me.front, action.action);
    try {
      const result = runAction(this, me, action, label);
      return result?.catch((err: unknown) => this.handlerFailed(me, action, label, err));
    } catch (err) {
      this.handlerFailed(me, action, label, err);
      return undefined;
    }
  }

  /** A handler's bug: logged with its context and answered, never thrown at the front. */
  private handlerFailed(me: Member, action: ClientAction, label: Label | undefined, err: unknown): void {
    this.log.error('handler failed', { action: action.action, user: me.name ?? '-', err: String(err) });
    this.fail(me, 'internal', 'the server hit an error handling that request; it was not carried out', action.action, label);
  }

  fail(me: Member, code: ErrorCode, msg: string, action?: string, label?: Label): void {
    this.reply(me, action === undefined ? { action: 'error', code, msg } : { action: 'error', code, msg, for: action }, label);
  }

  /** An answer to the member's own request: delivered as it is, with the request's label. */
  reply(to: Member, event: ServerEvent, label?: Label): void {
    this.deliver(to, event, label);
  }

  /** Something the member did not ask for: a session without `rooms` sees it through the classic view. */
  push(to: OnlineMember, event: ServerEvent): void {
    if (to.rooms) this.deliver(to, event);
    else this.view.push(to, event);
  }

  /** Hands an event to the member's front. */
  deliver(to: Member, event: ServerEvent, label?: Label): void {
    if (to.closed || this.shutDown) return;
    this.observer.delivered(to.front, event);
    try {
      if (label === undefined) to.deliver(event);
      else to.deliver(event, label);
    } catch (err) {
      this.log.error('front failed to deliver an event', { user: to.name ?? '-', front: to.front, err: String(err) });
    }
  }

  /** Queues a stored line for delivery once it is committed (at the end of this turn at the latest). */
  queueLine(sender: Member, line: StoredLine, event: Extract<ServerEvent, { action: 'exchange' }>): void {
    this.pending.push({ line, sender, event, at: performance.now() });
    this.scheduleFlush();
  }

  scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flushLines());
  }

  /** Commits queued history and then publishes the lines it holds: durable before anyone sees them. */
  flushLines(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    try {
      this.history.commit();
    } catch (err) {
      this.log.error('history commit failed', { lines: batch.length, err: String(err) });
      for (const p of batch) this.fail(p.sender, 'not-stored', 'your line could not be stored, so it was not delivered', p.event.direct ? 'direct' : 'exchange');
      if (err instanceof SeqTaken) this.numberOnFromStored(batch);
      return;
    }
    if (batch.length === 0) return;
    this.bus.publish(batch.map((p): Published => ({ group: p.line.group, seq: p.line.seq, senderKey: p.sender.key, event: p.event, at: p.at })));
  }

  /** Another server stored lines in these lines' groups: their next lines are numbered after the last one stored. */
  private numberOnFromStored(batch: readonly { line: StoredLine }[]): void {
    for (const id of new Set(batch.map((p) => p.line.group))) {
      const group = this.groups.get(id);
      if (!group) continue;
      try {
        this.groups.skipTo(group, this.history.lastSeq(id));
      } catch (err) {
        this.log.warn('the last stored line of a group could not be read; its next lines may be refused again', { group: id, err: String(err) });
      }
    }
  }

  /** Delivers published lines to the members of their groups who were in before each was said (to the sender too, with `echo`). */
  private fanOut(lines: readonly Published[]): void {
    for (const { group: id, seq, senderKey, event, at } of lines) {
      const group = this.groups.get(id);
      if (!group) continue;
      for (const m of group.members) {
        if (m.afterSeq >= seq) continue;
        if (m.member.key === senderKey) {
          if (m.member.features.has('echo')) this.push(m.member, event);
          continue;
        }
        if (m.member.focus !== id) this.groups.missed(group, m);
        this.push(m.member, event);
      }
      this.observer.fannedOut((performance.now() - at) / 1000);
    }
  }

  /** Adds the member to the group (history from now on) unless they are in it; true when added. */
  join(me: OnlineMember, group: Group<OnlineMember>): boolean {
    if (!this.groups.add(group, me)) return false;
    this.keeper.joined(me, group);
    this.scheduleFlush();
    return true;
  }

  /** Makes the group the member's focus and clears its unread count. */
  setFocus(me: OnlineMember, group: Group<OnlineMember> | null): void {
    const id = group?.id ?? null;
    if (id !== me.focus) this.view.refocused(me);
    me.focus = id;
    if (group) this.groups.caughtUp(group, me);
  }

  /**
   * Takes a member out of a group. An ad-hoc group or a direct conversation left with one member
   * ends and that member is told (a conversation of one would take lines nobody reads; the
   * pair's next direct line brings it back under its id); a room lives on while anyone is in it.
   * `how` says who removed them (a kick), why, and whether they went offline.
   */
  leaveGroup(me: OnlineMember, group: Group<OnlineMember>, how: Departure = {}): void {
    if (!this.groups.remove(group, me)) return;
    // A registered member going offline keeps their rooms and conversations (core/keeper.ts).
    this.keeper.left(me, group, how.quit === true);
    if (how.by !== undefined) {
      const msg = `${how.by} removed you from ${groupLabel(group)}${how.reason ? `: ${how.reason}` : ''}`;
      this.push(me, { action: 'disconnect', msg, group: group.id, ...roomOf(group), by: how.by, ...(how.reason ? { reason: how.reason } : {}) });
    }
    this.departed(group, me.name, how);
    if (!how.quit) this.focusLeft(me, group);
    this.scheduleFlush();
  }

  /** Tells the group's members that `name` left it; an ad-hoc group or a direct conversation left with one member ends. */
  departed(group: Group<OnlineMember>, name: string, how: Departure): void {
    const reason = how.reason ? { reason: how.reason } : {};
    const rest = group.members;
    if (group.kind !== 'room' && rest.length === 1) {
      const last = rest[0]!.member;
      // Told while still in the group, so the classic view can name it.
      this.push(last, { action: 'disconnect', msg: ALONE_MSG, group: group.id });
      this.groups.remove(group, last);
      this.keeper.left(last, group, false);
      this.focusLeft(last, group);
    } else if (rest.length > 0) {
      const event: ServerEvent = {
        action: 'leave',
        name,
        group: group.id,
        ...noticeMembers(group),
        ...reason,
        ...(how.by !== undefined ? { kickedBy: how.by } : {}),
        ...(how.quit ? { quit: true as const } : {}),
        ...(group.owner ? { owner: group.owner.name } : {}),
      };
      for (const m of rest) if (m.member.features.has('events')) this.push(m.member, event);
    }
  }

  /** After a member left its focus: the focus moves to another of its groups, and the member is told. */
  private focusLeft(me: OnlineMember, group: Group<OnlineMember>): void {
    if (me.focus !== group.id) return;
    this.setFocus(me, null);
    if (me.rooms) {
      const next = this.groups.of(me).at(-1);
      const unread = next ? this.groups.membership(next, me)!.unread : 0;
      if (next) this.setFocus(me, next);
      this.push(me, next ? { action: 'focus', group: next.id, title: groupLabel(next, me), kind: next.kind, members: memberInfos(next), unread } : { action: 'focus', group: null });
    } else this.view.focusLeft(me, group);
  }

  /** Tells users who watch presence that someone came or went. */
  announce(me: OnlineMember, status: 'online' | 'offline'): void {
    const event: ServerEvent = { action: 'presence', name: me.name, front: me.front, status };
    for (const other of this.presence.values()) {
      if (other !== me && other.features.has('presence')) this.push(other, event);
    }
  }

  /** Logs the member in under `name` (already checked), its history under `historyKey`; false when the name is taken. */
  enter(me: Member, name: string, historyKey: string = nameKey(name), announce = true): me is OnlineMember {
    if (this.reserved.has(nameKey(name))) return false;
    const online = Object.assign(me, { name });
    if (!this.presence.add(name, online)) {
      me.name = null;
      return false;
    }
    me.key = nameKey(name);
    me.historyKey = historyKey;
    me.since = this.history.mark();
    if (announce) this.announce(online, 'online');
    return true;
  }

  /**
   * Ends the member's session as if their connection closed, the others seeing `reason` as they
   * quit; then tells them why, as the last event they get (`killed`), so their front closes the
   * connection. Their front's own close that follows finds the session closed already.
   */
  kill(victim: OnlineMember, by: string, reason: string): void {
    this.closeSession(victim, `Killed (${by} (${reason}))`);
    const event: ServerEvent = { action: 'error', code: 'killed', msg: `${by} ended your connection: ${reason}` };
    this.observer.delivered(victim.front, event);
    try {
      victim.deliver(event);
    } catch (err) {
      this.log.error('front failed to deliver an event', { user: victim.name, front: victim.front, err: String(err) });
    }
  }

  /** A front ends the member's session (`reason` when it dropped them). */
  endSession(me: Member, reason?: DropReason, message?: string): void {
    if (reason !== undefined && !me.closed) this.observer.dropped(me.front, reason);
    this.closeSession(me, message);
  }

  private closeSession(me: Member, message?: string): void {
    if (me.closed) return;
    if (isOnline(me)) {
      this.flushLines();
      const reason = message === undefined ? '' : lineText(message).trim();
      for (const group of [...this.groups.of(me)]) this.leaveGroup(me, group, reason === '' ? { quit: true } : { quit: true, reason });
      me.focus = null;
      this.presence.remove(me.name, me);
      this.announce(me, 'offline');
    }
    me.closed = true;
  }
}
