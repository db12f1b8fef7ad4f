/**
 * Group membership, in process: ids from a starting point upward, never reused; members in
 * join order; a member in any number of groups. Each membership remembers the group's sequence
 * number when it began, so a line is delivered only to members who were in before it was said.
 * A room (`#name`) lives while anyone is in it; an ad-hoc group needs two; a direct
 * conversation has exactly its two people and keeps the id its pair was given in the history.
 * A group also holds what IRC calls channel modes (moderated, secret, topic lock, key, limit),
 * its members' roles (operator, voiced) and its bans, so they hold on every front.
 */
import type { GroupKind } from './protocol.js';

export interface Membership<M> {
  readonly member: M;
  /** The group's sequence number when this member joined: they get the lines after it. */
  readonly afterSeq: number;
  /** Lines said since the member last had this group as their focus or spoke in it. */
  readonly unread: number;
  /** A channel operator (`+o`): may kick, change modes, and set the topic under `+t`. A room's owner always is. */
  readonly op: boolean;
  /** Voiced (`+v`): may speak while the group is moderated. */
  readonly voice: boolean;
}

/** What a member may be given or lose (`+o`, `+v`). */
export type Role = 'op' | 'voice';

/** The settings of a group beside its lock (`+i`): IRC's channel modes, held for every front. */
export interface GroupModes {
  /** `+m`: only operators and voiced members speak. */
  readonly moderated: boolean;
  /** `+s`: hidden from those outside it (the list, WHO, WHOIS, NAMES). */
  readonly secret: boolean;
  /** `+t`: only operators set the topic. */
  readonly topicLocked: boolean;
  /** `+k`: joining takes this key; null when none. */
  readonly key: string | null;
  /** `+l`: the most members it takes; null when any number. */
  readonly limit: number | null;
}

/** One ban (`+b`): users whose mask matches may not join, nor speak while in it. */
export interface Ban {
  readonly mask: string;
  /** Who set it. */
  readonly by: string;
  /** When, in milliseconds since the epoch. */
  readonly at: number;
}

/** A new group's modes: none set (`+n` always holds: only members speak in a group). */
export const NO_MODES: GroupModes = Object.freeze({ moderated: false, secret: false, topicLocked: false, key: null, limit: null });

export interface Group<M> {
  readonly id: number;
  readonly kind: GroupKind;
  readonly members: readonly Membership<M>[];
  /** A room's name with its `#`, as first written; undefined for other kinds. */
  readonly room: string | undefined;
  /** A room's owner (may kick and lock); passes to the longest-standing member when the owner leaves. */
  readonly owner: M | undefined;
  readonly topic: string;
  /** Who set the topic (empty while nobody has). */
  readonly topicBy: string;
  /** Invite-only: `connect` no longer joins it (a direct conversation always is). */
  readonly locked: boolean;
  /** Sequence number of the last line said in this group. */
  readonly seq: number;
  /** A direct conversation's two people (their names); undefined for other kinds. */
  readonly pair: readonly [string, string] | undefined;
  /** Name keys of users invited in: they may join while it is invite-only. */
  readonly invited: ReadonlySet<string>;
  readonly modes: GroupModes;
  /** Ban masks, in the order set. */
  readonly bans: readonly Ban[];
  /** When the group was created, in milliseconds since the epoch. */
  readonly created: number;
  /** Grows with every change to what the group is (members, roles, owner, topic, lock, modes, bans, invitations), not with its lines. */
  readonly revision: number;
}

/** `#group-12` names group 12 itself rather than a room. */
const GROUP_ID_RE = /^#group-(\d{1,9})$/i;
const ROOM_RE = /^#[\p{L}\p{N}_-]{1,32}$/u;

export type RoomTarget = { kind: 'id'; id: number } | { kind: 'room'; room: string } | { kind: 'invalid'; msg: string };

/** Reads a `#...` connect target. */
export function roomTarget(target: string): RoomTarget {
  const byId = GROUP_ID_RE.exec(target);
  if (byId) return { kind: 'id', id: Number(byId[1]) };
  if (!ROOM_RE.test(target)) return { kind: 'invalid', msg: 'a room name is # and 1-32 letters, digits, _ or -' };
  return { kind: 'room', room: target };
}

/**
 * What a new group is: its kind, a room's name and owner, a direct conversation's stored id and
 * last sequence number. A room or ad-hoc group that goes on from another hub (a take-over) keeps
 * its `id` and its numbering (`seq`).
 */
export type NewGroup<M> =
  | { kind: 'adhoc'; id?: number; seq?: number }
  | { kind: 'room'; room: string; owner: M; id?: number; seq?: number }
  | { kind: 'direct'; id: number; seq: number; pair: readonly [string, string] };

/**
 * The group seam: an in-process table now, a shared engine later. Every change to a group
 * (members, sequence numbers, topic, owner, lock) goes through it.
 */
export interface Groups<M> {
  /** The member's groups, in the order they joined them. */
  of(member: M): readonly Group<M>[];
  get(id: number): Group<M> | undefined;
  room(name: string): Group<M> | undefined;
  /** The member's membership of the group, if any. */
  membership(group: Group<M>, member: M): Membership<M> | undefined;
  /** Groups in id order. */
  list(): Group<M>[];
  readonly size: number;
  /** A fresh id, never handed out before (a direct conversation's candidate id). */
  nextId(): number;
  create(spec: NewGroup<M>): Group<M>;
  /** Adds the member (after the group's current sequence number); false when they are in it already. */
  add(group: Group<M>, member: M): boolean;
  /** Takes the member out of the group; the group itself is removed once empty. False when they were not in it. */
  remove(group: Group<M>, member: M): boolean;
  /** The next line's sequence number in the group. */
  nextSeq(group: Group<M>): number;
  /** Numbers the group's next lines after `seq` at least (lines another server stored past this table's count). */
  skipTo(group: Group<M>, seq: number): void;
  setTopic(group: Group<M>, topic: string, by: string): void;
  setLocked(group: Group<M>, locked: boolean): void;
  /** Lets the user with this name key join while the group is invite-only. */
  invite(group: Group<M>, key: string): void;
  /** Changes some of the group's modes, leaving the others. */
  setModes(group: Group<M>, change: Partial<GroupModes>): void;
  /** Makes a member the room's owner (an operator), as the group was on another hub; false when they are not in it. */
  setOwner(group: Group<M>, member: M): boolean;
  /** Gives or takes a member's role; false when they are not in the group. */
  setRole(group: Group<M>, member: M, role: Role, on: boolean): boolean;
  /** Adds a ban; false when a ban with that mask (in any case) is there already. */
  ban(group: Group<M>, ban: Ban): boolean;
  /** Lifts the ban with that mask (in any case); false when there is none. */
  unban(group: Group<M>, mask: string): boolean;
  /** Counts a line a member got in the group while looking elsewhere (its `unread`); one of `group.members`, so fan-out stays a step per member. */
  missed(group: Group<M>, membership: Membership<M>): void;
  /** The member has seen the group's lines so far: its `unread` is 0. */
  caughtUp(group: Group<M>, member: M): void;
}

interface MembershipRecord<M> {
  member: M;
  afterSeq: number;
  unread: number;
  op: boolean;
  voice: boolean;
}

interface GroupRecord<M> {
  id: number;
  kind: GroupKind;
  members: MembershipRecord<M>[];
  /** The same memberships by member: every line asks for its sender's (a room may hold thousands). */
  index: Map<M, MembershipRecord<M>>;
  room: string | undefined;
  owner: M | undefined;
  topic: string;
  topicBy: string;
  locked: boolean;
  seq: number;
  pair: readonly [string, string] | undefined;
  invited: Set<string>;
  modes: GroupModes;
  bans: Ban[];
  created: number;
  revision: number;
}

const sameMask = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export class GroupTable<M> implements Groups<M> {
  private readonly groups = new Map<number, GroupRecord<M>>();
  private readonly byMember = new Map<M, GroupRecord<M>[]>();
  private readonly byRoom = new Map<string, GroupRecord<M>>();
  private lastId: number;

  /** `now` gives the time a group is created (milliseconds since the epoch). */
  constructor(
    lastUsedId: number,
    private readonly now: () => number,
  ) {
    this.lastId = lastUsedId;
  }

  of(member: M): readonly Group<M>[] {
    return this.byMember.get(member) ?? [];
  }

  get(id: number): Group<M> | undefined {
    return this.groups.get(id);
  }

  room(name: string): Group<M> | undefined {
    return this.byRoom.get(name.toLowerCase());
  }

  membership(group: Group<M>, member: M): Membership<M> | undefined {
    const record = this.groups.get(group.id);
    // A group no longer in the table (it emptied) has no members.
    return record === group ? record.index.get(member) : undefined;
  }

  list(): Group<M>[] {
    return [...this.groups.values()].sort((a, b) => a.id - b.id);
  }

  get size(): number {
    return this.groups.size;
  }

  nextId(): number {
    return ++this.lastId;
  }

  create(spec: NewGroup<M>): Group<M> {
    const id = spec.kind === 'direct' ? spec.id : (spec.id ?? this.nextId());
    if (id > this.lastId) this.lastId = id;
    const group: GroupRecord<M> = {
      id,
      kind: spec.kind,
      members: [],
      index: new Map(),
      room: spec.kind === 'room' ? spec.room : undefined,
      owner: spec.kind === 'room' ? spec.owner : undefined,
      topic: '',
      topicBy: '',
      locked: spec.kind === 'direct',
      seq: spec.seq ?? 0,
      pair: spec.kind === 'direct' ? spec.pair : undefined,
      invited: new Set(),
      modes: NO_MODES,
      bans: [],
      created: this.now(),
      revision: 0,
    };
    this.groups.set(id, group);
    if (group.room !== undefined) this.byRoom.set(group.room.toLowerCase(), group);
    return group;
  }

  add(group: Group<M>, member: M): boolean {
    const record = this.record(group);
    if (record.index.has(member)) return false;
    const membership: MembershipRecord<M> = { member, afterSeq: record.seq, unread: 0, op: record.owner === member, voice: false };
    record.revision++;
    record.members.push(membership);
    record.index.set(member, membership);
    const mine = this.byMember.get(member);
    if (mine) mine.push(record);
    else this.byMember.set(member, [record]);
    return true;
  }

  remove(group: Group<M>, member: M): boolean {
    const record = this.record(group);
    const membership = record.index.get(member);
    if (!membership) return false;
    record.revision++;
    record.members.splice(record.members.indexOf(membership), 1);
    record.index.delete(member);
    const mine = this.byMember.get(member)!;
    mine.splice(mine.indexOf(record), 1);
    if (mine.length === 0) this.byMember.delete(member);
    if (record.owner === member) {
      const heir = record.members[0];
      record.owner = heir?.member;
      if (heir) heir.op = true;
    }
    if (record.members.length === 0) {
      this.groups.delete(record.id);
      if (record.room !== undefined) this.byRoom.delete(record.room.toLowerCase());
    }
    return true;
  }

  nextSeq(group: Group<M>): number {
    return ++this.record(group).seq;
  }

  skipTo(group: Group<M>, seq: number): void {
    const record = this.record(group);
    record.seq = Math.max(record.seq, seq);
  }

  setTopic(group: Group<M>, topic: string, by: string): void {
    Object.assign(this.changed(group), { topic, topicBy: by });
  }

  setLocked(group: Group<M>, locked: boolean): void {
    this.changed(group).locked = locked;
  }

  invite(group: Group<M>, key: string): void {
    this.changed(group).invited.add(key);
  }

  setModes(group: Group<M>, change: Partial<GroupModes>): void {
    const record = this.changed(group);
    record.modes = Object.freeze({ ...record.modes, ...change });
  }

  setOwner(group: Group<M>, member: M): boolean {
    const record = this.record(group);
    const membership = record.index.get(member);
    if (!membership) return false;
    record.revision++;
    record.owner = member;
    membership.op = true;
    return true;
  }

  setRole(group: Group<M>, member: M, role: Role, on: boolean): boolean {
    const record = this.record(group);
    const membership = record.index.get(member);
    if (!membership) return false;
    record.revision++;
    membership[role] = on;
    return true;
  }

  ban(group: Group<M>, ban: Ban): boolean {
    const record = this.record(group);
    if (record.bans.some((b) => sameMask(b.mask, ban.mask))) return false;
    record.revision++;
    record.bans.push(ban);
    return true;
  }

  unban(group: Group<M>, mask: string): boolean {
    const record = this.record(group);
    const at = record.bans.findIndex((b) => sameMask(b.mask, mask));
    if (at < 0) return false;
    record.revision++;
    record.bans.splice(at, 1);
    return true;
  }

  missed(group: Group<M>, membership: Membership<M>): void {
    this.record(group);
    // the table hands out its own records as the group's memberships
    (membership as MembershipRecord<M>).unread++;
  }

  caughtUp(group: Group<M>, member: M): void {
    const membership = this.record(group).index.get(member);
    if (membership) membership.unread = 0;
  }

  /** The group's record, about to change. */
  private changed(group: Group<M>): GroupRecord<M> {
    const record = this.record(group);
    record.revision++;
    return record;
  }

  private record(group: Group<M>): GroupRecord<M> {
    const record = this.groups.get(group.id);
    if (record !== group) throw new Error(`group ${group.id} is not in this table`);
    return record;
  }
}
