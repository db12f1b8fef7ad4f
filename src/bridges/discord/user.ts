/**
 * One Discord user as a chat user: their hub session (opened on their first command, under
 * their stored name, with the `rooms` feature: they may be in many groups at once), their state,
 * where they last gave a command (a group they start opens its thread there), the conversation
 * their plain lines in the DM with the bot go to, and the idle timer that logs them out when they
 * are in no group.
 * Each action is dispatched with a fresh label, and the events the hub delivers with that
 * label are its answers; unlabelled events are pushes (lines, joins, leaves, notes). The hub
 * may answer later than `dispatch` returns, so a user's commands run one after another
 * (`serial`): the next starts once the previous one's answers are in.
 */
import type { SessionOpener } from '../../core/front.js';
import type { ClientAction, Label, ServerEvent } from '../../core/protocol.js';
import type { Session } from '../../core/session.js';
import { UserState, type Transition } from '../../core/user-state.js';

/** Where the user last gave a command: a bridged channel (of a guild), or a DM with the bot. */
export type Home = { kind: 'channel'; channelId: string; guildId: string } | { kind: 'dm' };

/**
 * Where plain lines typed in the user's DM with the bot go: a group followed there, or the
 * direct conversation with one person (kept by name: the next line brings an ended one back).
 */
export type Talk = { kind: 'group'; group: number } | { kind: 'direct'; peer: string };

/** What the bridge does with a user's events. */
export interface UserListener {
  /** An event nobody asked for (it came without a label), with what it did to the user's state. */
  pushed(user: DiscordUser, event: ServerEvent, transition: Transition): void;
  /** A command's answer changed the user's state (e.g. `connect` put them in a group). */
  changed(user: DiscordUser, event: ServerEvent, transition: Transition): void;
  /** What the user missed in one of the rooms or direct conversations they came back to. */
  missed(user: DiscordUser, event: Extract<ServerEvent, { action: 'missed' }>): void;
  /** The user left one of their groups (bye, quit or idle logout). */
  left(user: DiscordUser, group: number): void;
  /** The user's session is ending (they still have their name). */
  gone(user: DiscordUser, why: 'quit' | 'idle' | 'offline' | 'stop'): void;
}

export class DiscordUser {
  private session: Session | null = null;
  state = new UserState({ rooms: true });
  home: Home = { kind: 'dm' };
  /** The conversation plain lines in the DM with the bot go to, if any. */
  talk: Talk | null = null;
  /** Answers being collected, by the label of the request they answer. */
  private readonly answers = new Map<Label, ServerEvent[]>();
  private labels = 0;
  /** The end of this user's queue of commands. */
  private queue: Promise<void> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | null = null;
  /** Peers whose private lines this user was told how to answer. */
  readonly hinted = new Set<string>();

  constructor(
    readonly id: string,
    /** The Discord display name a first login derives the chat name from. */
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

  /** Whether plain lines in the DM with the bot go somewhere (a group the user is in, or a person). */
  get talking(): boolean {
    const talk = this.talk;
    return talk !== null && (talk.kind === 'direct' || this.state.groups.has(talk.group));
  }

  /** Runs `job` after this user's earlier commands have finished (whether they worked or not). */
  serial(job: () => Promise<void>): Promise<void> {
    const next = this.queue.then(job);
    this.queue = next.catch(() => {});
    return next;
  }

  /** Logs in under the stored name; null when that worked, else the hub's refusal. */
  async login(): Promise<ServerEvent | null> {
    if (this.online) return null;
    const session = this.hub.open({
      front: 'discord',
      deliver: (event, label) => this.deliver(event, label),
      // acks: each line's id comes back, so an edit or deletion on Discord can name it.
      features: ['events', 'rooms', 'acks'],
      identity: { provider: 'discord', id: this.id },
    });
    this.session = session;
    const answers = await this.run([{ action: 'login', name: this.handle }]);
    if (this.online) {
      // Back in the rooms and conversations they kept (each in its thread again), told what they missed.
      for (const e of await this.run([{ action: 'resume' }])) if (e.action === 'missed') this.listener.missed(this, e);
      return null;
    }
    if (this.session === session) this.session = null;
    session.close();
    return answers[0] ?? { action: 'error', code: 'internal', msg: 'the login got no answer' };
  }

  /** Dispatches actions, each with its own label, and resolves to their answers once all are in. */
  async run(actions: readonly ClientAction[]): Promise<ServerEvent[]> {
    const answers: ServerEvent[] = [];
    const session = this.session;
    if (!session) return answers;
    for (const action of actions) {
      const label = String(++this.labels);
      this.answers.set(label, answers);
      const group = action.action === 'disconnect' ? (action.group ?? this.state.group) : null;
      const transition = this.state.sent(action);
      const done = session.dispatch(action, label);
      if ((transition.kind === 'left' || transition.kind === 'left-group') && group !== null) this.listener.left(this, group);
      await done;
      this.answers.delete(label);
    }
    this.touch();
    return answers;
  }

  private deliver(event: ServerEvent, label?: Label): void {
    const transition = this.state.apply(event);
    const answers = label === undefined ? undefined : this.answers.get(label);
    if (answers) {
      answers.push(event);
      if (transition.kind !== 'none') this.listener.changed(this, event, transition);
    } else {
      this.listener.pushed(this, event, transition);
    }
    // A server operator ended the session: told, the user starts afresh with their next command.
    if (event.action === 'error' && event.code === 'killed') return this.end('quit');
    this.touch();
  }

  /** Activity: a user in no group is logged out after the idle time without any. */
  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (!this.online || this.state.groups.size > 0 || this.idleMs === 0) return;
    this.idleTimer = setTimeout(() => this.end('idle'), this.idleMs);
    this.idleTimer.unref();
  }

  /** Leaves the chat: out of every group (the others are told), session closed. */
  end(why: 'quit' | 'idle' | 'offline' | 'stop'): void {
    const session = this.session;
    if (!session) return;
    // Closing the session takes the user out of every group, the others told.
    for (const group of this.state.groups.keys()) this.listener.left(this, group);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.listener.gone(this, why);
    this.session = null;
    session.close();
    this.state = new UserState({ rooms: true });
    this.talk = null;
    this.hinted.clear();
  }
}
