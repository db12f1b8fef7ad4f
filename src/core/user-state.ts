/**
 * The per-user state machine (offline -> logged in -> chatting), driven by the events a user
 * receives and the actions they send. Clients and gateway fronts keep one per user to know
 * how to read typed input and what each event means on screen. A client that logs in with
 * `rooms` may be in many groups: `group` is its focus (where typed lines go) and `groups` all of
 * them; while it is in one group, every transition is the classic one. Without `rooms` the
 * server shows one group at a time (the classic view), and so does this state.
 */
import type { InputMode } from './commands.js';
import { membersAfter } from './member-list.js';
import type { ClientAction, GroupKind, MemberInfo, ServerEvent } from './protocol.js';

export type UserStateName = 'offline' | 'loggedin' | 'chatting';

/** One of the user's groups as the user knows it. */
export interface GroupView {
  group: number;
  kind: GroupKind;
  /** What the user calls it: `#room`, `#group-N`, or the other person's name for a direct conversation. */
  label: string;
  members: MemberInfo[];
}

/** What an event or action did to the user's state. */
export type Transition =
  | { kind: 'none' }
  | { kind: 'logged-in'; name: string }
  | { kind: 'connected'; peer: string }
  | { kind: 'joined-by'; peer: string }
  | { kind: 'member-joined'; name: string }
  | { kind: 'member-left'; name: string }
  | { kind: 'dissolved' }
  | { kind: 'left'; peer: string }
  /** The user left one of several groups; when it was the focus, the server says where the focus went. */
  | { kind: 'left-group'; label: string }
  /** A group of the user's ended, or they were removed from it (`kicked`), and they are in others still. */
  | { kind: 'group-ended'; label: string; kicked: boolean; direct: boolean }
  /** The focus moved to another of the user's groups (asked for, or because the focus was left). */
  | { kind: 'focused'; label: string; unread: number };

const NONE: Transition = { kind: 'none' };

export interface UserStateOptions {
  /** The session shows many groups (logged in with `rooms` by its front rather than by a login action). */
  rooms?: boolean;
}

export class UserState {
  state: UserStateName = 'offline';
  name: string | null = null;
  /** The user this one connected with, as the classic screens name them (the focus's label after a switch). */
  peer = '';
  /** The focus: the group typed lines go to. */
  group: number | null = null;
  /** The focus's members. */
  members: MemberInfo[] = [];
  /** Every group the user is in, by id, in the order they were learnt. */
  readonly groups = new Map<number, GroupView>();
  /** The name last sent in a login request, confirmed by an ok reply (which may spell it otherwise). */
  private pendingName: string | null = null;
  private manyGroups: boolean;

  constructor(options: UserStateOptions = {}) {
    this.manyGroups = options.rooms === true;
  }

  get mode(): InputMode {
    return this.state === 'chatting' ? 'chat' : 'command';
  }

  /** The id of one of the user's groups by its label, any case (the lookup `parseCommand` takes for `bye #room`). */
  readonly lookup = (label: string): number | undefined => {
    const wanted = label.trim().toLowerCase();
    for (const view of this.groups.values()) if (view.label.toLowerCase() === wanted) return view.group;
    return undefined;
  };

  /** Records an action the user sends; leaving a group takes effect at once, as in the classic client. */
  sent(action: ClientAction): Transition {
    if (action.action === 'login') {
      this.pendingName = action.name;
      if (action.features?.includes('rooms')) this.manyGroups = true;
    }
    if (action.action !== 'disconnect') return NONE;
    const id = action.group ?? this.group;
    const view = id === null ? undefined : this.groups.get(id);
    if (id !== this.group) {
      if (!view) return NONE;
      this.groups.delete(view.group);
      return { kind: 'left-group', label: view.label };
    }
    if (this.state !== 'chatting') return NONE;
    const peer = this.peer;
    if (id !== null) this.groups.delete(id);
    this.toLoggedIn();
    return this.groups.size === 0 ? { kind: 'left', peer } : { kind: 'left-group', label: view?.label ?? peer };
  }

  apply(event: ServerEvent): Transition {
    switch (event.action) {
      case 'login':
        if (event.status !== 'ok' || this.pendingName === null) return NONE;
        // An account's login names it as registered (`Alice` for `alice`).
        this.name = event.name ?? this.pendingName;
        this.state = 'loggedin';
        this.groups.clear();
        return { kind: 'logged-in', name: this.name };
      case 'connect':
        return this.connected(event);
      case 'leave': {
        const view = this.groups.get(event.group);
        if (view) view.members = membersAfter(event, view.members);
        if (event.group === this.group || !this.manyGroups) this.members = membersAfter(event, this.members);
        return { kind: 'member-left', name: event.name };
      }
      case 'disconnect':
        return this.ended(event);
      case 'focus':
        if (event.group === null) {
          if (this.state !== 'chatting') return NONE;
          this.toLoggedIn();
          return { kind: 'dissolved' };
        }
        return this.focused(event.group, event.kind ?? 'adhoc', event.title ?? `#group-${event.group}`, event.members ?? [], event.unread ?? 0);
      case 'rooms':
        this.groups.clear();
        for (const g of event.groups) this.remember({ group: g.group, kind: g.kind, label: g.label, members: g.members });
        this.resync(event.groups.find((g) => g.focus)?.group ?? null);
        return NONE;
      case 'exchange':
        // A direct conversation begins with its first line (no connect request).
        if (this.manyGroups && event.direct && !this.groups.has(event.group)) {
          this.remember({ group: event.group, kind: 'direct', label: event.name, members: [{ name: event.name, front: event.front }] });
        }
        return NONE;
      case 'direct':
        if (this.manyGroups && !this.groups.has(event.group)) this.remember({ group: event.group, kind: 'direct', label: event.title, members: [] });
        return NONE;
      case 'rename':
        if ('front' in event) this.renamed(event.old, event.name);
        else if (event.status === 'ok') this.name = event.name;
        return NONE;
      default:
        return NONE;
    }
  }

  /** Someone is now called `name`: the members shown, and a direct conversation's label, follow. */
  private renamed(old: string, name: string): void {
    const follow = (members: MemberInfo[]): MemberInfo[] => members.map((m) => (m.name === old ? { ...m, name } : m));
    this.members = follow(this.members);
    if (this.peer === old) this.peer = name;
    for (const view of this.groups.values()) {
      view.members = follow(view.members);
      if (view.kind === 'direct' && view.label === old) view.label = name;
    }
  }

  private connected(event: Extract<ServerEvent, { action: 'connect' }>): Transition {
    if (event.status === 'request') {
      const label = event.room ?? (event.kind === 'direct' ? event.from : `#group-${event.group}`);
      const known = this.groups.get(event.group)?.members ?? (event.group === this.group ? this.members : []);
      const members = membersAfter(event, known);
      this.remember({ group: event.group, kind: event.kind ?? (event.room ? 'room' : 'adhoc'), label, members });
      if (this.state === 'chatting') {
        if (event.group === this.group || !this.manyGroups) this.setFocus(event.group, members);
        return { kind: 'member-joined', name: event.from };
      }
      this.setFocus(event.group, members);
      this.state = 'chatting';
      this.peer = event.from;
      return { kind: 'joined-by', peer: event.from };
    }
    // A many-group user's connect while chatting joins another group and moves the focus there.
    if (event.status !== 'success' || (this.state !== 'loggedin' && !(this.manyGroups && this.state === 'chatting'))) return NONE;
    this.state = 'chatting';
    this.peer = event.peer ?? '';
    this.setFocus(event.group ?? null, event.members ?? []);
    if (event.group !== undefined) {
      const label = event.room ?? (event.kind === 'direct' ? this.peer : `#group-${event.group}`);
      this.remember({ group: event.group, kind: event.kind ?? (event.room ? 'room' : 'adhoc'), label, members: this.members });
    }
    return { kind: 'connected', peer: this.peer };
  }

  /** A group ended or the user was removed from it: the classic menu when it was their only one. */
  private ended(event: Extract<ServerEvent, { action: 'disconnect' }>): Transition {
    const view = this.groups.get(event.group);
    const kicked = event.by !== undefined;
    if (event.group !== this.group) {
      if (!view) return NONE;
      this.groups.delete(event.group);
      return { kind: 'group-ended', label: view.label, kicked, direct: view.kind === 'direct' };
    }
    if (this.state !== 'chatting') return NONE;
    this.groups.delete(event.group);
    this.toLoggedIn();
    if (this.groups.size === 0) return { kind: 'dissolved' };
    // Still in others: the server moves the focus next (a focus push, or the classic view's connect request).
    return { kind: 'group-ended', label: view?.label ?? this.peer, kicked, direct: view?.kind === 'direct' };
  }

  private focused(group: number, kind: GroupKind, label: string, members: MemberInfo[], unread: number): Transition {
    this.remember({ group, kind, label, members });
    this.setFocus(group, members);
    this.state = 'chatting';
    this.peer = label;
    return { kind: 'focused', label, unread };
  }

  /** Takes the server's list of the user's groups as the truth about where the focus is. */
  private resync(focus: number | null): void {
    const view = focus === null ? undefined : this.groups.get(focus);
    if (!view) {
      if (this.state === 'chatting') this.toLoggedIn();
      return;
    }
    if (view.group !== this.group) this.peer = view.label;
    this.setFocus(view.group, view.members);
    this.state = 'chatting';
  }

  /** Records a group; a one-group session knows only its focus. */
  private remember(view: GroupView): void {
    if (!this.manyGroups) this.groups.clear();
    this.groups.set(view.group, view);
  }

  private setFocus(group: number | null, members: MemberInfo[]): void {
    this.group = group;
    this.members = members;
  }

  private toLoggedIn(): void {
    this.state = 'loggedin';
    this.group = null;
    this.members = [];
  }
}
