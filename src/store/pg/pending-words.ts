/**
 * The search index's pending list, kept short from a connection of its own. PostgreSQL adds a
 * line's words to a GIN index's pending list, which is cheap, and merges the list into the index
 * once it passes `gin_pending_list_limit` (4 MB). The insert that finds it full does the merge
 * itself, and that insert is the hub's commit: it stalled every line of the turn for about 200 ms
 * once per few tens of thousands of lines (measured on the bench machine: a commit's longest wait
 * 186-202 ms, against 22-25 ms with the list merged here every 200 ms). Merging it every second
 * from another backend takes that work off the hub's path; search reads the pending list too, so
 * it finds every committed line either way.
 */
import { SideConnection } from './side-connection.js';

/** How often the list is merged; at 10,000 lines/s a second's words are well under the limit. */
const EVERY_MS = 1000;

export class PendingWords {
  private readonly connection: SideConnection;
  private readonly timer: NodeJS.Timeout;
  private merging: Promise<void> | null = null;
  private closed = false;

  constructor(
    url: string,
    private readonly index: string,
    everyMs = EVERY_MS,
  ) {
    this.connection = new SideConnection(url);
    this.timer = setInterval(() => this.merge(), everyMs);
    this.timer.unref();
  }

  /** Stops merging (what is pending is merged by the next writer or by autovacuum). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.merging;
    await this.connection.close();
  }

  /** One merge at a time; one that fails (PostgreSQL away) is tried again at the next tick, on a new connection. */
  private merge(): void {
    if (this.merging || this.closed) return;
    this.merging = this.connection
      .query('SELECT gin_clean_pending_list($1::regclass)', [this.index])
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => (this.merging = null));
  }
}
