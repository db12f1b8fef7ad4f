/**
 * One WebSocket connection: each text message is one JSON action, validated at the edge like
 * a classic frame and passed to the hub through the connection's rate limit; each hub event
 * goes out as one JSON text message, an answer with the `label` its request gave (refusals
 * included), so the client reads answers by label and takes the rest as pushes. A client that stops reading is cut off once its unread
 * output passes the cap; one that stops answering pings is dropped by the heartbeat. Either
 * way its user leaves their group like any vanished user. One that does not log in within the
 * login time is closed with code 4408.
 */
import { WebSocket, type RawData } from 'ws';
import type { EventSink, Session, SessionOptions } from '../../core/session.js';
import type { Logger } from '../../core/log.js';
import type { DropReason } from '../../core/observer.js';
import { PacedInput } from '../../core/paced-input.js';
import type { Label, ServerEvent } from '../../core/protocol.js';
import type { ThrottleOptions } from '../../core/throttle.js';
import { parseAction, type Validated } from '../../core/validate.js';
import type { Ticket } from '../../net/admission.js';

export interface WsLimits {
  maxMessageBytes: number;
  maxOutboundBytes: number;
  flood: ThrottleOptions;
}

/** The close code for a connection that did not log in in time (4000 + HTTP's 408 Request Timeout). */
const LOGIN_TIMEOUT_CLOSE = 4408;
/** A server operator ended the session (policy violation). */
const KILLED_CLOSE = 1008;

/** Pushes are serialised once per event, however many recipients share it. */
const messages = new WeakMap<ServerEvent, Buffer>();

/** The message for an event. An answer goes to one client, so it is serialised for it, with the request's label. */
function messageOf(event: ServerEvent, label?: Label): Buffer {
  if (label !== undefined) return Buffer.from(JSON.stringify({ ...event, label }), 'utf8');
  let message = messages.get(event);
  if (!message) {
    message = Buffer.from(JSON.stringify(event), 'utf8');
    messages.set(event, message);
  }
  return message;
}

/** Total bytes of a received message, however ws delivered it. */
function sizeOf(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data.byteLength;
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

/** The part of the raw socket used to batch a turn's messages into one write, and to name the peer in log lines. */
export interface Corkable {
  cork(): void;
  uncork(): void;
  readonly remoteAddress?: string | undefined;
  readonly remotePort?: number | undefined;
}

export class WsConnection implements EventSink {
  private readonly session: Session;
  private readonly input: PacedInput;
  private corked = false;
  /** Set by any sign of life; cleared at each heartbeat. */
  private alive = true;
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly socket: Corkable,
    open: (options: SessionOptions) => Session,
    private readonly limits: WsLimits,
    private readonly log: Logger,
    private readonly ticket: Ticket,
    private readonly onClose: (conn: WsConnection) => void,
  ) {
    this.session = open({ front: 'web', to: this });
    this.input = new PacedInput(this.session, limits.flood);
    ticket.whenLate((why) => {
      log.info('closing a web connection that did not log in in time', { peer: this.peer });
      this.end(LOGIN_TIMEOUT_CLOSE, why, 1000, 'timeout');
    });
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    ws.on('pong', () => (this.alive = true));
    ws.on('error', (err: Error & { code?: string }) => this.failed(err));
    ws.on('close', () => this.finish());
  }

  /** `address:port`, made for a log line rather than kept by every connection. */
  get peer(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    this.alive = true;
    const size = sizeOf(data);
    const input = this.read(data, isBinary, size);
    this.input.offer(input, input.ok ? size : 0);
  }

  private read(data: RawData, isBinary: boolean, size: number): Validated {
    if (isBinary) return { ok: false, error: { code: 'bad-request', msg: 'send each request as a text message holding one JSON object' } };
    if (size > this.limits.maxMessageBytes) {
      return { ok: false, error: { code: 'too-large', msg: `a message holds at most ${this.limits.maxMessageBytes} bytes; yours had ${size} and was dropped` } };
    }
    return parseAction(textOf(data));
  }

  /** Every hub event for this user (the connection is its session's sink: no closure to hold). */
  deliver(event: ServerEvent, label?: Label): void {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) return;
    if (event.action === 'login' && event.status === 'ok') this.ticket.loggedIn();
    if (!this.corked) {
      // Everything sent to this client in this turn leaves in one write at its end.
      this.corked = true;
      this.socket.cork();
      queueMicrotask(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.ws.send(messageOf(event, label), { binary: false });
    if (event.action === 'error' && event.code === 'killed') return this.end(KILLED_CLOSE, 'killed by a server operator', 1000);
    if (this.ws.bufferedAmount > this.limits.maxOutboundBytes) {
      this.log.warn('disconnecting a web client that does not read', { peer: this.peer, user: this.session.name ?? '-', unread: this.ws.bufferedAmount });
      this.drop('slow-consumer');
    }
  }

  /** ws closes the connection itself after a protocol error (1009 for a message over its hard cap, 1007 for bad UTF-8, ...). */
  private failed(err: Error & { code?: string }): void {
    const tooLarge = err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
    this.log.warn('closing a web connection after a protocol error', { peer: this.peer, user: this.session.name ?? '-', why: err.message });
    if (tooLarge) this.finish('too-large');
  }

  /** One heartbeat: drops the connection if the previous ping went unanswered, else pings again. */
  heartbeat(): void {
    if (this.closed) return;
    if (!this.alive) {
      this.log.info('dropping a web client that stopped answering pings', { peer: this.peer, user: this.session.name ?? '-' });
      this.drop('timeout');
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  /** Closes politely (close frame with `code`); the peer has `graceMs` to answer before the socket is cut. `drop` when the front drops it. */
  end(code: number, reason: string, graceMs: number, drop?: DropReason): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code, reason);
    const force = setTimeout(() => this.ws.terminate(), graceMs).unref();
    this.ws.once('close', () => clearTimeout(force));
    this.finish(drop);
  }

  private drop(reason: DropReason): void {
    this.ws.terminate();
    this.finish(reason);
  }

  private finish(reason?: DropReason): void {
    if (this.closed) return;
    this.closed = true;
    this.input.stop();
    this.session.close(reason);
    this.onClose(this);
  }
}
