/**
 * One IRC client's state on the gateway (nick, capabilities, registration, away, its channel)
 * and its hub session. Commands run through the verb table; what the hub says comes back
 * through `deliver`: channel events are mirrored as IRC traffic, and each reply goes to the
 * command that asked for it. The hub answers an action before `dispatch` returns, which is
 * what lets a reply find its command; a reply nobody waits for (such as `register`'s, which
 * comes once the password is hashed) is shown as a notice from `ics`.
 */
import type { Clock } from '../../core/clock.js';
import type { AuthResult } from '../../core/session.js';
import type { Session, SessionOptions } from '../../core/session.js';
import type { Logger } from '../../core/log.js';
import { nameKey } from '../../core/names.js';
import type { ClientAction, ServerEvent } from '../../core/protocol.js';
import { renderEvent } from '../../core/render.js';
import type { IrcConfig } from '../../server/config.js';
import type { IrcMessage } from './message.js';
import { RPL } from './numerics.js';
import { ChannelMirror, IRC_HOST, type Viewer } from './outbound.js';
import { ReplyBuffer, type BufferOwner } from './reply-buffer.js';
import { runVerb } from './verbs.js';

/** The service user that answers commands. */
export const SERVICE_NICK = 'ics';

/** What all connections of the front share. */
export interface IrcShared {
  readonly config: IrcConfig;
  readonly motd: readonly string[] | null;
  readonly startedAt: Date;
  readonly clock: Clock;
  readonly log: Logger;
  /** Away messages of this front's users, by name key. */
  readonly away: Map<string, string>;
  open(options: SessionOptions): Session;
}

/** What the session needs of its connection. */
export interface SessionIo {
  /** Something was written to the buffer. */
  written(): void;
  /** Sends `ERROR :text` and closes the connection. */
  close(text: string): void;
}

export type ReplyHandler = (event: ServerEvent) => void;
export type ListEvent = Extract<ServerEvent, { action: 'list' }>;

/** Whether an event answers the action being dispatched (rather than telling of something else). */
function isReply(event: ServerEvent): boolean {
  switch (event.action) {
    case 'connect':
    case 'invite':
      return event.status !== 'request';
    case 'topic':
      return event.by === undefined;
    case 'exchange':
    case 'leave':
    case 'disconnect':
    case 'presence':
      return false;
    default:
      return true;
  }
}

export class IrcSession implements BufferOwner, Viewer {
  /** The nick asked for before registration; the chat name after. */
  nick: string | null = null;
  /** Set by USER; registration waits for it. */
  username: string | null = null;
  registered = false;
  /** CAP LS or REQ was seen before registration: registration waits for CAP END. */
  capNegotiating = false;
  /** From PASS: the password of the nick's account, checked when registration completes. */
  password: string | null = null;
  /** The account this connection proved it holds (SASL or PASS); its name becomes the nick. */
  account: string | null = null;
  /** A password is being checked: registration waits for it. */
  authenticating = false;
  /** A SASL PLAIN exchange: the base64 received so far; null when none is under way. */
  sasl: string | null = null;
  closed = false;
  readonly caps = new Set<string>();
  readonly userModes = new Set<string>();
  readonly out: ReplyBuffer;
  readonly mirror: ChannelMirror;
  private hub: Session;
  private replyTo: ReplyHandler | null = null;

  constructor(
    readonly shared: IrcShared,
    private readonly io: SessionIo,
    /** The client's network address (failed logins are limited per address). */
    private readonly address: string | null = null,
  ) {
    this.out = new ReplyBuffer(this);
    this.mirror = new ChannelMirror(this, this.out);
    this.hub = this.openHub();
  }

  get serverName(): string {
    return this.shared.config.serverName;
  }

  get serviceMask(): string {
    return `${SERVICE_NICK}!${SERVICE_NICK}@${this.serverName}`;
  }

  get serverTime(): boolean {
    return this.caps.has('server-time');
  }

  /** This user's own mask. */
  get mask(): string {
    return `${this.nick}!${this.nick}@${IRC_HOST}`;
  }

  target(): string {
    return this.registered ? this.nick! : '*';
  }

  written(): void {
    this.io.written();
  }

  now(): Date {
    return this.shared.clock.now();
  }

  private openHub(): Session {
    return this.shared.open({ front: IRC_HOST, deliver: (event) => this.deliver(event), features: ['events'], ...(this.address ? { address: this.address } : {}) });
  }

  /** Checks the password of an account before registration (SASL, PASS); the login then takes that account's name. */
  authenticate(name: string, password: string): Promise<AuthResult> {
    return this.hub.authenticate(name, password);
  }

  /** Runs one command from the client. */
  handle(message: IrcMessage): void {
    runVerb(this, message);
  }

  /** Dispatches an action; its reply goes to `onReply` (by default, notices from `ics`). */
  ask(action: ClientAction, onReply: ReplyHandler = this.serviceReply(action)): void {
    const outer = this.replyTo;
    this.replyTo = onReply;
    try {
      this.hub.dispatch(action);
    } finally {
      this.replyTo = outer;
    }
    // The hub tells the one who leaves nothing: the client sees its own PART.
    if (action.action === 'disconnect') this.mirror.selfPart(action.reason);
  }

  /** Who is online and which groups exist, right now. */
  lookup(): ListEvent {
    let list: ListEvent | undefined;
    this.ask({ action: 'list' }, (event) => {
      if (event.action === 'list') list = event;
    });
    if (!list) throw new Error('the hub did not answer list before dispatch returned');
    return list;
  }

  /** Renders a reply as the terminal client would, one notice per line. */
  serviceReply(action?: ClientAction): ReplyHandler {
    const target = action && 'target' in action ? action.target : undefined;
    return (event) => {
      if (event.action === 'connect' && event.status === 'success') {
        const view = this.mirror.view;
        const others = (event.members ?? []).filter((m) => m.name !== this.nick).map((m) => `${m.name} (${m.front})`);
        const company = others.length > 0 ? ` with ${others.join(', ')}` : '';
        if (view) this.out.service(`You are in ${view.name}${company}. Chat there; bye or /part ${view.name} leaves.`);
        return;
      }
      const text = renderEvent(event, target === undefined ? {} : { target });
      if (text !== null) this.out.service(text);
    };
  }

  private deliver(event: ServerEvent): void {
    if (event.action === 'restart') return this.out.service(event.message);
    if (event.action === 'register' && event.status === 'ok') this.loggedIn(this.nick!);
    this.mirror.apply(event);
    if (isReply(event)) (this.replyTo ?? this.serviceReply())(event);
  }

  /**
   * Logs in under a new name in a fresh hub session, keeping the old one unless that worked.
   * A change of case only (the same name to the hub) must let go of the old name first.
   */
  relogin(name: string): ServerEvent | undefined {
    const old = this.hub;
    const caseOnly = this.nick !== null && nameKey(name) === nameKey(this.nick);
    if (caseOnly) old.close();
    this.hub = this.openHub();
    let reply: ServerEvent | undefined;
    this.ask({ action: 'login', name, features: ['events'] }, (event) => (reply = event));
    const ok = reply?.action === 'login' && reply.status === 'ok';
    if (caseOnly && !ok) throw new Error(`the hub refused ${name} right after its holder let go of it`);
    if (ok) old.close();
    else {
      this.hub.close();
      this.hub = old;
    }
    return reply;
  }

  /** RPL_LOGGEDIN: the connection now holds the account `name`. */
  loggedIn(name: string): void {
    this.account = name;
    this.out.numeric(RPL.LOGGEDIN, `${name}!${name}@${IRC_HOST}`, name, `You are now logged in as ${name}`);
  }

  /** Ends the connection with `ERROR :text`. */
  quit(text: string): void {
    this.io.close(text);
  }

  /** The connection is gone: the user leaves their group and their name is free. */
  close(): void {
    this.closed = true;
    if (this.nick !== null && this.registered) this.shared.away.delete(nameKey(this.nick));
    this.hub.close();
  }
}
