/**
 * The output side of a stream socket, shared by the socket fronts: whatever a turn produced
 * leaves in one write at its end; a peer whose unread output passes the cap is cut off (it is
 * not reading, and must not exhaust memory); closing drains what is queued, then gives the
 * peer a grace period before the socket is destroyed.
 */
import type { Socket } from 'node:net';

/** How long a closing connection may take to drain before it is dropped. */
export const END_GRACE_MS = 2000;

/** What a socket's output is written from (its connection: one object, not two closures per connection). */
export interface OutSource {
  /** Takes everything queued since the last write (null or empty when nothing is). */
  collect(): Buffer | string | null;
  /** The socket was destroyed because `unread` bytes were waiting. */
  slow(unread: number): void;
}

export class SocketOut {
  private scheduled = false;

  constructor(
    private readonly socket: Socket,
    private readonly maxUnreadBytes: number,
    private readonly source: OutSource,
  ) {}

  /** Something was queued: it leaves at the end of this turn, with everything else queued by then. */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.flush());
  }

  /** Writes what is queued now. */
  flush(): void {
    this.scheduled = false;
    const data = this.source.collect();
    if (data === null || data.length === 0 || this.socket.destroyed) return;
    this.socket.write(data);
    const unread = this.socket.writableLength;
    if (unread > this.maxUnreadBytes) {
      this.socket.destroy();
      this.source.slow(unread);
    }
  }

  /** Sends what is queued, then closes (forcibly if the peer does not close within the grace period). */
  end(): void {
    this.flush();
    this.socket.end();
    const force = setTimeout(() => this.socket.destroy(), END_GRACE_MS).unref();
    this.socket.once('close', () => clearTimeout(force));
  }
}
