/**
 * Search answered by the node its user is on, straight from PostgreSQL, without the hub. A search
 * reads only what is committed, and a line is committed before anyone hears it, so a node reads
 * the history the hub would read: the answer is the same, without the two crossings of the bus or
 * a turn of the hub's one thread. The node asks once the session's earlier requests are answered
 * (remote-hub.ts), and the hub answers a request only once the lines it queued are stored
 * (hub-host.ts), so a user finds the line they have just said.
 */
import pg from 'pg';
import { searchReply, SEARCH_UNAVAILABLE } from '../core/actions/library.js';
import type { Logger } from '../core/log.js';
import type { ServerEvent } from '../core/protocol.js';
import { parseSearchQuery } from '../core/search-query.js';
import { searchPage, searchStatement, type SearchRow } from '../store/pg/pg-search-reads.js';

/** What a node answers itself. */
export interface NodeSearch {
  /** The reply to `search <target>` for the user whose history is `historyKey` (`rooms`: lines named by their group). */
  search(user: { name: string; historyKey: string; rooms: boolean }, target: string): Promise<ServerEvent>;
  /** Gets ready to answer at once; called when a hub is first heard, the database's schema being in place by then. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/** The longest a search waits for a connection or an answer, as the hub's own reads. */
const WAIT_MS = 5000;
/** Connections the node keeps for searches. */
export const SEARCH_CONNECTIONS = 2;
/** How the node's search connections name themselves to PostgreSQL (`pg_stat_activity`). */
export const SEARCH_APPLICATION = 'ics-chat search';
/**
 * The search's plan is made once per connection: PostgreSQL would otherwise plan a prepared
 * statement afresh for its first five runs, for their values (about 6 ms each for the search),
 * before it settles on the generic plan, which is the same whatever the values.
 */
const GENERIC_PLANS = '-c plan_cache_mode=force_generic_plan';

export class PgNodeSearch implements NodeSearch {
  private readonly pool: pg.Pool;

  constructor(
    url: string,
    /** Most lines one search returns (the hub's limit). */
    private readonly limit: number,
    private readonly log: Logger,
    /** Told how long each search that was answered took (the search-time metric). */
    private readonly searched: (seconds: number) => void,
  ) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: SEARCH_CONNECTIONS,
      // Kept open while the node runs, so that no user waits for one to be made.
      idleTimeoutMillis: 0,
      application_name: SEARCH_APPLICATION,
      options: GENERIC_PLANS,
      connectionTimeoutMillis: WAIT_MS,
      statement_timeout: WAIT_MS,
      query_timeout: WAIT_MS + 1000,
    });
    // An idle connection that breaks (PostgreSQL restarting) is dropped by the pool; the next search makes another.
    this.pool.on('error', (err) => this.log.warn('cluster: a search connection broke', { err: err.message }));
  }

  /**
   * Opens the node's search connections and prepares the search on each, so that the first users
   * to search do not wait for it (a new connection and its first plan took 40-240 ms here). If
   * PostgreSQL does not answer, the searches open them later, as they would have. The history's
   * tables must be there: the hub's node makes them when it opens its stores.
   */
  async warm(): Promise<void> {
    const statement = searchStatement('', parseSearchQuery('warm'), this.limit)!;
    try {
      // Asked at once, each takes a connection of its own. Through the pool's own query, a
      // connection PostgreSQL ends meanwhile is dropped; one held outside it would throw its
      // error at the process (a node died so when PostgreSQL stopped during its warm-up).
      await Promise.all(Array.from({ length: SEARCH_CONNECTIONS }, () => this.pool.query(statement)));
    } catch (err) {
      this.log.warn('cluster: the search connections could not be opened ahead', { err: (err as Error).message });
    }
  }

  async search(user: { name: string; historyKey: string; rooms: boolean }, target: string): Promise<ServerEvent> {
    const started = performance.now();
    const statement = searchStatement(user.historyKey, parseSearchQuery(target), this.limit);
    if (statement === null) return searchReply({ lines: [], total: 0 }, user.rooms);
    try {
      const { rows } = await this.pool.query<SearchRow>(statement);
      const page = searchPage(rows[0]!, this.limit);
      this.searched((performance.now() - started) / 1000);
      return searchReply(page, user.rooms);
    } catch (err) {
      this.log.error('history search failed', { user: user.name, err: (err as Error).message });
      return { action: 'error', code: 'unavailable', msg: SEARCH_UNAVAILABLE, for: 'search' };
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
