/**
 * History in PostgreSQL, for cluster mode: several server processes share one history. It keeps
 * the contract of the SQLite store (core/history-contract.ts), over SyncPg so that the hub's calls
 * stay synchronous. Writes queue in memory and go in one transaction per commit(); reads and
 * search ask PostgreSQL (pg-history-reads.ts), whose failures they answer as HistoryUnavailable.
 *
 * What a process must not decide alone comes from the database: line and membership ids in blocks
 * (id-blocks.ts), group ids as the highest stored. Each store registers a run under its node's
 * name; its memberships belong to that run. A run ends them when it closes, and a node that starts
 * again ends those its earlier runs left open, as the SQLite store does at start: their sessions
 * ended with the process.
 */
import { HistoryUnavailable, SeqTaken, type HistoryStore, type NewLine, type SearchPage, type StoredLine } from '../../core/history.js';
import type { PageSource } from '../../core/history-page.js';
import { QueuedHistory, type Pair } from '../../core/history-queue.js';
import type { SearchQuery } from '../../core/search-query.js';
import { IdBlocks } from './id-blocks.js';
import { migrate } from './migrate.js';
import { PendingWords } from './pending-words.js';
import { HISTORY_STEPS, LINE_PLACES, OPEN_SEQ } from './pg-history-schema.js';
import { lastSeqOf, pageReads, readLine } from './pg-history-reads.js';
import { searchLines } from './pg-search-reads.js';
import { commitStatements, revisedElsewhere, type LinePlace } from './pg-history-writes.js';
import { PgError, SyncPg, type Statement } from './sync-client.js';

/** How a PgHistory runs, besides its database. */
export interface PgHistoryOptions {
  /** This server's name in the cluster (NODE_ID): at start, the store ends the memberships its node's earlier runs left open. */
  node: string;
  /** Milliseconds since the epoch, for group creation times. */
  clock?: () => number;
  /** Told about a last commit or a release at close that failed. */
  onError?: (msg: string) => void;
  /** The longest any one call to PostgreSQL waits, for a store given a URL (SyncPg); 5 s unless given. */
  timeoutMs?: number;
}

/** Ends the open memberships of the runs `which` selects, at the group's last seq (or where they began). */
const endMemberships = (which: string): string =>
  `UPDATE history_memberships AS m SET to_seq = GREATEST(m.from_seq, COALESCE((SELECT max(seq) FROM history_lines AS l WHERE l.grp = m.grp), 0))
   WHERE m.to_seq = ${OPEN_SEQ} AND ${which}`;

/** The history store of cluster mode: one PostgreSQL database shared by every server process. */
/** PostgreSQL's SQLSTATE for a unique key stored already. */
const UNIQUE_VIOLATION = '23505';

/** Whether a commit failed on a line whose group and seq another server stored. */
const isSeqTaken = (err: unknown): boolean => err instanceof PgError && err.code === UNIQUE_VIOLATION && err.message.includes(LINE_PLACES);

export class PgHistory extends QueuedHistory implements HistoryStore {
  private readonly db: SyncPg;
  /** Whether the store made its connection (and closes it), or was given one it shares. */
  private readonly ownsDb: boolean;
  private readonly run: number;
  private readonly lineIds: IdBlocks;
  private readonly membershipIds: IdBlocks;
  protected readonly pages: PageSource;
  private readonly clock: () => number;
  private readonly onError: (msg: string) => void;
  /** Lines in the database at start, plus those this store committed since, less those it deleted. */
  private committedLines: number;
  /** The last commit's failure, until a commit succeeds again. */
  private commitError: string | null = null;
  private closing: Promise<void> | null = null;
  private closed = false;
  /** The search index's pending list, merged off the commits' path (a store on a connection of its own: the hub's). */
  private readonly pendingWords: PendingWords | null = null;

  /**
   * Opens the history in the database at a URL (on a connection of its own) or on a connection it
   * shares with other stores (which it leaves open at close), bringing its schema up to date.
   */
  constructor(database: string | SyncPg, options: PgHistoryOptions) {
    super();
    this.clock = options.clock ?? Date.now;
    this.onError = options.onError ?? (() => undefined);
    this.ownsDb = typeof database === 'string';
    this.db = typeof database === 'string' ? new SyncPg(database, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) : database;
    try {
      migrate(this.db, 'history', HISTORY_STEPS);
      const registered = this.db.query<{ run: string }>("INSERT INTO history_runs (run, node, started) VALUES (nextval('history_run_ids'), $1, $2) RETURNING run", [
        options.node,
        this.clock(),
      ]);
      this.run = Number(registered[0]!.run);
      this.db.query(endMemberships('m.run IN (SELECT run FROM history_runs WHERE node = $1 AND run <> $2)'), [options.node, this.run]);
      this.lineIds = new IdBlocks(this.db, 'line', 'history_line_ids');
      this.membershipIds = new IdBlocks(this.db, 'membership', 'history_membership_ids');
      this.lastId = this.lineIds.open();
      this.lastMembership = this.membershipIds.open();
      // The count the commits keep (pg-history-schema.ts): counting the lines here would read them all.
      this.committedLines = Number(this.db.query<{ lines: string }>('SELECT lines FROM history_line_count')[0]!.lines);
    } catch (err) {
      if (this.ownsDb) void this.db.close();
      throw err;
    }
    this.pages = pageReads(this.db);
    if (typeof database === 'string') this.pendingWords = new PendingWords(database, 'history_lines_words');
  }

  override record(line: NewLine): StoredLine {
    this.lastId = this.lineIds.room(this.lastId);
    return super.record(line);
  }

  override joined(userKey: string, group: number, afterSeq: number): void {
    this.lastMembership = this.membershipIds.room(this.lastMembership);
    super.joined(userKey, group, afterSeq);
  }

  commit(): void {
    if (this.queue.length === 0) return;
    const writes = this.queue.take();
    const refills: { ids: IdBlocks; at: number }[] = [];
    let deleted: number;
    try {
      const elsewhere = revisedElsewhere(writes);
      const places = elsewhere.length === 0 ? new Map<number, LinePlace>() : this.placesOf(elsewhere);
      const steps: Statement[] = commitStatements(writes, { run: this.run, now: this.clock(), places });
      const revised = writes.some((w) => w.kind === 'revise') ? steps.length - 1 : -1;
      for (const [ids, last] of [[this.lineIds, this.lastId], [this.membershipIds, this.lastMembership]] as const) {
        const refill = ids.refill(last);
        if (refill) refills.push({ ids, at: steps.push(refill) - 1 });
      }
      const results = this.db.transaction(steps);
      for (const r of refills) r.ids.refilled(results[r.at] ?? []);
      deleted = revised < 0 ? 0 : (results[revised] as { deleted: boolean }[]).filter((r) => r.deleted).length;
    } catch (err) {
      this.commitError = (err as Error).message;
      this.queue.restore(writes);
      throw isSeqTaken(err) ? new SeqTaken((err as Error).message) : err;
    }
    this.commitError = null;
    for (const w of writes) if (w.kind === 'line') this.committedLines++;
    this.committedLines -= deleted;
  }

  /** Where the committed lines `ids` are, and who said them (deleted ones are left out). */
  private placesOf(ids: number[]): Map<number, LinePlace> {
    const rows = this.db.query<{ id: string; grp: string; sender: string }>('SELECT id, grp, sender FROM history_lines WHERE id = ANY($1::bigint[]) AND text IS NOT NULL', [ids]);
    return new Map(rows.map((r) => [Number(r.id), { group: Number(r.grp), sender: r.sender }]));
  }

  search(userKey: string, query: SearchQuery, limit: number): SearchPage {
    if (query.length === 0) return { lines: [], total: 0 };
    return this.read(() => searchLines(this.db, userKey, query, limit));
  }

  /** A read of what is committed: refused while writes fail (the history is not what was said), a database fault as HistoryUnavailable. */
  protected read<T>(query: () => T): T {
    if (this.commitError !== null) throw new HistoryUnavailable(`the last write failed: ${this.commitError}`);
    return this.ask(query);
  }

  /** A read that PostgreSQL may fail: its failure as HistoryUnavailable. */
  private ask<T>(query: () => T): T {
    try {
      return query();
    } catch (err) {
      if (err instanceof PgError) throw new HistoryUnavailable(err.message);
      throw err;
    }
  }

  line(id: number): StoredLine | undefined {
    return this.ask(() => readLine(this.db, id));
  }

  lastGroupId(): number {
    return this.ask(() => Number(this.db.query<{ id: string }>('SELECT COALESCE(max(id), 0) AS id FROM history_groups')[0]!.id));
  }

  protected committedSeq(group: number): number {
    return this.ask(() => lastSeqOf(this.db, group));
  }

  protected committedDirect(pair: Pair): number | undefined {
    const row = this.ask(() => this.db.query<{ grp: string }>('SELECT grp FROM history_directs WHERE key_a = $1 AND key_b = $2', [pair[0], pair[1]])[0]);
    return row && Number(row.grp);
  }

  protected committedUser(userKey: string): boolean {
    return this.ask(() => this.db.query('SELECT 1 FROM history_memberships WHERE user_key = $1 LIMIT 1', [userKey]).length > 0);
  }

  indexLag(): number {
    return 0;
  }

  indexMerging(): boolean {
    return false;
  }

  lineCount(): number {
    return this.committedLines;
  }

  problem(): string | null {
    if (this.closed) return 'the database is closed';
    if (this.commitError !== null) return `the last write failed: ${this.commitError}`;
    try {
      this.db.query('SELECT 1');
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  }

  /**
   * Commits what is queued, ends this run's memberships (its sessions end with it), hands back
   * its unused ids, and closes its own connection. Safe to call twice: the second call waits for the first. What fails is
   * reported, and the store closes all the same.
   */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      try {
        this.commit();
      } catch (err) {
        this.onError(`last commit: ${(err as Error).message}`);
      }
      try {
        this.db.transaction([
          { sql: endMemberships('m.run = $1'), params: [this.run] },
          ...this.lineIds.release(this.lastId),
          ...this.membershipIds.release(this.lastMembership),
        ]);
      } catch (err) {
        this.onError(`ending this run: ${(err as Error).message}`);
      }
      this.closed = true;
      await this.pendingWords?.close();
      if (this.ownsDb) await this.db.close();
    })());
  }
}
