/**
 * What the hub does with kept memberships (core/keeps.ts): a registered user's rooms and direct
 * conversations outlive their session. While they are away their membership interval in the
 * history stays open, so the lines said meanwhile are theirs to read (search, `history`,
 * CHATHISTORY) exactly as if they had stayed; `resume` brings them back and shows what they
 * missed. Guests and ad-hoc groups are never kept. A room nobody is in rests with its topic, lock
 * and modes, which it finds again when it opens, unless it rested longer than the forget time
 * with no registered member keeping it.
 */
import type { Group, Groups } from './groups.js';
import type { HistoryStore } from './history.js';
import { roomPlace, type Kept, type KeepStore } from './keeps.js';
import type { OnlineMember } from './session.js';

/** A room nobody keeps is forgotten a day after it emptied, unless the hub is told otherwise. */
export const DEFAULT_ROOM_FORGET_MS = 86_400_000;

/** A user whose memberships are kept: one holding an account (a password, or a front's identity). */
export const registered = (me: OnlineMember): boolean => me.account !== null || me.identity !== null;

type Kind = Kept['kind'];

/** The place a kept group is known by, or null for a group that is never kept (ad-hoc). */
function placeOf(group: Group<OnlineMember>): { kind: Kind; place: string; label: string } | null {
  if (group.kind === 'room') return { kind: 'room', place: roomPlace(group.room!), label: group.room! };
  if (group.kind === 'direct') return { kind: 'direct', place: String(group.id), label: group.pair!.join('+') };
  return null;
}

/** Where a returning user stopped reading a group: the last line they were shown live. */
export interface Return {
  seenGroup: number;
  seenSeq: number;
}

export class Keeper {
  constructor(
    private readonly history: HistoryStore,
    private readonly groups: Groups<OnlineMember>,
    private readonly keeps: KeepStore,
    /** Milliseconds since the epoch. */
    private readonly now: () => number,
    /** How long a room nobody keeps may rest before it is forgotten, in milliseconds. */
    private readonly forgetMs: number,
  ) {}

  /**
   * At start the history has closed every interval a previous run left open. A kept direct
   * conversation goes on under its id, so its away members' intervals open again; a kept room
   * gets a new id when it opens again (`openRoom`).
   */
  reopen(): void {
    this.keeps.forget(this.now() - this.forgetMs);
    for (const k of this.keeps.directs()) this.history.joined(k.userKey, k.group, this.history.lastSeq(k.group));
  }

  /** The user's kept memberships, in the order they were first kept. */
  of(userKey: string): Kept[] {
    return this.keeps.of(userKey);
  }

  /**
   * A member joined a group: their membership interval in the history opens (the one they kept
   * open while away closed first, so the two never overlap), and a registered member's room or
   * direct conversation is kept from now on.
   */
  joined(me: OnlineMember, group: Group<OnlineMember>): void {
    this.back(me, group);
    this.history.joined(me.historyKey, group.id, group.seq);
    if (registered(me)) this.mark(me.historyKey, group);
  }

  /**
   * A member left a group: for good (`bye`, a kick, the conversation ended), their interval
   * closing and nothing kept; or gone offline, when a registered member keeps a room or direct
   * conversation with their interval open, having read up to now. A room left empty rests.
   */
  left(me: OnlineMember, group: Group<OnlineMember>, offline: boolean): void {
    if (!offline || !registered(me) || !this.mark(me.historyKey, group)) {
      this.history.left(me.historyKey, group.id, group.seq);
      const where = placeOf(group);
      if (!offline && where && registered(me)) this.keeps.drop(me.historyKey, where.kind, where.place);
    }
    if (group.members.length === 0) this.emptied(group);
  }

  /** Every membership of the session's groups is kept (it has just registered). */
  keepAll(me: OnlineMember, groups: readonly Group<OnlineMember>[]): void {
    for (const group of groups) this.mark(me.historyKey, group);
  }

  /** The last member left a room: it rests with its topic, lock and modes. */
  private emptied(group: Group<OnlineMember>): void {
    if (group.kind !== 'room') return;
    this.keeps.rest({ place: roomPlace(group.room!), topic: group.topic, topicBy: group.topicBy, locked: group.locked, modes: group.modes, since: this.now() });
  }

  /**
   * Opens a room under a new id, `owner` its creator, with the topic, lock and modes it rested
   * with unless it was forgotten (it rested past the forget time, kept by nobody). Each away
   * member who keeps it is a member of its new life from its first line, their interval in the
   * old life closed where it ended.
   */
  openRoom(room: string, owner: OnlineMember): Group<OnlineMember> {
    const group = this.groups.create({ kind: 'room', room, owner });
    this.history.opened(group.id, 'room', room);
    const place = roomPlace(room);
    const keepers = this.keeps.room(place);
    for (const k of keepers) {
      this.history.left(k.userKey, k.group, this.history.lastSeq(k.group));
      this.history.joined(k.userKey, group.id, 0);
      this.keeps.put({ ...k, group: group.id });
    }
    const rested = this.keeps.wake(place);
    if (rested && (keepers.length > 0 || this.now() - rested.since < this.forgetMs)) {
      this.groups.setTopic(group, rested.topic, rested.topicBy);
      this.groups.setLocked(group, rested.locked);
      this.groups.setModes(group, rested.modes);
    }
    return group;
  }

  /**
   * A direct line to an account that is offline: they are a member of the conversation from
   * this line on (kept, to be shown when they return), unless they are already.
   */
  absent(userKey: string, group: Group<OnlineMember>): void {
    const where = placeOf(group)!;
    if (this.find(userKey, where.kind, where.place)) return;
    this.history.joined(userKey, group.id, group.seq);
    this.keeps.put({ userKey, ...where, group: group.id, seenGroup: group.id, seenSeq: group.seq });
  }

  /**
   * A room goes on under its id from a hub that died (core/takeover.ts): the intervals its away
   * keepers had open there, which ended with that hub's run, open again, as `reopen` does for
   * direct conversations.
   */
  revived(group: Group<OnlineMember>): void {
    if (group.kind !== 'room') return;
    for (const k of this.keeps.room(roomPlace(group.room!))) if (k.group === group.id) this.history.joined(k.userKey, group.id, group.seq);
  }

  /** Where the user stopped reading a kept group, or null when they do not keep it. */
  seen(userKey: string, group: Group<OnlineMember>): Return | null {
    const where = placeOf(group);
    const k = where && this.find(userKey, where.kind, where.place);
    return k ? { seenGroup: k.seenGroup, seenSeq: k.seenSeq } : null;
  }

  /** A kept membership ends while its member is away (banned meanwhile): its interval closes at the group's current line. */
  ended(me: OnlineMember, group: Group<OnlineMember>): void {
    const where = placeOf(group);
    this.back(me, group);
    if (where && registered(me)) this.keeps.drop(me.historyKey, where.kind, where.place);
  }

  /** Closes the interval the member kept open while away in a kept group, if any, at the group's current line. */
  private back(me: OnlineMember, group: Group<OnlineMember>): void {
    const where = placeOf(group);
    const k = where && registered(me) ? this.find(me.historyKey, where.kind, where.place) : undefined;
    if (k) this.history.left(me.historyKey, k.group, k.group === group.id ? group.seq : this.history.lastSeq(k.group));
  }

  /** Records the membership as kept, read up to the group's current line; false for a group never kept. */
  private mark(userKey: string, group: Group<OnlineMember>): boolean {
    const where = placeOf(group);
    if (!where) return false;
    this.keeps.put({ userKey, ...where, group: group.id, seenGroup: group.id, seenSeq: group.seq });
    return true;
  }

  private find(userKey: string, kind: Kind, place: string): Kept | undefined {
    return this.keeps.of(userKey).find((k) => k.kind === kind && k.place === place);
  }
}
