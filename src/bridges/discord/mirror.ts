/**
 * What Discord users' chat events become on Discord. Each group with Discord members is
 * mirrored by a Room (its threads, one per bridged channel its Discord members joined from,
 * or their DMs); a thread keeps serving its group from one of the group's lives to the next.
 * Direct conversations, and what is for one user alone (a note, an invitation, a refusal that
 * came outside any command), go to that user's DM with the bot, never into a thread others read.
 */
import { RESTART_MSG } from '../../core/classic.js';
import type { Logger } from '../../core/log.js';
import type { MemberInfo, ServerEvent } from '../../core/protocol.js';
import { missedText, modesChanged, renamed, renderEvent } from '../../core/render.js';
import type { Transition } from '../../core/user-state.js';
import { renderAnswer } from './answers.js';
import type { DiscordApi } from './api.js';
import { escapeInline, escapeMarkdown } from './format.js';
import type { Lane, Outbox } from './outbox.js';
import type { Exchange } from './places.js';
import type { RecentLines } from './recent.js';
import { Room, type RoomShape } from './room.js';
import type { DiscordUser, UserListener } from './user.js';

export interface MirrorDeps {
  api: DiscordApi;
  outbox: Outbox;
  recent: RecentLines;
  log: Logger;
  /** The lane for a user's DMs with the bot (shared with the answers to their commands there). */
  dmLane(userId: string): Lane;
}

type ConnectEvent = Extract<ServerEvent, { action: 'connect' }>;

const shapeOf = (event: ConnectEvent): RoomShape => ({ kind: event.kind ?? 'adhoc', ...(event.room ? { room: event.room } : {}) });

export class Mirror implements Omit<UserListener, 'gone'> {
  private readonly rooms = new Map<number, Room>();
  /** Thread id -> the room it mirrors now. */
  private readonly threads = new Map<string, Room>();
  /** `channel|#label` -> the thread a group had under that channel (kept after the group ends, to open again). */
  private readonly book = new Map<string, string>();

  constructor(private readonly deps: MirrorDeps) {}

  /** The room a thread mirrors, if it is one of ours. */
  roomOfThread(channelId: string): Room | undefined {
    return this.threads.get(channelId);
  }

  /** The room of a group with Discord members. */
  roomOf(group: number): Room | undefined {
    return this.rooms.get(group);
  }

  private room(group: number, members: readonly MemberInfo[], shape: RoomShape): Room {
    let room = this.rooms.get(group);
    if (!room) {
      room = new Room(
        group,
        members,
        {
          api: this.deps.api,
          outbox: this.deps.outbox,
          recent: this.deps.recent,
          log: this.deps.log,
          dmLane: (id) => this.deps.dmLane(id),
          earlierThread: (parentId, guildId, r) => {
            const known = this.book.get(`${parentId}|${r.label.toLowerCase()}`);
            if (known !== undefined) return Promise.resolve(known);
            // After a restart only Discord knows: a room's thread is found by its name (an ad-hoc group's id is new every time).
            return r.kind === 'room' ? this.deps.api.findThread(parentId, guildId, r.label).catch(() => null) : Promise.resolve(null);
          },
          threadOpened: (id, parentId, r) => {
            this.threads.set(id, r);
            this.book.set(`${parentId}|${r.label.toLowerCase()}`, id);
          },
          emptied: (r) => this.forget(r),
        },
        shape,
      );
      this.rooms.set(group, room);
    }
    return room;
  }

  private forget(room: Room): void {
    if (this.rooms.get(room.group) === room) this.rooms.delete(room.group);
    for (const [id, r] of this.threads) if (r === room) this.threads.delete(id);
  }

  changed(user: DiscordUser, event: ServerEvent, transition: Transition): void {
    if (transition.kind === 'connected' && event.action === 'connect' && event.group !== undefined) {
      const room = this.room(event.group, event.members ?? [], shapeOf(event));
      room.membersNow(event.members ?? []);
      if (user.home.kind === 'dm') user.talk = { kind: 'group', group: event.group };
      room.add(user, { how: 'connected', peer: transition.peer });
    }
  }

  /** The user chose, in their DM, the conversation their plain lines there go to. */
  followInDm(user: DiscordUser, event: Extract<ServerEvent, { action: 'focus' }>): void {
    if (event.group === null) return;
    user.talk = event.kind === 'direct' ? { kind: 'direct', peer: event.title ?? '' } : { kind: 'group', group: event.group };
  }

  /** The user's direct line went out: the conversation is followed in their DM, where their plain lines now answer it. */
  directSent(user: DiscordUser, event: Extract<ServerEvent, { action: 'direct' }>): void {
    this.directRoom(user, event.group, event.target, 'discord');
    user.talk = { kind: 'direct', peer: event.target };
  }

  private directRoom(user: DiscordUser, group: number, peer: string, front: string): Room {
    const room = this.room(group, [{ name: user.name ?? '', front: 'discord' }, { name: peer, front }], { kind: 'direct' });
    room.add(user, { how: 'connected', peer });
    return room;
  }

  pushed(user: DiscordUser, event: ServerEvent): void {
    switch (event.action) {
      case 'exchange':
        if (event.direct) return this.directLine(user, event);
        return this.rooms.get(event.group)?.line(event);
      case 'connect': {
        if (event.status !== 'request') break;
        const room = this.room(event.group, event.members ?? [], shapeOf(event));
        room.noticed(event);
        if (room.placeOf(user)) return;
        if (user.home.kind === 'dm' && !user.talking) user.talk = { kind: 'group', group: event.group };
        room.add(user, { how: 'joined-by', peer: event.from, front: event.front });
        return;
      }
      case 'edit':
        return this.rooms.get(event.group)?.edited(event);
      case 'said':
        // The answer to a line: the bridge took it already; never a push.
        return;
      case 'leave':
        return this.rooms.get(event.group)?.noticed(event, renderEvent(event) ?? undefined);
      case 'disconnect': {
        const room = this.rooms.get(event.group);
        if (!room) return;
        this.untalk(user, room);
        return event.by !== undefined ? room.removed(user, event.msg) : room.dissolved(user);
      }
      case 'topic':
        return this.rooms.get(event.group)?.changedForAll(event, renderEvent(event) ?? '');
      case 'lock':
        return this.rooms.get(event.group)?.changedForAll(event, event.locked ? `(${event.by} made this group invite-only)` : `(${event.by} opened this group to everyone)`);
      case 'mode':
        if (event.status === 'changed') return this.rooms.get(event.group)?.changedForAll(event, modesChanged(event.by, event.changes));
        break;
      case 'invite': {
        // Told once in the group's thread, however many of its members heard it.
        if (event.status === 'invited') return this.rooms.get(event.group)?.changedForAll(event, renderEvent(event) ?? '');
        const text = renderAnswer(event)?.text;
        if (text) this.personal(user, text);
        return;
      }
      case 'note':
        return this.personal(user, escapeMarkdown(event.message));
      case 'presence':
      case 'focus':
        // Every group has its own place on Discord: where the focus is changes nothing there.
        return;
      case 'rename':
        // Told once in the thread of the user's group, however many of its members heard it.
        if ('front' in event) return this.rooms.get(user.state.group ?? -1)?.changedForAll(event, renamed(event.old, event.name));
        break;
      case 'away':
        // Discord shows its own users' status; being away on another front is told only where asked (who, whois).
        if ('name' in event) return;
        break;
      case 'restart':
        // Each place is told once, however many of its members heard it; nobody hears more after it.
        for (const group of user.state.groups.keys()) this.rooms.get(group)?.shutdown(event.message);
        return;
      default:
        break;
    }
    this.stray(user, event);
  }

  /** The user is no longer in the room: their DM lines stop going there. */
  private untalk(user: DiscordUser, room: Room): void {
    const talk = user.talk;
    if (talk === null) return;
    if (talk.kind === 'group' ? talk.group === room.group : room.kind === 'direct' && room.has(talk.peer)) user.talk = null;
  }

  /**
   * A direct line to the user, in their DM with the bot, marked with its sender and front. The
   * first from each sender says how to answer: by typing there, when the DM was not taken by
   * another conversation (it is now this one), else with `m`.
   */
  private directLine(user: DiscordUser, event: Exchange): void {
    this.directRoom(user, event.group, event.name, event.front).line(event);
    const name = escapeInline(event.name);
    const taken = user.talking && !(user.talk?.kind === 'direct' && user.talk.peer.toLowerCase() === event.name.toLowerCase());
    if (!taken) user.talk = { kind: 'direct', peer: event.name };
    if (user.hinted.has(event.name)) return;
    user.hinted.add(event.name);
    this.personal(
      user,
      taken
        ? `(Only you see ${name}'s private lines here. Answer with m ${name} followed by your text.)`
        : `(Only you see ${name}'s private lines here. Type here to answer ${name}; m <name> <text> writes to someone else, bye ends this conversation.)`,
    );
  }

  /** What the user missed in a room or conversation they came back to: a catch-up post for them alone, in their DM. */
  missed(user: DiscordUser, event: Extract<ServerEvent, { action: 'missed' }>): void {
    this.personal(user, escapeMarkdown(missedText(event)));
  }

  /** Posts in the user's DM with the bot. */
  private personal(user: DiscordUser, text: string): void {
    void this.deps.dmLane(user.id).push(() => this.deps.api.sendDm(user.id, { content: text }).then(() => {}));
  }

  /** An answer that came outside any command (a line that could not be stored): to the user alone. */
  private stray(user: DiscordUser, event: ServerEvent): void {
    const text = renderAnswer(event)?.text;
    if (text) this.personal(user, text);
  }

  left(user: DiscordUser, group: number): void {
    const room = this.rooms.get(group);
    if (!room) return;
    this.untalk(user, room);
    room.left(user);
  }

  /** The user's session is ending: out of every place still holding them. */
  drop(user: DiscordUser): void {
    for (const room of [...this.rooms.values()]) room.drop(user);
  }

  /** Ends every room (each place not told yet is told now). */
  stop(): void {
    for (const room of [...this.rooms.values()]) room.shutdown(RESTART_MSG);
    this.rooms.clear();
    this.threads.clear();
  }
}
