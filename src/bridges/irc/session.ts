/**
 * One IRC client's state on the gateway (nick, capabilities, registration, its channels) and
 * its hub session, opened with the `rooms` feature: every group the user is in reaches it.
 * Commands run through the verb table, one line at a time; a handler asks the hub with a fresh
 * label and gets back exactly the events delivered with that label. Events without a label are
 * pushes: the mirror shows them as channel and query traffic, and `ics` tells in words what the
 * mirror does not show (a restart, an error about an earlier line). A command labelled
 * (`labeled-response`) has what it writes held apart and answered under its label (labels.ts).
 */
import type { ClientAction, Feature, Label, ServerEvent } from '../../core/protocol.js';
import { renderEvent } from '../../core/render.js';
import type { AuthResult, EventSink, Session } from '../../core/session.js';
import { SERVICE_NICK, type IrcClient, type IrcShared, type ListEvent } from './client.js';
import { labelReply } from './labels.js';
import { username, type Ident } from './ident.js';
import { tellCommon } from './notify.js';
import type { IrcMessage } from './message.js';
import { RPL } from './numerics.js';
import { LineTag } from './line-tags.js';
import { ChannelMirror, IRC_HOST, type Viewer } from './outbound.js';
import { ReplyBuffer, type BufferOwner } from './reply-buffer.js';
import { chatLine } from './commands/messages.js';
import { runVerb } from './verbs.js';

/**
 * An IRC client shows many channels at once, and wants to hear who joins and leaves them. Its own
 * lines come back only with `echo-message`, and signals (TAGMSG) only with `message-tags`: the
 * hub is told as the client negotiates (capsChanged), so no line is delivered to be dropped.
 */
const FEATURES: Feature[] = ['events', 'rooms'];

/**
 * The capabilities and modes of a session that has none: shared, never written. An idle
 * connection holds no sets or maps of its own until it needs them.
 */
const NONE: ReadonlySet<string> = new Set();

/**
 * The last label a session asked the hub with. A label needs to differ only from the others of
 * its session in flight; counted for all sessions at once, it takes no field in each.
 */
let lastLabel = 0;

/** What the session needs of its connection. */
export interface SessionIo {
  /** Something was written to the buffer. */
  written(): void;
  /** Sends `ERROR :text` and closes the connection. */
  close(text: string): void;
}

/**
 * Once welcomed, the session is also its user's ident (as the front's records and WHOIS read it):
 * an object of its own would cost every registered user some 50 bytes more.
 */
export class IrcSession implements IrcClient, BufferOwner, Viewer, Ident, EventSink {
  nick: string | null = null;
  username: string | null = null;
  realname = '';
  /** The username as shown (Ident); empty until welcomed. */
  user = '';
  signon = 0;
  active = 0;
  registered = false;
  capNegotiating = false;
  password: string | null = null;
  account: string | null = null;
  sasl: string | null = null;
  closed = false;
  private capSet: Set<string> | null = null;
  capVersion = 0;
  /** Kept from `caps` by capsChanged(): read for every chat line delivered. */
  lineTags = 0;
  private modeSet: Set<string> | null = null;
  readonly out: ReplyBuffer;
  /** The mirror, once anything needed it: a user who joined no channel and was sent nothing holds none. */
  private mirrorMade: ChannelMirror | null = null;
  private readonly hub: Session;
  /** The answers of the requests in flight, by the label each was dispatched with. */
  private asking: Map<Label, ServerEvent[]> | null = null;
  private batches = 0;
  /** Chat lines taken while the current labelled command ran. */
  private saidLines = 0;
  /** Labels of commands whose answer is the echo of their line, still to come, in order. */
  private echoLabels: string[] | null = null;
  /** What the others are told when this connection ends (a QUIT's reason). */
  private leaving: string | undefined;

  constructor(
    readonly shared: IrcShared,
    private readonly io: SessionIo,
    /** The client's network address (failed logins are limited per address). */
    address: string | null = null,
  ) {
    this.out = new ReplyBuffer(this);
    this.hub = this.openHub(address);
  }

  get ident(): Ident | null {
    return this.user === '' ? null : this;
  }

  get mirror(): ChannelMirror {
    return (this.mirrorMade ??= new ChannelMirror(this, this.out));
  }

  get serverName(): string {
    return this.shared.config.serverName;
  }

  get serviceMask(): string {
    return `${SERVICE_NICK}!${SERVICE_NICK}@${this.serverName}`;
  }

  get caps(): ReadonlySet<string> {
    return this.capSet ?? NONE;
  }

  setCap(cap: string, on: boolean): void {
    if (on) (this.capSet ??= new Set()).add(cap);
    else this.capSet?.delete(cap);
  }

  get userModes(): ReadonlySet<string> {
    return this.modeSet ?? NONE;
  }

  setUserMode(mode: string, on: boolean): void {
    if (on) (this.modeSet ??= new Set()).add(mode);
    else this.modeSet?.delete(mode);
  }

  capsChanged(): void {
    const caps = this.caps;
    this.lineTags = (caps.has('server-time') ? LineTag.time : 0) | (caps.has('message-tags') ? LineTag.msgid : 0) | (caps.has('account-tag') ? LineTag.account : 0);
    this.hub.want('echo', this.echo);
    this.hub.want('signals', caps.has('message-tags'));
  }

  /** What the hub delivers to this client, as negotiated so far. */
  private features(): Feature[] {
    return [...FEATURES, ...(this.echo ? (['echo'] as const) : []), ...(this.caps.has('message-tags') ? (['signals'] as const) : [])];
  }

  get echo(): boolean {
    return this.caps.has('echo-message');
  }

  get extendedJoin(): boolean {
    return this.caps.has('extended-join');
  }

  get userhostInNames(): boolean {
    return this.caps.has('userhost-in-names');
  }

  get awayNotify(): boolean {
    return this.caps.has('away-notify');
  }

  get inviteNotify(): boolean {
    return this.caps.has('invite-notify');
  }

  echoLabel(): string | undefined {
    return this.echoLabels?.shift();
  }

  said(): void {
    this.saidLines++;
  }

  private nextBatch(): string {
    return (++this.batches).toString(36);
  }

  batch(type: string, params: string[], lines: readonly string[]): void {
    if (!this.caps.has('batch')) return this.out.tagged(lines, {});
    const id = this.nextBatch();
    this.out.send({ source: this.serverName, verb: 'BATCH', params: [`+${id}`, type, ...params] });
    this.out.tagged(lines, { batch: id });
    this.out.send({ source: this.serverName, verb: 'BATCH', params: [`-${id}`] });
  }

  get multiPrefix(): boolean {
    return this.caps.has('multi-prefix');
  }

  get mask(): string {
    return this.maskOf(this.nick ?? '*', IRC_HOST);
  }

  maskOf(name: string, front: string): string {
    return this.shared.idents.maskOf(name, front);
  }

  realnameOf(name: string, front: string): string {
    return this.shared.idents.realnameOf(name, front);
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

  private openHub(address: string | null): Session {
    return this.shared.open({ front: IRC_HOST, to: this, features: this.features(), ...(address ? { address } : {}) });
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
    const label = message.tags?.['label'];
    if (label === undefined) {
      if (this.registered && chatLine(this, message)) return;
      return runVerb(this, message);
    }
    if (!this.caps.has('labeled-response') || label === '') return runVerb(this, message);
    this.out.capture();
    this.saidLines = 0;
    return runVerb(this, message).then(() => this.answer(label));
  }

  /** The reply of a labelled command: what it wrote, or the echo of its line to come, or ACK. */
  private answer(label: string): void {
    const lines = this.out.captures();
    if (lines.length === 0 && this.saidLines > 0 && this.echo) return void (this.echoLabels ??= []).push(label);
    labelReply({ out: this.out, serverName: this.serverName, batches: this.caps.has('batch'), nextBatch: () => this.nextBatch() }, label, lines);
  }

  send(action: ClientAction): void {
    void this.hub.dispatch(action);
  }

  async ask(action: ClientAction): Promise<ServerEvent[]> {
    const label = String(++lastLabel);
    const answers: ServerEvent[] = [];
    const asking = (this.asking ??= new Map());
    asking.set(label, answers);
    try {
      await this.hub.dispatch(action, label);
    } finally {
      asking.delete(label);
      if (asking.size === 0 && this.asking === asking) this.asking = null;
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

  tellIn(channel: string, event: ServerEvent): void {
    const text = renderEvent(event);
    if (text !== null) this.out.service(text, channel);
  }

  /** Every hub event for this user (the session is its own sink: no closure to hold). */
  deliver(event: ServerEvent, label?: Label): void {
    const answers = label === undefined ? undefined : this.asking?.get(label);
    if (answers) return void answers.push(event);
    // A failed commit takes every line of its turn: no echo is coming for them.
    if (event.action === 'error' && event.code === 'not-stored') this.echoLabels = null;
    if (event.action === 'error' && event.code === 'killed') return this.quit(`Closing Link: ${this.nick ?? '*'} (Killed: ${event.msg})`);
    this.out.asPush(this.pushed, event, this);
  }

  /** A hub event nobody asked for, written as a push (a method, not a closure per event: the fan-out's hot path). */
  private pushed(event: ServerEvent): void {
    if (event.action === 'restart') return this.out.service(event.message);
    if (!this.mirror.apply(event)) this.tell(event);
  }

  welcomed(): void {
    const now = Math.floor(this.now().getTime() / 1000);
    this.user = username(this.username ?? this.nick!, this.account !== null);
    this.signon = now;
    this.active = now;
    this.shared.idents.set(this.nick!, this);
    this.shared.clients.add(this);
  }

  renamed(name: string): void {
    const old = this.nick!;
    this.gone();
    this.out.send({ source: this.mask, verb: 'NICK', params: [name] });
    this.mirror.renamed(old, name);
    this.shared.idents.delete(old);
    this.nick = name;
    if (this.ident) this.shared.idents.set(name, this);
  }

  /** The nick is given up: WHOWAS remembers it. */
  private gone(): void {
    if (!this.ident || this.nick === null) return;
    this.shared.whowas.add({ nick: this.nick, user: this.user, host: IRC_HOST, realname: this.realname, at: Math.floor(this.now().getTime() / 1000) });
  }

  loggedIn(name: string): void {
    this.account = name;
    const user = username(this.username ?? name, true);
    this.out.numeric(RPL.LOGGEDIN, `${name}!${user}@${IRC_HOST}`, name, `You are now logged in as ${name}`);
    // After registration (an account registered through ics) the others see the account and the `~` go.
    if (!this.ident) return;
    const before = this.mask;
    tellCommon(this, 'account-notify', { source: before, verb: 'ACCOUNT', params: [name] });
    if (this.user === user) return;
    this.user = user;
    tellCommon(this, 'chghost', { source: before, verb: 'CHGHOST', params: [user, IRC_HOST] });
  }

  quit(text: string, reason?: string): void {
    this.leaving = reason;
    this.io.close(text);
  }

  /** The connection is gone: the user leaves their groups (the others told why) and their name is free. */
  close(): void {
    this.closed = true;
    this.shared.clients.delete(this);
    this.hub.close(undefined, this.leaving);
    if (this.registered && this.nick !== null) {
      this.gone();
      this.shared.idents.delete(this.nick);
    }
  }
}
