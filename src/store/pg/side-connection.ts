/**
 * A connection for work off the hub's path (the search index's merges, name leases written
 * without waiting): made when first needed, dropped when a query on it fails, and made again by
 * the next one. Every wait is bounded, so a store closing while PostgreSQL cannot be reached
 * does not wait for the system's TCP timeout.
 */
import pg from 'pg';

/** The longest a connection attempt and a query wait. */
const CONNECT_MS = 5_000;
const QUERY_MS = 10_000;

export class SideConnection {
  private client: pg.Client | null = null;

  constructor(private readonly url: string) {}

  /** Runs the query, connecting first if need be; a failure drops the connection and is thrown. */
  async query(text: string, values?: readonly unknown[]): Promise<pg.QueryResult> {
    let client = this.client;
    try {
      if (!client) {
        client = this.client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: CONNECT_MS, query_timeout: QUERY_MS });
        // A broken connection fails the query under way, which drops it.
        client.on('error', () => undefined);
        await client.connect();
      }
      return await client.query(text, values === undefined ? undefined : [...values]);
    } catch (err) {
      this.drop();
      throw err;
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private drop(): void {
    const client = this.client;
    this.client = null;
    void client?.end().catch(() => undefined);
  }
}
