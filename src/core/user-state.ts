/**
 * The per-user state machine (offline -> logged in -> chatting), driven by the events a user
 * receives and the actions they send. Clients and gateway fronts keep one per user to know
 * how to read typed input and what each event means on screen.
 */
import type { InputMode } from './commands.js';
import type { ClientAction, MemberInfo, ServerEvent } from './protocol.js';

export type UserStateName = 'offline' | 'loggedin' | 'chatting';

/** What an event or action did to the user's state. */
export type Transition =
  | { kind: 'none' }
  | { kind: 'logged-in'; name: string }
  | { kind: 'connected'; peer: string }
  | { kind: 'joined-by'; peer: string }
  | { kind: 'member-joined'; name: string }
  | { kind: 'member-left'; name: string }
  | { kind: 'dissolved' }
  | { kind: 'left'; peer: string };

const NONE: Transition = { kind: 'none' };

export class UserState {
  state: UserStateName = 'offline';
  name: string | null = null;
  /** The user this one connected with, as the classic screens name them. */
  peer = '';
  group: number | null = null;
  members: MemberInfo[] = [];
  /** The name last sent in a login request, confirmed by an ok reply (which may spell it otherwise). */
  private pendingName: string | null = null;

  get mode(): InputMode {
    return this.state === 'chatting' ? 'chat' : 'command';
  }

  /** Records an action the user sends; leaving a group takes effect at once, as in the classic client. */
  sent(action: ClientAction): Transition {
    if (action.action === 'login') this.pendingName = action.name;
    if (action.action === 'disconnect' && this.state === 'chatting') {
      const peer = this.peer;
      this.toLoggedIn();
      return { kind: 'left', peer };
    }
    return NONE;
  }

  apply(event: ServerEvent): Transition {
    switch (event.action) {
      case 'login':
        if (event.status !== 'ok' || this.pendingName === null) return NONE;
        // An account's login names it as registered (`Alice` for `alice`).
        this.name = event.name ?? this.pendingName;
        this.state = 'loggedin';
        return { kind: 'logged-in', name: this.name };
      case 'connect':
        if (event.status === 'request') {
          this.group = event.group;
          this.members = event.members;
          if (this.state === 'chatting') return { kind: 'member-joined', name: event.from };
          this.state = 'chatting';
          this.peer = event.from;
          return { kind: 'joined-by', peer: event.from };
        }
        if (event.status !== 'success' || this.state !== 'loggedin') return NONE;
        this.state = 'chatting';
        this.peer = event.peer ?? '';
        this.group = event.group ?? null;
        this.members = event.members ?? [];
        return { kind: 'connected', peer: this.peer };
      case 'leave':
        this.members = event.members;
        return { kind: 'member-left', name: event.name };
      case 'disconnect':
        if (this.state !== 'chatting') return NONE;
        this.toLoggedIn();
        return { kind: 'dissolved' };
      default:
        return NONE;
    }
  }

  private toLoggedIn(): void {
    this.state = 'loggedin';
    this.group = null;
    this.members = [];
  }
}
