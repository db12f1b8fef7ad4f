/**
 * Ids in blocks, for several processes writing one history: a process takes ID_BLOCK ids at a time
 * from a PostgreSQL sequence and hands them out itself, so numbering a line costs no round trip,
 * ids never collide across processes, and a process's own ids grow in the order it hands them out.
 * The next block is fetched ahead, inside a commit's transaction, so a burst of lines rarely waits
 * for one. At a clean close the unused rest of the block is handed back (history_free_ids) and the
 * next process to open takes it, so a restart leaves no gap.
 */
import type { Statement, SyncPg } from './sync-client.js';
import { ID_BLOCK } from './pg-history-schema.js';

/** One kind of id (lines, memberships): the store keeps the last id it handed out; this keeps where its block ends. */
export class IdBlocks {
  /** The last id of the block in use. */
  private end = 0;
  /** The first id of a block fetched ahead, if any. */
  private spare: number | null = null;

  constructor(
    private readonly db: SyncPg,
    /** `line` or `membership`: the kind in history_free_ids. */
    private readonly kind: string,
    private readonly sequence: string,
  ) {}

  /** The block to start from: the lowest rest a closed store handed back, or a new block. Returns the id before its first. */
  open(): number {
    const rows = this.db.query<{ first: string; last: string }>(
      `DELETE FROM history_free_ids WHERE (kind, first) = (SELECT kind, first FROM history_free_ids WHERE kind = $1 ORDER BY first LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING first, last`,
      [this.kind],
    );
    const freed = rows[0];
    return freed ? this.start(Number(freed.first), Number(freed.last)) : this.start(this.fetch());
  }

  /** The id to count on from, given the last one handed out: itself while its block has room, else the id before the next block. */
  room(last: number): number {
    if (last < this.end) return last;
    const first = this.spare ?? this.fetch();
    this.spare = null;
    return this.start(first);
  }

  /** A statement for a commit's transaction that fetches the next block ahead once half of this one is used; null when not needed. */
  refill(last: number): Statement | null {
    if (this.spare !== null || this.end - last > ID_BLOCK / 2) return null;
    return { sql: `SELECT nextval('${this.sequence}') AS first` };
  }

  /** Takes the answer of a committed refill statement. */
  refilled(rows: readonly unknown[]): void {
    const first = (rows[0] as { first: string } | undefined)?.first;
    if (first !== undefined) this.spare = Number(first);
  }

  /** Statements that hand back what this store will not use: the rest of its block after `last`, and its spare block. */
  release(last: number): Statement[] {
    const rests: [number, number][] = [];
    if (last < this.end) rests.push([last + 1, this.end]);
    if (this.spare !== null) rests.push([this.spare, this.spare + ID_BLOCK - 1]);
    return rests.map(([first, end]) => ({ sql: 'INSERT INTO history_free_ids (kind, first, last) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', params: [this.kind, first, end] }));
  }

  private fetch(): number {
    return Number(this.db.query<{ first: string }>(`SELECT nextval('${this.sequence}') AS first`)[0]!.first);
  }

  /** Uses the block first..end; returns the id before its first. */
  private start(first: number, end = first + ID_BLOCK - 1): number {
    this.end = end;
    return first - 1;
  }
}
