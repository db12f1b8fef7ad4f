/**
 * The classic one-group view: what a session without the `rooms` feature (the course's client)
 * is shown of its many groups. The session's focus is its one group;
 * its events pass unchanged (a topic or lock change in words for a client without `events`). A
 * direct line arrives as the classic connect request when the session has no focus (the
 * conversation becomes its focus, so a reply goes back privately), else inline as `[bob → you]`.
 * Lines in its other groups are counted and told; so is being removed from one, or its end; an
 * invitation while chatting is told in words (at the menu it passes as it is: the classic
 * protocol had none, and our clients show it there). Leaving the focus moves it to
 * the group with the most unread lines, told as a connect request. docs/PROTOCOL.md (Many
 * groups) states these rules.
 */
import type { Group, Groups } from './groups.js';
import { groupLabel, memberInfos } from './members.js';
import type { Label, ServerEvent } from './protocol.js';
import { groupEnded, lockChanged, modesChanged, renamed, topicChanged } from './render.js';
import type { Member, OnlineMember } from './session.js';

/** What the view needs of the hub. */
export interface ViewHost {
  readonly groups: Groups<OnlineMember>;
  deliver(to: Member, event: ServerEvent, label?: Label): void;
  setFocus(me: OnlineMember, group: Group<OnlineMember> | null): void;
}


const note = (message: string): ServerEvent => ({ action: 'note', from: '', message });

export class ClassicView {
  /** Per session: the groups whose new lines were told during its current focus. */
  private readonly told = new WeakMap<Member, Set<number>>();

  constructor(private readonly host: ViewHost) {}

  private toldOf(me: Member): Set<number> {
    let told = this.told.get(me);
    if (!told) this.told.set(me, (told = new Set()));
    return told;
  }

  /** The session's focus moved (however it moved): what is told during a focus starts afresh. */
  refocused(me: Member): void {
    this.told.delete(me);
  }

  /** Shows an event the session did not ask for. */
  push(to: OnlineMember, event: ServerEvent): void {
    if (event.action === 'invite' && event.status === 'request') {
      if (to.focus === null) return this.host.deliver(to, event);
      const where = event.room ?? `#group-${event.group}`;
      return this.host.deliver(to, note(`(${event.from} invites you to ${where}: type bye, then c ${where})`));
    }
    if (event.action === 'rename' && !('status' in event) && !to.features.has('events')) return this.renamed(to, event);
    const id = 'group' in event ? event.group : undefined;
    if (id === undefined || id === null) return this.host.deliver(to, event);
    if (id === to.focus) return this.host.deliver(to, this.shown(to, event));
    const group = this.host.groups.get(id);
    // Removed from another group, or it ended: told, since the session is no longer in it.
    if (event.action === 'disconnect') {
      return this.host.deliver(to, note(event.by ? `(${event.msg})` : groupEnded(group ? groupLabel(group, to) : `#group-${id}`, group?.kind === 'direct')));
    }
    if (event.action !== 'exchange' || !group) return;
    if (to.focus === null) {
      this.enter(to, group, event.direct ? event.name : groupLabel(group, to), event.direct ? event.front : '');
      return this.host.deliver(to, event);
    }
    if (event.direct) {
      // Shown as it came, so not unread: leaving the focus does not count it again.
      this.host.groups.caughtUp(group, to);
      return this.host.deliver(to, { ...event, from: `[${event.name} → you]` });
    }
    const told = this.toldOf(to);
    if (told.has(id)) return;
    told.add(id);
    this.host.deliver(to, note(`(new lines in ${groupLabel(group, to)}: type bye to leave this group and go there)`));
  }

  /**
   * A rename, to a client without `events` (the course's, which would fail on it): told in words
   * while the one renamed is in its group, else not at all (nothing it shows names them).
   */
  private renamed(to: OnlineMember, event: Extract<ServerEvent, { action: 'rename'; front: string }>): void {
    const focus = to.focus === null ? undefined : this.host.groups.get(to.focus);
    if (focus?.members.some((m) => m.member.name === event.name)) this.host.deliver(to, note(renamed(event.old, event.name)));
  }

  /**
   * An event of the focus as the session can show it. A client without `events` (the course's)
   * prints any action it does not know as `from` + `message` while chatting, and fails on one
   * without them: a topic or lock change reaches it in words.
   */
  private shown(to: Member, event: ServerEvent): ServerEvent {
    if (to.features.has('events')) return event;
    if (event.action === 'topic' && event.by !== undefined) return note(topicChanged(event.by, event.topic));
    if (event.action === 'lock') return note(lockChanged(event.by, event.locked));
    if (event.action === 'mode' && event.status === 'changed') return note(modesChanged(event.by, event.changes));
    return event;
  }

  /** The session left its focus: the group with the most unread lines (the newest on a tie) becomes it. */
  focusLeft(me: OnlineMember, left: Group<OnlineMember>): void {
    let next: Group<OnlineMember> | undefined;
    let unread = -1;
    for (const group of this.host.groups.of(me)) {
      const count = this.host.groups.membership(group, me)!.unread;
      if (count >= unread) [next, unread] = [group, count];
    }
    if (!next) return;
    const label = groupLabel(next, me);
    this.enter(me, next, label, '');
    if (unread > 0) this.host.deliver(me, note(`(${unread} line${unread === 1 ? '' : 's'} in ${label} while you were in ${groupLabel(left, me)}; ? <word> searches them)`));
  }

  /** Makes the group the focus, shown as the classic connect request from `from` (on `front`). */
  private enter(me: OnlineMember, group: Group<OnlineMember>, from: string, front: string): void {
    this.host.setFocus(me, group);
    const room = group.room === undefined ? {} : { room: group.room };
    this.host.deliver(me, { action: 'connect', status: 'request', from, front, group: group.id, ...room, members: memberInfos(group), kind: group.kind });
  }
}
