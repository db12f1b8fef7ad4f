/**
 * Group membership, in process: ids from a starting point upward, never reused; members in
 * join order; a member in at most one group. Each membership remembers the history position
 * it started at, so a line is only delivered to members who joined before it was sent.
 */

export interface Membership<M> {
  member: M;
  /** Id of the last history line recorded before this member joined. */
  joinedAfter: number;
}

export interface Group<M> {
  readonly id: number;
  readonly members: Membership<M>[];
  /** Sequence number of the last line sent in this group. */
  seq: number;
}

export class GroupTable<M> {
  private readonly groups = new Map<number, Group<M>>();
  private readonly byMember = new Map<M, Group<M>>();
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

  /** Groups in id order. */
  list(): Group<M>[] {
    return [...this.groups.values()];
  }

  get size(): number {
    return this.groups.size;
  }

  create(): Group<M> {
    const group: Group<M> = { id: this.nextId++, members: [], seq: 0 };
    this.groups.set(group.id, group);
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
    if (group.members.length === 0) this.groups.delete(group.id);
    return group;
  }
}
