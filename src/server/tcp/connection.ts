/**
 * One native TCP connection: classic frames in, validated actions to the hub through the
 * connection's rate limit; hub events out as classic frames, written once per event-loop turn.
 * A client that stops reading is cut off once its unread output passes the cap; one that does
 * not log in is told so and closed after the front's long login time, or sooner when newer
 * connections need its place in the login queue; a stream that cannot be framed closes only itself.
 */
import type { Socket } from 'node:net';
import { encodeFrame, FrameDecoder } from '../../core/framing.js';
import type { EventSink, Session, SessionOptions } from '../../core/session.js';
import type { Logger } from '../../core/log.js';
import type { DropReason } from '../../core/observer.js';
import { PacedInput } from '../../core/paced-input.js';
import type { Label, ServerEvent } from '../../core/protocol.js';
import { parseAction } from '../../core/validate.js';
import type { Ticket } from '../../net/admission.js';
import { SocketOut, type OutSource } from '../../net/socket-out.js';
import type { TcpConfig } from '../config.js';
import { fitPayload } from './fit-frame.js';

/** Frames are built once per event, however many recipients share it. */
const frames = new WeakMap<ServerEvent, Buffer>();

/** An answer goes to one client only: its frame carries the request's label last (the classic client never sends one). */
function labelledFrame(event: ServerEvent, label: Label): Buffer {
  return encodeFrame(fitPayload({ ...event, label }));
}

export function frameOf(event: ServerEvent): Buffer {
  let frame = frames.get(event);
  if (!frame) {
    frame = encodeFrame(fitPayload(event));
    frames.set(event, frame);
  }
  return frame;
}

export class TcpConnection implements OutSource, EventSink {
  private readonly decoder: FrameDecoder;
  private readonly session: Session;
  private readonly input: PacedInput;
  private readonly out: SocketOut;
  /** This turn's frames; none while idle. */
  private queue: Buffer[] | null = null;
  private queuedBytes = 0;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    open: (options: SessionOptions) => Session,
    config: TcpConfig,
    private readonly log: Logger,
    private readonly ticket: Ticket,
    private readonly onClose: (conn: TcpConnection) => void,
  ) {
    this.decoder = new FrameDecoder(config.maxFrameChars);
    this.out = new SocketOut(socket, config.maxOutboundBytes, this);
    this.session = open({ front: 'tcp', to: this, ...(socket.remoteAddress ? { address: socket.remoteAddress } : {}) });
    this.input = new PacedInput(this.session, config.flood);
    ticket.whenLate((why) => this.loginTimedOut(why), { afterMs: config.loginTimeoutMs, yields: true });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => this.log.debug('tcp socket error', { peer: this.peer, code: err.code ?? err.message }));
    socket.on('close', () => {
      ticket.release();
      this.finish();
    });
  }

  get peer(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  private receive(chunk: Buffer): void {
    const { frames: texts, error } = this.decoder.push(chunk);
    for (const text of texts) {
      if (this.closed) return;
      this.input.offer(parseAction(text), text.length);
    }
    if (error) {
      this.log.warn('closing a tcp connection whose stream cannot be framed', { peer: this.peer, user: this.session.name ?? '-', why: error.msg });
      this.session.reject({ code: error.code, msg: `${error.msg}; closing the connection` });
      this.end();
    }
  }

  /** Every hub event for this user (the connection is its session's sink: no closure to hold). */
  deliver(event: ServerEvent, label?: Label): void {
    if (this.closed) return;
    if (event.action === 'login' && event.status === 'ok') this.ticket.loggedIn();
    const frame = label === undefined ? frameOf(event) : labelledFrame(event, label);
    (this.queue ??= []).push(frame);
    this.queuedBytes += frame.length;
    this.out.schedule();
    // A server operator ended this user's session: the connection goes with it, once told.
    if (event.action === 'error' && event.code === 'killed') this.end();
  }

  /** Everything queued this turn, as one buffer. */
  collect(): Buffer | null {
    const queue = this.queue;
    if (queue === null) return null;
    const data = queue.length === 1 ? queue[0]! : Buffer.concat(queue, this.queuedBytes);
    this.queue = null;
    this.queuedBytes = 0;
    return data;
  }

  slow(unread: number): void {
    this.log.warn('disconnecting a client that does not read', { peer: this.peer, user: this.session.name ?? '-', unread });
    this.finish('slow-consumer');
  }

  private loginTimedOut(why: string): void {
    this.log.info('closing a tcp connection that has not logged in', { peer: this.peer, why });
    this.session.reject({ code: 'login-timeout', msg: `${why}; closing the connection` });
    this.end('timeout');
  }

  /** Sends what is queued, then closes the connection. */
  end(reason?: DropReason): void {
    this.out.end();
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
