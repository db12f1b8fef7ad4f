/**
 * The output side of a stream socket, shared by the socket fronts: whatever a turn produced
 * leaves in one write at its end; a peer whose unread output passes the cap is cut off (it is
 * not reading, and must not exhaust memory); closing drains what is queued, then gives the
 * peer a grace period before the socket is destroyed.
 */
import type { Socket } from 'node:net';

/** How long a closing connection may take to drain before it is dropped. */
export const END_GRACE_MS = 2000;

export class SocketOut {
  private scheduled = false;

  /**
   * @param collect takes everything queued since the last write (null or empty when nothing is)
   * @param onSlow called once the socket was destroyed because `unread` bytes were waiting
   */
  constructor(
    private readonly socket: Socket,
    private readonly maxUnreadBytes: number,
    private readonly collect: () => Buffer | string | null,
    private readonly onSlow: (unread: number) => void,
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
    const data = this.collect();
    if (data === null || data.length === 0 || this.socket.destroyed) return;
    this.socket.write(data);
    const unread = this.socket.writableLength;
    if (unread > this.maxUnreadBytes) {
      this.socket.destroy();
      this.onSlow(unread);
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
