/**
 * One IRC client's state on the gateway (nick, capabilities, registration, its channels) and
 * its hub session, opened with the `rooms` feature: every group the user is in reaches it.
 * Commands run through the verb table, one line at a time; a handler asks the hub with a fresh
 * label and gets back exactly the events delivered with that label. Events without a label are
 * pushes: the mirror shows them as channel and query traffic, and `ics` tells in words what the
 * mirror does not show (a restart, an error about an earlier line).
 */
import { nameKey } from '../../core/names.js';
import type { ClientAction, Feature, Label, ServerEvent } from '../../core/protocol.js';
import { renderEvent } from '../../core/render.js';
import type { AuthResult, Session } from '../../core/session.js';
import { SERVICE_NICK, type IrcClient, type IrcShared, type ListEvent } from './client.js';
import type { IrcMessage } from './message.js';
import { RPL } from './numerics.js';
import { ChannelMirror, IRC_HOST, type Viewer } from './outbound.js';
import { ReplyBuffer, type BufferOwner } from './reply-buffer.js';
import { chatLine } from './commands/messages.js';
import { runVerb } from './verbs.js';

/** An IRC client shows many channels at once, and wants to hear who joins and leaves them. */
const FEATURES: Feature[] = ['events', 'rooms'];

/** What the session needs of its connection. */
export interface SessionIo {
  /** Something was written to the buffer. */
  written(): void;
  /** Sends `ERROR :text` and closes the connection. */
  close(text: string): void;
}

export class IrcSession implements IrcClient, BufferOwner, Viewer {
  nick: string | null = null;
  username: string | null = null;
  registered = false;
  capNegotiating = false;
  password: string | null = null;
  account: string | null = null;
  sasl: string | null = null;
  closed = false;
  readonly caps = new Set<string>();
  readonly userModes = new Set<string>();
  readonly out: ReplyBuffer;
  readonly mirror: ChannelMirror;
  private hub: Session;
  /** The answers of the requests in flight, by the label each was dispatched with. */
  private readonly asking = new Map<Label, ServerEvent[]>();
  private labels = 0;

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

  get multiPrefix(): boolean {
    return this.caps.has('multi-prefix');
  }

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
    return this.shared.open({ front: IRC_HOST, deliver: (event, label) => this.deliver(event, label), features: FEATURES, ...(this.address ? { address: this.address } : {}) });
  }

  authenticate(name: string, password: string): Promise<AuthResult> {
    return this.hub.authenticate(name, password);
  }

  /**
   * Runs one command from the client: a plain line to one of its channels at once, anything else
   * through the verb table; a handler that waits for the hub gives a promise that settles (never
   * rejects) once it has finished.
   */
  handle(message: IrcMessage): void | Promise<void> {
    if (this.registered && chatLine(this, message)) return;
    return runVerb(this, message);
  }

  send(action: ClientAction): void {
    void this.hub.dispatch(action);
  }

  async ask(action: ClientAction): Promise<ServerEvent[]> {
    const label = String(++this.labels);
    const answers: ServerEvent[] = [];
    this.asking.set(label, answers);
    try {
      await this.hub.dispatch(action, label);
    } finally {
      this.asking.delete(label);
    }
    return answers;
  }

  async lookup(): Promise<ListEvent> {
    const list = (await this.ask({ action: 'list' })).find((e): e is ListEvent => e.action === 'list');
    if (!list) throw new Error('the hub did not answer list');
    return list;
  }

  tell(event: ServerEvent, target?: string): void {
    const text = renderEvent(event, target === undefined ? {} : { target });
    if (text !== null) this.out.service(text);
  }

  private deliver(event: ServerEvent, label?: Label): void {
    const answers = label === undefined ? undefined : this.asking.get(label);
    if (answers) return void answers.push(event);
    if (event.action === 'restart') return this.out.service(event.message);
    if (event.action === 'error' && event.code === 'killed') return this.quit(`Closing Link: ${this.nick ?? '*'} (Killed: ${event.msg})`);
    if (!this.mirror.apply(event)) this.tell(event);
  }

  /** A change of case only (the same name to the hub) must let go of the old name first. */
  async relogin(name: string): Promise<ServerEvent | undefined> {
    const old = this.hub;
    const caseOnly = this.nick !== null && nameKey(name) === nameKey(this.nick);
    if (caseOnly) old.close();
    this.hub = this.openHub();
    const reply = (await this.ask({ action: 'login', name, features: FEATURES })).find((e) => e.action === 'login');
    const ok = reply?.action === 'login' && reply.status === 'ok';
    if (caseOnly && !ok) throw new Error(`the hub refused ${name} right after its holder let go of it`);
    if (ok) old.close();
    else {
      this.hub.close();
      this.hub = old;
    }
    return reply;
  }

  loggedIn(name: string): void {
    this.account = name;
    this.out.numeric(RPL.LOGGEDIN, `${name}!${name}@${IRC_HOST}`, name, `You are now logged in as ${name}`);
  }

  quit(text: string): void {
    this.io.close(text);
  }

  /** The connection is gone: the user leaves their groups and their name is free. */
  close(): void {
    this.closed = true;
    if (this.nick !== null && this.registered) this.shared.away.delete(nameKey(this.nick));
    this.hub.close();
  }
}
