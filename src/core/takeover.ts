/**
 * A hub taking over from one that died (cluster mode): the nodes hand it back their live sessions
 * as the last hub described them, and it runs them on as if nothing had happened. Nobody is shown
 * a join, a leave or a login for a session carried over; group ids and sequence numbers go on from
 * the history, so nothing said before is numbered again. Members nobody hands back (they were on
 * the node that died) are told, once the hand-over window closes (`settle`), to have quit, as a
 * vanished user does.
 */
import type { Departure, HubState } from './actions/context.js';
import type { NameReserver } from './front.js';
import type { Ban, Group, GroupModes, Groups } from './groups.js';
import type { Feature, GroupKind, MemberInfo, ServerEvent } from './protocol.js';
import { HistoryUnavailable, type FoundLine } from './history.js';
import { memberInfos } from './members.js';
import { nameKey } from './names.js';
import { Member, sinkOf, type OnlineMember, type Session, type SessionOptions } from './session.js';

/** What a node keeps of one of its logged-in sessions, so that another hub can run it on. */
export interface SessionState {
  name: string;
  historyKey: string;
  /** The name key of the password account the session proved it holds, if any. */
  account: string | null;
  oper: string | null;
  away: string | null;
  /** The features on now (those the front gave, and those the login or the client turned on since). */
  features: Feature[];
  focus: number | null;
  /** The groups it is in, in the order it joined them, with its roles there. */
  groups: GroupPlace[];
}

/** A session's place in one of its groups. */
export interface GroupPlace {
  id: number;
  op: boolean;
  voice: boolean;
  /** The group's sequence when the session joined: it hears the lines after it. */
  after: number;
  /**
   * Set by its node as it hands the session over: the highest sequence of the group's lines the
   * node was given (absent when none since the session joined). The next hub gives the session the
   * stored lines past it that it never heard (`Takeover.restore`).
   */
  heard?: number;
}

/** What a node keeps of a group its sessions are in: what it is, and who was in it. */
export interface GroupState {
  id: number;
  kind: GroupKind;
  room?: string;
  pair?: [string, string];
  owner: string | null;
  topic: string;
  topicBy: string;
  locked: boolean;
  modes: GroupModes;
  bans: Ban[];
  invited: string[];
  members: MemberInfo[];
  /** The group's revision on the hub that described it: of two descriptions, the later one counts. */
  revision: number;
}

/** How a member nobody handed back leaves: as a user whose node vanished. */
const VANISHED: Departure = { quit: true, reason: 'Node went away' };

/** The session as a node must keep it; null before it logs in. */
export function sessionState(hub: Pick<HubState, 'groups'>, me: Member): SessionState | null {
  if (me.name === null || me.closed) return null;
  const online = me as OnlineMember;
  const groups = hub.groups.of(online).map((g) => {
    const m = hub.groups.membership(g, online)!;
    return { id: g.id, op: m.op, voice: m.voice, after: m.afterSeq };
  });
  const account = me.account === null ? null : me.key;
  return { name: me.name, historyKey: me.historyKey, account, oper: me.oper, away: me.away, features: [...me.features], focus: me.focus, groups };
}

/** The group as a node must keep it. */
export function groupState(group: Group<OnlineMember>): GroupState {
  return {
    id: group.id,
    kind: group.kind,
    ...(group.room === undefined ? {} : { room: group.room }),
    ...(group.pair === undefined ? {} : { pair: [group.pair[0], group.pair[1]] }),
    owner: group.owner?.name ?? null,
    topic: group.topic,
    topicBy: group.topicBy,
    locked: group.locked,
    modes: group.modes,
    bans: [...group.bans],
    invited: [...group.invited],
    members: memberInfos(group),
    revision: group.revision,
  };
}

/** What the take-over needs of the hub besides what handlers see. */
export interface TakeoverHost extends HubState {
  /** Tells the group's members that `name`, no longer in it, left it (ending a conversation left with one member). */
  departed(group: Group<OnlineMember>, name: string, how: Departure): void;
}

/** One hub's take-over: the groups the nodes described and the sessions they handed back, until `settle`. */
export class Takeover {
  /** The latest description of each group heard. */
  private readonly described = new Map<number, GroupState>();
  /** Groups this hub runs on from the last one (some of their members were handed back). */
  private readonly revived = new Set<number>();
  /** Lines read for `missed` this turn, by group, the seq they follow and the group's last seq. */
  private readonly read = new Map<string, FoundLine[]>();
  private settled = false;

  constructor(private readonly hub: TakeoverHost) {}

  /** Whether nodes may still hand sessions back (until `settle`). */
  get open(): boolean {
    return !this.settled;
  }

  /** A node's description of groups its sessions are in (kept until the hand-over is over; later, nothing needs it). */
  describe(groups: readonly GroupState[]): void {
    if (this.settled) return;
    for (const g of groups) {
      const known = this.described.get(g.id);
      if (!known || known.revision < g.revision) this.described.set(g.id, g);
    }
  }

  /**
   * Runs a session on as `state` says (its features too, rather than the front's), in its groups,
   * without telling anyone; null when it cannot be (the hand-over is over, or the name was taken
   * meanwhile).
   */
  restore(options: SessionOptions, state: SessionState): OnlineMember | null {
    const { hub } = this;
    if (this.settled) return null;
    const me = new Member(options.front, sinkOf(options), state.features, options.identity ?? null, options.address ?? null, options.node ?? null);
    if (state.account !== null) me.account = hub.accounts.accountOf(state.account);
    if (!hub.enter(me, state.name, state.historyKey, false)) return null;
    me.oper = state.oper;
    me.away = state.away;
    for (const { id, op, voice } of state.groups) {
      const group = hub.groups.get(id) ?? this.revive(id, me);
      if (!group) continue;
      hub.join(me, group);
      if (this.described.get(id)?.owner === me.name) hub.groups.setOwner(group, me);
      else hub.groups.setRole(group, me, 'op', op);
      hub.groups.setRole(group, me, 'voice', voice);
    }
    const focus = state.focus === null ? undefined : hub.groups.get(state.focus);
    if (focus && hub.groups.membership(focus, me)) hub.setFocus(me, focus);
    for (const place of state.groups) this.unheard(me, place);
    return me;
  }

  /**
   * Gives a member whose node lost the hub's stream and took it up again (it fell too far behind)
   * the lines of its groups that node never got, as for a member handed back.
   */
  missed(me: OnlineMember, places: readonly GroupPlace[]): void {
    for (const place of places) this.unheard(me, place, true);
  }

  /**
   * Gives a handed-back member the lines of one of its groups it never heard: stored by the last
   * hub but lost with it on the way to the member's node, or said during the hand-over before the
   * member was back. They come from the history, in order, as the lines they were (without the
   * tags and flip mark, which are not stored), before any line said after.
   */
  private unheard(me: OnlineMember, place: GroupPlace, continued = false): void {
    const { hub } = this;
    const group = hub.groups.get(place.id);
    const membership = group && hub.groups.membership(group, me);
    const after = Math.max(place.after, place.heard ?? place.after);
    if (!group || !membership || after >= group.seq) return;
    const members = new Map((this.described.get(group.id)?.members ?? []).map((m) => [m.name, m.front]));
    try {
      hub.flushLines();
      // A member of the group on this hub since before `after` may read every line after it: those
      // are read once for all such members (the sessions of a node taking its stream up again).
      const lines = continued && membership.afterSeq <= after ? this.everyLineAfter(me, group, after) : this.linesAfter(me, group.id, after);
      let given = 0;
      for (const line of lines) {
        if (line.senderKey === me.historyKey && !me.features.has('echo')) continue;
        given++;
        const front = members.get(line.sender) ?? hub.presence.get(line.sender)?.front ?? 'unknown';
        const event: Extract<ServerEvent, { action: 'exchange' }> = { action: 'exchange', from: `[${line.sender}]`, message: line.text, name: line.sender, front, id: line.id, group: group.id, seq: line.seq, ts: new Date(line.ts).toISOString() };
        if (group.kind === 'direct') event.direct = true;
        if (hub.accounts.accountOf(line.senderKey)) event.account = line.sender;
        if (me.focus !== group.id) hub.groups.missed(group, membership);
        hub.push(me, event);
      }
      hub.observer.refilled(given);
    } catch (err) {
      if (!(err instanceof HistoryUnavailable)) throw err;
      hub.log.warn('cluster: the lines a handed-back member missed could not be read; search finds them', { user: me.name, group: group.id, err: String(err) });
    }
  }

  /** The group's lines after `after` that the member may read, oldest first, page by page. */
  private linesAfter(me: OnlineMember, group: number, after: number): FoundLine[] {
    const limit = this.hub.limits.historyPage;
    const out: FoundLine[] = [];
    for (let from = after; ; ) {
      const lines = this.hub.history.page(me.historyKey, { group }, { after: { group, seq: from }, newest: false, limit });
      out.push(...lines);
      if (lines.length < limit) return out;
      from = lines[lines.length - 1]!.seq;
    }
  }

  /** Every line of the group after `after`, read through a member who may read them all; kept for this turn while the group has no newer line. */
  private everyLineAfter(me: OnlineMember, group: Group<OnlineMember>, after: number): FoundLine[] {
    const key = `${group.id}/${after}/${group.seq}`;
    let lines = this.read.get(key);
    if (lines === undefined) {
      if (this.read.size === 0) setImmediate(() => this.read.clear());
      lines = this.linesAfter(me, group.id, after);
      this.read.set(key, lines);
    }
    return lines;
  }

  /**
   * The hand-over is over: members of the revived groups nobody handed back quit as vanished
   * users do (those watching presence hear them go offline), and a room whose owner was not
   * handed back keeps the one it was revived with.
   */
  settle(): void {
    if (this.settled) return;
    this.settled = true;
    const { hub } = this;
    const vanished = new Map<string, MemberInfo>();
    for (const id of this.revived) {
      const state = this.described.get(id)!;
      for (const info of state.members) {
        const group = hub.groups.get(id);
        if (!group) break;
        if (group.members.some((m) => m.member.key === nameKey(info.name))) continue;
        hub.departed(group, info.name, VANISHED);
        if (!hub.presence.get(info.name)) vanished.set(nameKey(info.name), info);
      }
      const group = hub.groups.get(id);
      if (group?.owner && group.owner.name !== state.owner) hub.groups.setOwner(group, group.owner);
    }
    for (const { name, front } of vanished.values()) {
      const event: ServerEvent = { action: 'presence', name, front, status: 'offline' };
      for (const other of hub.presence.values()) if (other.features.has('presence')) hub.push(other, event);
    }
    this.described.clear();
    this.revived.clear();
  }

  /** Opens a group the last hub ran, as described, under its id and numbering; undefined when it was never described. */
  private revive(id: number, first: OnlineMember): Group<OnlineMember> | undefined {
    const { hub } = this;
    const state = this.described.get(id);
    if (!state) return undefined;
    const seq = hub.history.lastSeq(id);
    const group =
      state.kind === 'room'
        ? hub.groups.create({ kind: 'room', room: state.room!, owner: first, id, seq })
        : state.kind === 'direct'
          ? hub.groups.create({ kind: 'direct', id, seq, pair: state.pair! })
          : hub.groups.create({ kind: 'adhoc', id, seq });
    hub.groups.setTopic(group, state.topic, state.topicBy);
    hub.groups.setLocked(group, state.locked);
    hub.groups.setModes(group, state.modes);
    for (const ban of state.bans) hub.groups.ban(group, ban);
    for (const key of state.invited) hub.groups.invite(group, key);
    hub.keeper.revived(group);
    this.revived.add(id);
    return group;
  }
}

/** A session the hub runs for another node, which keeps what it would need to hand it to another hub. */
export interface HostedSession extends Session {
  /** What the node keeps of it; null before it logs in. */
  state(): SessionState | null;
  /** Its node lost the hub's stream and took it up again: the stored lines of these groups past what the node heard come now. */
  resume(places: readonly GroupPlace[]): void;
}

/** What the hub's side of a cluster link uses of the hub. */
export interface HostedHub extends NameReserver {
  open(options: SessionOptions): HostedSession;
  /** Runs a session handed back by its node on this hub (a take-over); null when it cannot be. */
  restore(options: SessionOptions, state: SessionState): HostedSession | null;
  /** Groups as they are now (their revisions, and what a node keeps of them). */
  readonly groups: Pick<Groups<OnlineMember>, 'get'>;
  /** The groups nodes describe as they hand their sessions back, until the hand-over is over. */
  readonly takeover: Pick<Takeover, 'describe' | 'settle'>;
  /** Stores the lines queued so far and hands them to their members. */
  flush(): void;
}
