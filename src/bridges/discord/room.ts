/**
 * A group that has Discord members, as Discord shows it. Its Discord members share one private
 * thread per bridged channel they joined from (the group's earlier thread there, opened again,
 * when it had one); a member who uses the bot by DM, or whom no thread can hold, follows the
 * group in their DMs. An ad-hoc group's threads are named after its members and renamed as they
 * change; a room's after the room. A direct conversation is never put in a thread, even a
 * private one: each Discord member of it follows it in their DM with the bot. Every member
 * receives the group's events, so the room takes each line and membership change once and posts
 * it once per place, leaving out lines already visible there natively.
 */
import { ALONE_MSG } from '../../core/classic.js';
import type { Logger } from '../../core/log.js';
import type { GroupKind, MemberInfo, ServerEvent } from '../../core/protocol.js';
import { escapeInline, escapeMarkdown } from './format.js';
import { DmPlace, ThreadPlace, type Exchange, type Place, type PlaceDeps } from './places.js';
import type { DiscordUser } from './user.js';

export interface RoomDeps extends PlaceDeps {
  log: Logger;
  /** The thread this group had under a channel (of a guild) before, if any. */
  earlierThread(parentId: string, guildId: string, room: Room): Promise<string | null>;
  /** A thread now mirrors this room (inbound lines there are chat lines). */
  threadOpened(threadId: string, parentId: string, room: Room): void;
  /** The room has no Discord member left. */
  emptied(room: Room): void;
}

/** How a member came to be in the group, for their greeting (`front`: the peer's, when known). */
export type Arrival = { how: 'connected' | 'joined-by'; peer: string; front?: string };

/** What kind of group a room mirrors, and a named group's name (`#lobby`: its thread is named after it). */
export interface RoomShape {
  kind: GroupKind;
  room?: string;
}

/** A thread's name: the members' names, within Discord's 100 characters. */
export function threadName(members: readonly string[]): string {
  const chars = [...members.join(', ')];
  return chars.length <= 100 ? chars.join('') : `${chars.slice(0, 97).join('')}...`;
}

export class Room {
  private lastLine = 0;
  private members: string[];
  /** Threads by the id of the bridged channel they are under. */
  private readonly threads = new Map<string, ThreadPlace>();
  private readonly dms = new Map<DiscordUser, DmPlace>();

  /** The last group-wide change posted (every member receives the same event object). */
  private lastShared: ServerEvent | null = null;
  private readonly roomName: string | undefined;
  readonly kind: GroupKind;

  constructor(
    readonly group: number,
    members: readonly MemberInfo[],
    private readonly deps: RoomDeps,
    shape: RoomShape,
  ) {
    this.members = members.map((m) => m.name);
    this.kind = shape.kind;
    this.roomName = shape.room;
  }

  /** Whether `name` is a member (any case). */
  has(name: string): boolean {
    const key = name.toLowerCase();
    return this.members.some((m) => m.toLowerCase() === key);
  }

  /** Where the user follows this group. */
  placeOf(user: DiscordUser): Place | null {
    for (const thread of this.threads.values()) if (thread.users.has(user)) return thread;
    return this.dms.get(user) ?? null;
  }

  /** Resolves once the user's place is known: their thread's id, or null for their DMs. */
  async threadOf(user: DiscordUser): Promise<string | null> {
    const place = this.placeOf(user);
    return place instanceof ThreadPlace ? place.ready : null;
  }

  /** What the user calls the group: `#lobby`, `#group-7`. */
  get label(): string {
    return this.roomName ?? `#group-${this.group}`;
  }

  /**
   * Adds a Discord member: into the thread under the channel they gave the command in (made, or
   * the group's earlier one opened again, if there is none yet), else their DMs; a direct
   * conversation always into their DMs, without a greeting (the mirror words its first line).
   */
  add(user: DiscordUser, arrival: Arrival): void {
    if (this.placeOf(user)) return;
    if (user.home.kind === 'channel' && this.kind !== 'direct') {
      const { channelId, guildId } = user.home;
      const thread = this.threads.get(channelId) ?? this.openThread(channelId, guildId);
      thread.add(user);
      thread.notice(this.greeting(user, arrival, true), [user.id]);
    } else {
      const dm = new DmPlace(this.deps, user, this.kind === 'direct' ? null : this.label);
      this.dms.set(user, dm);
      if (this.kind !== 'direct') dm.notice(this.greeting(user, arrival, false));
    }
  }

  private threadTitle(): string {
    return this.roomName ?? threadName(this.members);
  }

  private openThread(parentId: string, guildId: string): ThreadPlace {
    const reuse = (): Promise<string | null> => this.deps.earlierThread(parentId, guildId, this);
    const thread: ThreadPlace = new ThreadPlace(this.deps, parentId, this.threadTitle(), reuse, (err) => this.threadFailed(thread, err));
    this.threads.set(parentId, thread);
    void thread.ready.then((id) => {
      if (id !== null) this.deps.threadOpened(id, parentId, this);
    });
    return thread;
  }

  /** The thread could not be made: its members follow the group by DM instead. */
  private threadFailed(thread: ThreadPlace, err: unknown): void {
    this.deps.log.error(
      `discord: cannot open a private thread in channel ${thread.parentId} (${String(err)}); give the bot Create Private Threads and Send Messages in Threads there. Group members follow the group by DM meanwhile.`,
    );
    if (this.threads.get(thread.parentId) === thread) this.threads.delete(thread.parentId);
    for (const user of thread.users) {
      const dm = new DmPlace(this.deps, user, this.label);
      this.dms.set(user, dm);
      if (!user.talking) user.talk = { kind: 'group', group: this.group };
      const how = user.talk?.kind === 'group' && user.talk.group === this.group ? 'type here to chat, bye to leave' : `type /w ${escapeInline(this.label)} to chat in it here`;
      dm.notice(`You are in group ${this.group} with ${this.others(user)}. I could not open a thread, so the group's lines come here; ${how}.`);
    }
  }

  private others(user: DiscordUser): string {
    const names = this.members.filter((n) => n !== user.name);
    return names.length > 0 ? names.map(escapeInline).join(', ') : 'nobody yet';
  }

  private greeting(user: DiscordUser, arrival: Arrival, inThread: boolean): string {
    const who = inThread ? `<@${user.id}> ` : '';
    const start =
      arrival.how === 'connected'
        ? `${who}you are connected with ${escapeInline(arrival.peer)}`
        : `${who}${escapeInline(arrival.peer)} connected to you`;
    const group = this.roomName ? `${escapeInline(this.roomName)}, group ${this.group}` : `group ${this.group}`;
    const said = `${start} (${group}: ${this.members.map(escapeInline).join(', ')}).`;
    if (inThread) return `${said} Chat here; type bye to leave the group.`;
    // All of a user's DM conversations share the DM: plain lines go to the one it follows.
    const followed = user.talk?.kind === 'group' && user.talk.group === this.group;
    return followed ? `${said} Chat here by DM; type bye to leave the group.` : `${said} Its lines come here too; type /w ${escapeInline(this.label)} to chat in it here.`;
  }

  private places(): Place[] {
    return [...this.threads.values(), ...this.dms.values()];
  }

  /** A chat line, as each member received it: posted once per place. */
  line(event: Exchange): void {
    if (event.id <= this.lastLine) return;
    this.lastLine = event.id;
    for (const place of this.places()) if (!place.isNative(event.name)) place.line(event);
  }

  /** A member's correction (an edit or a deletion), as each member received it: posted once per place, like a line. */
  edited(event: Extract<ServerEvent, { action: 'edit' }>): void {
    if (this.lastShared === event) return;
    this.lastShared = event;
    for (const place of this.places()) if (!place.isNative(event.name)) place.line(event);
  }

  /**
   * The group's members as an event lists them: joins and leaves become short notices, once.
   * `leaveNote` words the leave the event reports (e.g. a removal by the room's owner).
   */
  membersNow(members: readonly MemberInfo[], leaveNote?: string): void {
    this.namesNow(members.map((m) => m.name), leaveNote);
  }

  /** A join or leave notice: the members it lists, or (a large group's notice names only them) the one who came or went. */
  noticed(event: Extract<ServerEvent, { action: 'connect'; status: 'request' } | { action: 'leave' }>, leaveNote?: string): void {
    if (event.members !== undefined) return this.membersNow(event.members, leaveNote);
    if (event.action === 'leave') return this.namesNow(this.members.filter((n) => n !== event.name), leaveNote);
    if (!this.members.includes(event.from)) this.namesNow([...this.members, event.from]);
  }

  private namesNow(now: string[], leaveNote?: string): void {
    const joined = now.filter((n) => !this.members.includes(n));
    const left = this.members.filter((n) => !now.includes(n));
    this.members = now;
    if (this.roomName === undefined) for (const thread of this.threads.values()) thread.rename(this.threadTitle());
    for (const name of left) this.notice(leaveNote !== undefined && left.length === 1 ? escapeMarkdown(leaveNote) : `(${escapeInline(name)} left)`);
    for (const name of joined) this.notice(`(${escapeInline(name)} joined)`);
  }

  /** A change told to the whole group (a topic, a lock, modes, a member's new name, an invitation): one notice, however many members were told. */
  changedForAll(event: Extract<ServerEvent, { action: 'topic' | 'lock' | 'mode' | 'rename' | 'invite' }>, text: string): void {
    if (this.lastShared === event) return;
    this.lastShared = event;
    this.notice(escapeMarkdown(text));
  }

  private notice(text: string): void {
    for (const place of this.places()) place.notice(text);
  }

  /** The thread the user is in, with its channel. */
  private threadEntry(user: DiscordUser): [string, ThreadPlace] | null {
    for (const entry of this.threads) if (entry[1].users.has(user)) return entry;
    return null;
  }

  /** The user left the group; a thread nobody is left in is closed. */
  left(user: DiscordUser): void {
    const dm = this.dms.get(user);
    const entry = this.threadEntry(user);
    if (dm) {
      this.dms.delete(user);
      dm.notice(this.kind === 'direct' ? `You left your private conversation with ${this.others(user)}.` : `You left group ${this.group}.`);
    } else if (entry) {
      this.leaveThread(user, entry, 'left');
    }
    this.checkEmpty();
  }

  /** The room's owner removed the user: they are told by DM, and taken out of the thread (closed if it is left empty). */
  removed(user: DiscordUser, why: string): void {
    const entry = this.threadEntry(user);
    const dm = this.dms.get(user);
    if (dm) {
      this.dms.delete(user);
      dm.notice(escapeMarkdown(why));
    } else if (entry) {
      void this.deps.dmLane(user.id).push(() => this.deps.api.sendDm(user.id, { content: escapeMarkdown(why) }).then(() => {}));
      this.leaveThread(user, entry, 'was removed');
    }
    this.checkEmpty();
  }

  /** The group dissolved around this user: they are told, and their thread is closed. */
  dissolved(user: DiscordUser): void {
    const dm = this.dms.get(user);
    const entry = this.threadEntry(user);
    if (dm) {
      this.dms.delete(user);
      dm.notice(this.kind === 'direct' ? `(${this.others(user)} left your private conversation)` : `${ALONE_MSG} in ${escapeInline(this.label)}.`);
    } else if (entry) {
      const [parentId, thread] = entry;
      thread.users.delete(user);
      thread.close(`${ALONE_MSG}. This thread is closed; type c <name> in a channel to chat again.`);
      this.threads.delete(parentId);
    }
    this.checkEmpty();
  }

  /** The user's session ended: they leave every place quietly (the group they chatted in was told already). */
  drop(user: DiscordUser): void {
    if (this.dms.delete(user)) return this.checkEmpty();
    const entry = this.threadEntry(user);
    if (!entry) return;
    this.leaveThread(user, entry, 'left');
    this.checkEmpty();
  }

  /** Takes the user out of their thread; the thread is closed, saying how they went, when it is left empty. */
  private leaveThread(user: DiscordUser, [parentId, thread]: [string, ThreadPlace], how: 'left' | 'was removed'): void {
    if (thread.users.size > 1) return thread.remove(user);
    thread.users.delete(user);
    thread.close(`(${escapeInline(user.name ?? 'someone')} ${how}; this thread is closed)`);
    this.threads.delete(parentId);
  }

  /** Stops mirroring (the server is stopping, and says `why`): every place is told, every thread closed. */
  shutdown(why: string): void {
    for (const dm of this.dms.values()) dm.notice(`${escapeMarkdown(why)} Group ${this.group} is over.`);
    this.dms.clear();
    for (const thread of this.threads.values()) thread.close(`${escapeMarkdown(why)} This thread is closed.`);
    this.threads.clear();
  }

  private checkEmpty(): void {
    if (this.threads.size === 0 && this.dms.size === 0) this.deps.emptied(this);
  }
}
