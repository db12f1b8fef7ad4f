/**
 * What Discord users' chat events become on Discord. The group a user chats in is mirrored by
 * a Room (a private thread, or their DM with the bot; a direct conversation always the DM);
 * what is for one user alone (a private line while they chat elsewhere, a note about their
 * other groups, an invitation, a refusal that came outside any command) goes to their DM with
 * the bot, never into a thread others read.
 */
import { RESTART_MSG } from '../../core/classic.js';
import type { Logger } from '../../core/log.js';
import type { MemberInfo, ServerEvent } from '../../core/protocol.js';
import { modesChanged, renderEvent } from '../../core/render.js';
import type { Transition } from '../../core/user-state.js';
import { renderAnswer } from './answers.js';
import type { DiscordApi } from './api.js';
import { escapeInline, escapeMarkdown, privatePrefix } from './format.js';
import type { Lane, Outbox } from './outbox.js';
import { prefixedPieces, type Exchange, type Place } from './places.js';
import { Room, type RoomShape } from './room.js';
import type { DiscordUser, UserListener } from './user.js';

export interface MirrorDeps {
  api: DiscordApi;
  outbox: Outbox;
  log: Logger;
  /** The lane for a user's DMs with the bot (shared with the answers to their commands there). */
  dmLane(userId: string): Lane;
}

export class Mirror implements Omit<UserListener, 'gone'> {
  private readonly rooms = new Map<number, Room>();
  /** Thread id -> the room it mirrors. */
  private readonly threads = new Map<string, Room>();

  constructor(private readonly deps: MirrorDeps) {}

  /** The room a thread mirrors, if it is one of ours. */
  roomOfThread(channelId: string): Room | undefined {
    return this.threads.get(channelId);
  }

  /** The room of a group with Discord members. */
  roomOf(group: number): Room | undefined {
    return this.rooms.get(group);
  }

  /** Where the user follows the group they chat in (its thread or their DM), if anywhere. */
  placeOf(user: DiscordUser): Place | null {
    return this.rooms.get(user.state.group ?? -1)?.placeOf(user) ?? null;
  }

  private room(group: number, members: readonly MemberInfo[], shape: RoomShape): Room {
    let room = this.rooms.get(group);
    if (!room) {
      room = new Room(group, members, {
        api: this.deps.api,
        outbox: this.deps.outbox,
        log: this.deps.log,
        dmLane: (id) => this.deps.dmLane(id),
        threadOpened: (id, r) => this.threads.set(id, r),
        emptied: (r) => this.forget(r),
      }, shape);
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
      const room = this.room(event.group, event.members ?? [], { kind: event.kind ?? 'adhoc', ...(event.room ? { room: event.room } : {}) });
      room.membersNow(event.members ?? []);
      room.add(user, { how: 'connected', peer: transition.peer });
    }
  }

  pushed(user: DiscordUser, event: ServerEvent, transition: Transition): void {
    switch (event.action) {
      case 'exchange': {
        const room = this.rooms.get(event.group);
        // A private line while the user chats in another group: it is theirs alone.
        if (event.direct && !room?.placeOf(user)) return this.privateLine(user, event);
        return room?.line(event);
      }
      case 'connect': {
        if (event.status !== 'request') break;
        const room = this.room(event.group, event.members, { kind: event.kind ?? 'adhoc', ...(event.room ? { room: event.room } : {}) });
        room.membersNow(event.members);
        if (transition.kind === 'joined-by') room.add(user, { how: 'joined-by', peer: transition.peer, front: event.front });
        return;
      }
      case 'leave':
        return this.rooms.get(event.group)?.membersNow(event.members, renderEvent(event) ?? undefined);
      case 'disconnect':
        if (event.by !== undefined) return this.rooms.get(event.group)?.removed(user, event.msg);
        return this.rooms.get(event.group)?.dissolved(user);
      case 'topic':
        return this.rooms.get(event.group)?.changedForAll(event, renderEvent(event) ?? '');
      case 'lock':
        return this.rooms.get(event.group)?.changedForAll(event, event.locked ? `(${event.by} made this group invite-only)` : `(${event.by} opened this group to everyone)`);
      case 'mode':
        if (event.status === 'changed') return this.rooms.get(event.group)?.changedForAll(event, modesChanged(event.by, event.changes));
        break;
      case 'invite': {
        const text = renderAnswer(event)?.text;
        if (text) this.personal(user, text);
        return;
      }
      case 'note':
        return this.personal(user, escapeMarkdown(event.message));
      case 'presence':
        return;
      case 'restart':
        // Each place is told once, however many of its members heard it; nobody hears more after it.
        return this.rooms.get(user.state.group ?? -1)?.shutdown(event.message);
      default:
        break;
    }
    this.stray(user, event);
  }

  /** Posts in the user's DM with the bot. */
  private personal(user: DiscordUser, text: string): void {
    void this.deps.dmLane(user.id).push(() => this.deps.api.sendDm(user.id, { content: text }).then(() => {}));
  }

  /** A private line to the user, marked with its sender and front; the first from each sender says how to answer. */
  private privateLine(user: DiscordUser, event: Exchange): void {
    for (const content of prefixedPieces(privatePrefix(event.name, event.front), event.message)) this.personal(user, content);
    if (user.hinted.has(event.name)) return;
    user.hinted.add(event.name);
    const name = escapeInline(event.name);
    this.personal(user, `(Only you see ${name}'s private lines here. Answer with m ${name} followed by your text.)`);
  }

  /** An answer that came outside any command (a line that could not be stored): to the user's group place, else by DM. */
  private stray(user: DiscordUser, event: ServerEvent): void {
    const text = renderAnswer(event)?.text;
    if (!text) return;
    const place = this.placeOf(user);
    if (place) place.notice(`<@${user.id}> ${text}`, [user.id]);
    else this.personal(user, text);
  }

  left(user: DiscordUser, group: number): void {
    this.rooms.get(group)?.left(user);
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
