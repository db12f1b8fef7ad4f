/**
 * The keeps seam: which rooms and direct conversations a registered user belongs to while they
 * are away. A guest's memberships end when they leave; a registered user's rooms and direct
 * conversations outlive their session (a logout, a dropped connection, a restart) until they
 * leave them, and come back when they return (`resume`). A room is kept by its name, since a
 * room's group id changes when it is opened again; a direct conversation by its id, which never
 * changes. A room nobody is in rests: its topic, lock and modes are kept until it opens again,
 * or are forgotten once it has rested a while with no registered member keeping it. Writes are
 * rare (a join, a leave, a logout, a room emptying), never on the path of a chat line.
 */
import type { GroupModes } from './groups.js';
import type { GroupKind } from './protocol.js';

/** One kept membership. */
export interface Kept {
  /** The user's history key (an account's key). */
  userKey: string;
  kind: Extract<GroupKind, 'room' | 'direct'>;
  /** A room's name in lower case, or a direct conversation's group id as text: with kind, what names it. */
  place: string;
  /** A room's name as first written, or a direct conversation's two names (`alice+bob`). */
  label: string;
  /** The group where the user's membership interval is open (a room's current or last life). */
  group: number;
  /** Where the user stopped reading: the last line they were shown live, as (group, seq). */
  seenGroup: number;
  seenSeq: number;
}

/** What a room nobody is in keeps of itself, until it opens again or is forgotten. */
export interface RestingRoom {
  /** The room's name in lower case. */
  place: string;
  topic: string;
  /** Who set the topic ('' when nobody has). */
  topicBy: string;
  locked: boolean;
  modes: GroupModes;
  /** When its last member left, in milliseconds since the epoch. */
  since: number;
}

export interface KeepStore {
  /** Adds or replaces the user's membership of the place. */
  put(kept: Kept): void;
  /** The user no longer belongs to the place (they left it). */
  drop(userKey: string, kind: Kept['kind'], place: string): void;
  /** The user's kept memberships, in the order they were first kept. */
  of(userKey: string): Kept[];
  /** Every kept membership of a room (by its name in lower case). */
  room(place: string): Kept[];
  /** Every kept direct conversation (their intervals are opened again after a restart). */
  directs(): Kept[];
  /** A room emptied: its state rests (replacing any rested before). */
  rest(room: RestingRoom): void;
  /** A room opens again: the state it rested with, taken out; undefined when none. */
  wake(place: string): RestingRoom | undefined;
  /** Forgets the rooms that began resting before `before` (ms) and that no membership keeps. */
  forget(before: number): void;
  /** Releases the store. */
  close(): void;
}

/**
 * Runs one statement of a database-backed keep store. Kept memberships are a convenience, never
 * worth failing a join or a logout for: a refused or failed statement is reported to `onError`
 * and answered with `fallback`.
 */
export function keptSafely<T>(onError: (msg: string) => void, what: string, fallback: T, run: () => T): T {
  try {
    return run();
  } catch (err) {
    onError(`could not ${what}: ${(err as Error).message}`);
    return fallback;
  }
}

/** What names a kept room: its name in lower case. */
export const roomPlace = (room: string): string => room.toLowerCase();

const keyOf = (userKey: string, kind: string, place: string): string => `${kind}\u0000${place}\u0000${userKey}`;

/** The keeps of one process (tests, and servers without a database). */
export class MemoryKeeps implements KeepStore {
  private readonly rows = new Map<string, Kept>();
  private readonly resting = new Map<string, RestingRoom>();

  put(kept: Kept): void {
    this.rows.set(keyOf(kept.userKey, kept.kind, kept.place), { ...kept });
  }

  drop(userKey: string, kind: Kept['kind'], place: string): void {
    this.rows.delete(keyOf(userKey, kind, place));
  }

  of(userKey: string): Kept[] {
    return this.select((k) => k.userKey === userKey);
  }

  room(place: string): Kept[] {
    return this.select((k) => k.kind === 'room' && k.place === place);
  }

  directs(): Kept[] {
    return this.select((k) => k.kind === 'direct');
  }

  rest(room: RestingRoom): void {
    this.resting.set(room.place, { ...room });
  }

  wake(place: string): RestingRoom | undefined {
    const room = this.resting.get(place);
    this.resting.delete(place);
    return room;
  }

  forget(before: number): void {
    for (const [place, room] of this.resting) if (room.since < before && this.room(place).length === 0) this.resting.delete(place);
  }

  close(): void {
    this.rows.clear();
    this.resting.clear();
  }

  private select(pick: (k: Kept) => boolean): Kept[] {
    return [...this.rows.values()].filter(pick).map((k) => ({ ...k }));
  }
}
