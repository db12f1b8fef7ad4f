/**
 * One Discord user as a chat user: their hub session (opened on their first command, under
 * their stored name), their state, where they last gave a command (a group they start opens
 * its thread there), and the idle timer that logs them out when they are in no group.
 * The hub answers requests synchronously, so the events delivered while a command runs are
 * its answers; everything else (lines, joins, leaves, dissolution) is a push.
 */
import type { SessionOpener } from '../../core/front.js';
import type { Session } from '../../core/session.js';
import type { ClientAction, ServerEvent } from '../../core/protocol.js';
import { UserState, type Transition } from '../../core/user-state.js';

/** Where the user last gave a command: a bridged channel (of a guild), or a DM with the bot. */
export type Home = { kind: 'channel'; channelId: string; guildId: string } | { kind: 'dm' };

/** What the bridge does with a user's events. */
export interface UserListener {
  /** An event that is not the answer to a command running now, with what it did to the user's state. */
  pushed(user: DiscordUser, event: ServerEvent, transition: Transition): void;
  /** A command's answer changed the user's state (e.g. `connect` put them in a group). */
  changed(user: DiscordUser, event: ServerEvent, transition: Transition): void;
  /** The user left their group (bye, quit or idle logout). */
  left(user: DiscordUser, group: number): void;
  /** The user's session ended. */
  gone(user: DiscordUser, why: 'quit' | 'idle' | 'stop'): void;
}

/** Events that answer a request (as opposed to pushes from other users). */
function isAnswer(event: ServerEvent): boolean {
  switch (event.action) {
    case 'exchange':
    case 'leave':
    case 'presence':
    case 'disconnect':
      return false;
    case 'connect':
      return event.status !== 'request';
    case 'invite':
      return event.status !== 'request';
    case 'topic':
      // A change is told to the whole group; only a question about the topic is answered.
      return event.by === undefined;
    default:
      return true;
  }
}

export class DiscordUser {
  private session: Session | null = null;
  state = new UserState();
  home: Home = { kind: 'dm' };
  private collected: ServerEvent[] | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly id: string,
    /** The Discord username the chat name was derived from. */
    public handle: string,
    private readonly hub: SessionOpener,
    private readonly listener: UserListener,
    private readonly idleMs: number,
  ) {}

  get name(): string | null {
    return this.session?.name ?? null;
  }

  get online(): boolean {
    return this.name !== null;
  }

  /** Logs in under the stored name; null when that worked, else the hub's refusal. */
  login(): ServerEvent | null {
    if (this.online) return null;
    this.session = this.hub.open({
      front: 'discord',
      deliver: (event) => this.deliver(event),
      features: ['events'],
      identity: { provider: 'discord', id: this.id },
    });
    const answers = this.run([{ action: 'login', name: this.handle }]);
    if (this.online) return null;
    this.session.close();
    this.session = null;
    return answers[0] ?? { action: 'error', code: 'internal', msg: 'the login got no answer' };
  }

  /** Dispatches actions and returns the answers the hub gave meanwhile. */
  run(actions: readonly ClientAction[]): ServerEvent[] {
    const answers: ServerEvent[] = [];
    const session = this.session;
    if (!session) return answers;
    this.collected = answers;
    try {
      for (const action of actions) {
        const group = this.state.group;
        const transition = this.state.sent(action);
        session.dispatch(action);
        if (transition.kind === 'left' && group !== null) this.listener.left(this, group);
      }
    } finally {
      this.collected = null;
    }
    this.touch();
    return answers;
  }

  private deliver(event: ServerEvent): void {
    const transition = this.state.apply(event);
    if (this.collected && isAnswer(event)) {
      this.collected.push(event);
      if (transition.kind !== 'none') this.listener.changed(this, event, transition);
    } else {
      this.listener.pushed(this, event, transition);
    }
    this.touch();
  }

  /** Activity: a user in no group is logged out after the idle time without any. */
  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (!this.online || this.state.state === 'chatting' || this.idleMs === 0) return;
    this.idleTimer = setTimeout(() => this.end('idle'), this.idleMs);
    this.idleTimer.unref();
  }

  /** Leaves the chat: out of the group (the others are told), session closed. */
  end(why: 'quit' | 'idle' | 'stop'): void {
    const session = this.session;
    if (!session) return;
    if (this.state.group !== null) this.run([{ action: 'disconnect' }]);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.session = null;
    session.close();
    this.state = new UserState();
    this.listener.gone(this, why);
  }
}
