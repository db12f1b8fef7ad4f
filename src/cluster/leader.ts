/**
 * "Exactly one node runs this" (the Discord front): the node that holds a PostgreSQL advisory
 * lock, on a connection of its own, leads. A standby tries for the lock every `pollMs`; the
 * leader checks its connection as often. The lock lives as long as the leader's session, so it
 * frees itself when the leader's process dies (its socket closes) or its backend is ended.
 *
 * A leader that is merely cut off (a lost network, a process stalled) still holds the session
 * until PostgreSQL gives up on it; the session is set to end after `silentMs` without a
 * statement (`idle_session_timeout`), while the leader steps down once a check goes unanswered
 * for half that. A cut-off leader so steps down before the lock can pass to another node, as
 * long as its timers run (a stall longer than `silentMs` breaks that, as it breaks any lease).
 *
 * `onLead` and `onLose` alternate, one at a time, starting with `onLead`: a lead that is lost
 * while `onLead` still runs is given up once it has finished. A node that lost the lead sits out
 * three polls before it tries again, so a standby takes over rather than the node whose session
 * (or singleton) just failed.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../core/log.js';

/** How a node takes part in electing the leader of one thing. */
export interface LeaderOptions {
  /** PostgreSQL's URL. */
  url: string;
  /** What is led (`discord`): nodes leading different things never compete. */
  what: string;
  /** This node (in logs, and in the session's application name for operators). */
  nodeId: string;
  /** How often a standby tries for the lock and the leader checks its connection; 1 s unless given. */
  pollMs?: number;
  /** How long PostgreSQL keeps a silent leader's session (and so the lock); 10 s unless given, at least 4 polls. */
  silentMs?: number;
  /** This node now leads: start the singleton. */
  onLead(): void | Promise<void>;
  /** This node no longer leads (its connection broke, or `stop`): stop the singleton. */
  onLose(): void | Promise<void>;
  log: Logger;
}

/** The advisory lock key for `what`: 48 bits of a hash, exact as a JavaScript number and as a bigint. */
export function leaderKey(what: string): number {
  return createHash('sha256').update(`ics-chat leader ${what}`).digest().readUIntBE(0, 6);
}

/** One node's part in electing the leader of one thing. */
export class Leader {
  private readonly key: number;
  private readonly pollMs: number;
  private readonly silentMs: number;
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> = Promise.resolve();
  /** onLead and onLose, one after another. */
  private turns: Promise<void> = Promise.resolve();
  private isLeading = false;
  private stopped = true;
  /** Until when (Date.now()) a node that lost the lead leaves the lock to the others. */
  private restUntil = 0;

  constructor(private readonly options: LeaderOptions) {
    this.key = leaderKey(options.what);
    this.pollMs = options.pollMs ?? 1000;
    this.silentMs = options.silentMs ?? 10_000;
    if (this.silentMs < 4 * this.pollMs) throw new Error(`a leader's silentMs (${this.silentMs}) must be at least 4 polls (${4 * this.pollMs} ms)`);
  }

  /** Whether this node holds the lead now. */
  get leading(): boolean {
    return this.isLeading;
  }

  /** Starts trying for the lead (at once, then every `pollMs`). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops: a leader's `onLose` finishes before the lock is let go, so two nodes never lead at once. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    if (this.isLeading) this.demote();
    await this.turns;
    // Ending the session lets the lock go with it.
    await this.drop(this.client);
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.ticking = this.tick().then(() => {
        if (!this.stopped) this.schedule(this.pollMs);
      });
    }, ms);
  }

  /** A standby tries for the lock; a leader checks that its session still answers. Never rejects. */
  private async tick(): Promise<void> {
    if (!this.isLeading && Date.now() < this.restUntil) return;
    let client: pg.Client | null = null;
    try {
      client = await this.connection();
      if (this.isLeading) {
        await client.query('SELECT 1');
        return;
      }
      const got = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1) AS got', [this.key]);
      if (got.rows[0]?.got === true && !this.stopped) this.promote();
    } catch (err) {
      this.broken(client ?? this.client, err);
    }
  }

  private async connection(): Promise<pg.Client> {
    if (this.client !== null) return this.client;
    const answerMs = Math.floor(this.silentMs / 2);
    const client = new pg.Client({
      connectionString: this.options.url,
      connectionTimeoutMillis: answerMs,
      query_timeout: answerMs,
      keepAlive: true,
      application_name: `ics-chat leader ${this.options.what} ${this.options.nodeId}`.slice(0, 63),
      options: `-c idle_session_timeout=${this.silentMs}`,
    });
    client.on('error', (err) => this.broken(client, err));
    client.on('end', () => this.broken(client, new Error('the connection closed')));
    this.client = client;
    await client.connect();
    return client;
  }

  private promote(): void {
    this.isLeading = true;
    this.options.log.info('leading', { what: this.options.what, node: this.options.nodeId });
    this.turn('onLead', () => this.options.onLead());
  }

  private demote(): void {
    this.isLeading = false;
    this.turn('onLose', () => this.options.onLose());
  }

  /** Queues a callback after the previous one. A failed `onLead` gives the lead up (its `onLose` follows) for another node to try. */
  private turn(name: 'onLead' | 'onLose', run: () => void | Promise<void>): void {
    this.turns = this.turns.then(async () => {
      try {
        await run();
      } catch (err) {
        this.options.log.error(`the leader's ${name} failed`, { what: this.options.what, err: (err as Error).message });
        if (name === 'onLead' && this.isLeading) this.broken(this.client, err);
      }
    });
  }

  /** The session is gone or unsure: a leader steps down, and the next tick connects again. */
  private broken(client: pg.Client | null, err: unknown): void {
    if (client === null || client !== this.client) return;
    this.client = null;
    if (this.isLeading) {
      this.options.log.warn('lost the lead', { what: this.options.what, node: this.options.nodeId, err: (err as Error).message });
      this.restUntil = Date.now() + 3 * this.pollMs;
      this.demote();
    }
    void this.drop(client);
  }

  private async drop(client: pg.Client | null): Promise<void> {
    if (client === null) return;
    if (client === this.client) this.client = null;
    await client.end().catch(() => undefined);
  }
}
