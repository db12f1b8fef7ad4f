/**
 * One IRC client's socket: bytes in through the line reader, flood control and a strict UTF-8
 * decoder to the session, one line at a time: a line's handler may wait for the hub, and the
 * next line waits for it, so replies come in the order the lines were sent. The session's
 * buffer goes out in one write per event-loop turn (not one per step of a waiting handler). Silence
 * is met with a PING and then, if it lasts, an ERROR and a close; so is a client that does not
 * register within the login time; a client that stops reading is cut off once its unread output
 * passes the cap. Whatever happens, only this client is affected.
 */
import { isUtf8 } from 'node:buffer';
import type { Socket } from 'node:net';
import { Throttle, type ThrottleSink } from '../../core/throttle.js';
import type { Ticket } from '../../net/admission.js';
import { SocketOut, type OutSource } from '../../net/socket-out.js';
import { LineReader, MAX_LINE_BYTES, type ReadItem } from './line-reader.js';
import { parseMessage } from './message.js';
import { ERR } from './numerics.js';
import type { IrcShared } from './client.js';
import { IrcSession, type SessionIo } from './session.js';
import { plainText } from './text.js';

/** Room for a line's IRCv3 tags (`@...` and its space) on top of the 512 bytes of the rest, as message-tags allows. */
const MAX_TAG_BYTES = 4096;

/** Whether a line fits: its tags (with `@` and the space after them) in 4096 bytes, the rest in the classic 512. */
function fits(line: Buffer): boolean {
  if (line[0] !== 0x40) return line.length <= MAX_LINE_BYTES;
  const tags = line.indexOf(0x20) + 1 || line.length;
  return tags <= MAX_TAG_BYTES && line.length - tags <= MAX_LINE_BYTES;
}

/**
 * The connection of each socket. The socket's listeners are functions shared by every
 * connection, which find their connection here: a closure each (and the context they share)
 * would cost an idle connection some 280 bytes, an entry here some 30.
 */
const bySocket = new WeakMap<Socket, IrcConnection>();

export class IrcConnection implements OutSource, ThrottleSink<ReadItem>, SessionIo {
  /** The reader of a line that came in part; none between lines, as an idle connection is. */
  private reader: LineReader | null = null;
  private readonly session: IrcSession;
  /**
   * The flood control of the lines read, while it holds anything a new one would not: dropped
   * once the client is quiet and its bucket full again (some 100 bytes an idle connection keeps
   * not), made again when a line comes.
   */
  private throttle: Throttle<ReadItem> | null = null;
  /**
   * Lines the throttle let through, waiting for the line before them to be handled. At most as
   * many wait as the throttle lets through at once and holds back (burst + queue); more are
   * refused like any flood.
   */
  private waiting: ReadItem[] | null = null;
  private handling = false;
  /** A write at the end of this turn, for what handlers wrote between their waits. */
  /** Registration was reported (to the ticket and the front). */
  private counted = false;
  private flushing: NodeJS.Immediate | null = null;
  private readonly out: SocketOut;
  private closed = false;
  /**
   * When the client last spoke, in whole milliseconds: a small integer is kept in the field
   * itself, where a fraction would take a number box of 16 bytes of its own.
   */
  private lastInput = Math.floor(performance.now());
  /** When the PING that silence earned went out; null while the client speaks. */
  private pingedAt: number | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly shared: IrcShared,
    private readonly ticket: Ticket,
    private readonly onClose: (conn: IrcConnection) => void,
    /** Told once, when the client completes registration. */
    private readonly onRegistered: (conn: IrcConnection) => void = () => undefined,
  ) {
    this.session = new IrcSession(shared, this, socket.remoteAddress ?? null);
    this.out = new SocketOut(socket, shared.config.maxOutboundBytes, this);
    socket.setNoDelay(true);
    bySocket.set(socket, this);
    socket.on('data', IrcConnection.socketData);
    socket.on('error', IrcConnection.socketError);
    socket.on('end', IrcConnection.socketEnd);
    socket.on('close', IrcConnection.socketClosed);
    ticket.whenLate((why) => {
      shared.log.info('closing an irc connection that did not register in time', { peer: this.peer });
      this.close(`Closing Link: ${this.session.nick ?? '*'} (Registration timed out: ${why})`);
    });
  }

  /** The socket's listeners: `this` is the socket, whose connection `bySocket` holds. */
  private static socketData(this: Socket, chunk: Buffer): void {
    bySocket.get(this)?.receive(chunk);
  }

  private static socketError(this: Socket, err: NodeJS.ErrnoException): void {
    const conn = bySocket.get(this);
    conn?.shared.log.debug('irc socket error', { peer: conn.peer, code: err.code ?? err.message });
  }

  private static socketEnd(this: Socket): void {
    bySocket.get(this)?.finish();
  }

  private static socketClosed(this: Socket): void {
    const conn = bySocket.get(this);
    conn?.ticket.release();
    conn?.finish();
  }

  /** Whether the client has registered. */
  get registered(): boolean {
    return this.session.registered;
  }

  /** The client's nick, `*` before it gave one. */
  get nick(): string {
    return this.session.nick ?? '*';
  }

  get peer(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    this.lastInput = Math.floor(performance.now());
    this.pingedAt = null;
    const reader = (this.reader ??= new LineReader(MAX_LINE_BYTES + MAX_TAG_BYTES));
    const items = reader.push(chunk);
    this.reader = reader.idle ? null : reader;
    for (const item of items) (this.throttle ??= new Throttle(this.shared.config.flood, this)).offer(item);
    this.rest();
  }

  /** A line the throttle let through. */
  run(item: ReadItem): void {
    if (this.handling) {
      const waiting = (this.waiting ??= []);
      const { burst, maxQueued } = this.shared.config.flood;
      if (waiting.length >= burst + maxQueued) return this.refuse(item);
      return void waiting.push(item);
    }
    const running = this.process(item);
    if (running) void this.handleInOrder(running);
  }

  /** Waits for a line's handler, then handles each line that arrived meanwhile, one after another. */
  private async handleInOrder(running: Promise<void>): Promise<void> {
    this.handling = true;
    try {
      await running;
      for (let item = this.waiting?.shift(); item !== undefined && !this.closed; item = this.waiting?.shift()) {
        const next = this.process(item);
        if (next) await next;
      }
    } finally {
      this.handling = false;
      if (this.waiting?.length === 0) this.waiting = null;
      this.rest();
    }
  }

  /** Drops the throttle when no line is under way and it is as a new one would be. */
  private rest(): void {
    if (!this.handling && this.throttle?.idle()) this.throttle = null;
  }

  /** Handles one line; a promise while its handler waits for the hub. */
  private process(item: ReadItem): void | Promise<void> {
    const out = this.session.out;
    if (item.kind === 'too-long' || !fits(item.bytes)) {
      return out.numeric(ERR.INPUTTOOLONG, 'Input line was too long (at most 512 bytes with CR LF); it was ignored');
    }
    // A line is whole, so checking it needs no decoder state: no TextDecoder (some 2.6 KB of ICU
    // state each) per connection.
    const valid = isUtf8(item.bytes);
    const message = parseMessage(item.bytes.toString('utf8').replace(/\0/g, ''));
    // USER is read lossily (bad bytes become U+FFFD): a Latin-1 realname must not keep a client from registering.
    if (!valid && message?.verb.toUpperCase() !== 'USER') return out.serverNotice('Your line was not valid UTF-8 and was ignored: this server speaks UTF-8 only');
    if (message) return this.session.handle(message);
  }

  /** A line the throttle refused (the client floods). */
  refuse(item: ReadItem): void {
    if (this.closed) return;
    const excerpt = item.kind === 'line' ? plainText(item.bytes.toString('utf8')).slice(0, 40) : '(an over-long line)';
    // Not the reply of a labelled command that may be under way.
    this.session.out.asPush((text) => this.session.out.serverNotice(text), `You are sending too fast: this line was dropped: ${excerpt} ... Wait a moment and send it again.`);
  }

  /**
   * The liveness check, run by the front's one timer for all its connections (a timer each
   * would cost an idle connection some 200 bytes): PING after the interval of silence, close
   * after as long again.
   */
  checkLiveness(now: number): void {
    if (this.closed) return;
    this.rest();
    const interval = this.shared.config.pingIntervalMs;
    if (now - this.lastInput < interval) return;
    if (this.pingedAt === null) {
      this.pingedAt = now;
      this.session.out.asPush((m) => this.session.out.send(m), { verb: 'PING', params: [this.shared.config.serverName] });
      return;
    }
    if (now - this.pingedAt < interval) return;
    this.shared.log.info('dropping a silent irc client', { peer: this.peer, user: this.session.nick ?? '-' });
    this.close(`Closing Link: ${this.session.nick ?? '*'} (Ping timeout: ${Math.ceil(interval / 1000)} seconds)`);
  }

  collect(): string {
    return this.session.out.take();
  }

  slow(unread: number): void {
    this.shared.log.warn('disconnecting an irc client that does not read', { peer: this.peer, user: this.session.nick ?? '-', unread });
    this.finish();
  }

  written(): void {
    // Registration ends with a welcome written here, however late a password check finished it.
    if (this.session.registered && !this.counted) {
      this.counted = true;
      this.ticket.loggedIn();
      this.onRegistered(this);
    }
    if (this.closed) return;
    if (!this.handling) return this.out.schedule();
    // A handler resumes in a microtask after each wait: what lines write leaves once, after the turn.
    this.flushing ??= setImmediate(() => {
      this.flushing = null;
      if (!this.closed) this.out.flush();
    });
  }

  /** Sends `ERROR :text` and what is queued, then closes (forcibly if the peer lingers). */
  close(text: string): void {
    if (this.closed) return;
    // Out at once, even in the middle of a labelled command, whose reply will never be sent.
    this.session.out.asPush((m) => this.session.out.send(m), { verb: 'ERROR', params: [text] });
    this.out.end();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.throttle?.stop();
    this.waiting = null;
    if (this.flushing) clearImmediate(this.flushing);
    this.session.close();
    this.onClose(this);
  }
}
