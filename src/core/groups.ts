/**
 * Group membership, in process: ids from a starting point upward, never reused; members in
 * join order; a member in at most one group. Each membership remembers the history position
 * it started at, so a line is only delivered to members who joined before it was sent.
 * A named group (a room, `#name`) lives while anyone is in it; an ad-hoc group needs two.
 */

export interface Membership<M> {
  member: M;
  /** Id of the last history line recorded before this member joined. */
  joinedAfter: number;
}

export interface Group<M> {
  readonly id: number;
  readonly members: Membership<M>[];
  /** A named group's name with its `#`, as first written; undefined for ad-hoc groups. */
  readonly room: string | undefined;
  /** A named group's owner (may kick); passes to the longest-standing member when the owner leaves. */
  owner: M | undefined;
  topic: string;
  /** Sequence number of the last line sent in this group. */
  seq: number;
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

/** The group seam: an in-process table now, a shared engine later. */
export interface Groups<M> {
  of(member: M): Group<M> | undefined;
  get(id: number): Group<M> | undefined;
  room(name: string): Group<M> | undefined;
  /** Groups in id order. */
  list(): Group<M>[];
  readonly size: number;
  /** A new group: ad-hoc, or a room owned by `owner` when `room` is given. */
  create(room?: string, owner?: M): Group<M>;
  add(group: Group<M>, member: M, joinedAfter: number): void;
  /** Takes the member out of its group; the group itself is removed once empty. */
  remove(member: M): Group<M> | undefined;
}

export class GroupTable<M> implements Groups<M> {
  private readonly groups = new Map<number, Group<M>>();
  private readonly byMember = new Map<M, Group<M>>();
  private readonly byRoom = new Map<string, Group<M>>();
  private nextId: number;

  constructor(lastUsedId: number) {
    this.nextId = lastUsedId + 1;
  }

  of(member: M): Group<M> | undefined {
    return this.byMember.get(member);
  }

  get(id: number): Group<M> | undefined {
    return this.groups.get(id);
  }

  room(name: string): Group<M> | undefined {
    return this.byRoom.get(name.toLowerCase());
  }

  /** Groups in id order. */
  list(): Group<M>[] {
    return [...this.groups.values()];
  }

  get size(): number {
    return this.groups.size;
  }

  /** A new group: ad-hoc, or a room owned by `owner` when `room` is given. */
  create(room?: string, owner?: M): Group<M> {
    const group: Group<M> = { id: this.nextId++, members: [], room, owner, topic: '', seq: 0 };
    this.groups.set(group.id, group);
    if (room !== undefined) this.byRoom.set(room.toLowerCase(), group);
    return group;
  }

  add(group: Group<M>, member: M, joinedAfter: number): void {
    if (this.byMember.has(member)) throw new Error('a member is in at most one group');
    group.members.push({ member, joinedAfter });
    this.byMember.set(member, group);
  }

  /** Takes the member out of its group; the group itself is removed once empty. */
  remove(member: M): Group<M> | undefined {
    const group = this.byMember.get(member);
    if (!group) return undefined;
    this.byMember.delete(member);
    const at = group.members.findIndex((m) => m.member === member);
    group.members.splice(at, 1);
    if (group.owner === member) group.owner = group.members[0]?.member;
    if (group.members.length === 0) {
      this.groups.delete(group.id);
      if (group.room !== undefined) this.byRoom.delete(group.room.toLowerCase());
    }
    return group;
  }
}
