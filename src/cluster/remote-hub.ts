/**
 * A node's hub when the hub runs on another node: it gives fronts the same sessions as the hub
 * does (`open`, `reserveName`). Each call goes to the hub node on this node's ordered stream, and
 * the hub's answers come back on it. Dispatches settle when the hub says they have. The node
 * learns where the hub is from its beacon. When the beacon stops for longer than the lease, or
 * a new hub's beacon is heard, the hub is lost: the calls it never answered are answered with an
 * error, and the sessions wait for the next hub, which the node hands them to as the last hub
 * described them (handover.ts). A session the next hub cannot take, or every session when no
 * hub is heard for another lease, ends as at a restart: its user is told the server restarted.
 * A search the node answers itself from PostgreSQL (node-search.ts), in its turn among the
 * session's requests: after the hub has answered those before it, and before those after it.
 */
import { RESTART_MSG } from '../core/classic.js';
import type { NameReserver, SessionOpener } from '../core/front.js';
import type { Logger } from '../core/log.js';
import { nameKey } from '../core/names.js';
import type { ClientAction, Label } from '../core/protocol.js';
import type { Session, SessionOptions } from '../core/session.js';
import { Handover } from './handover.js';
import type { LinkTiming } from './hub-host.js';
import { BEACON_SUBJECT, HUB_SUBJECT, nodeSubject, type Batch, type ToHub, type ToNode } from './link-protocol.js';
import { batchText, LinkStream, type LinkObserver } from './reliable.js';
import type { NodeSearch } from './node-search.js';
import { HUB_CHANGED, RemoteSession } from './remote-session.js';
import type { Transport } from './transport.js';

/** Told the names this node's users take and let go (the node's lease writes them: node-lease.ts). */
export interface NodeNames {
  holds(key: string, name: string): void;
  lets(key: string): void;
}

export interface RemoteOptions {
  /** Told how the link does (metrics). */
  observer?: LinkObserver;
  /** Searches this node answers itself; without it the hub answers them. */
  searcher?: NodeSearch;
  /** Told the names of this node's users as the hub gives and takes them. */
  names?: NodeNames;
  /** The clock (a node restarted within the same millisecond needs one ahead, to start a new life). */
  now?: () => number;
}

export class RemoteHub implements SessionOpener, NameReserver {
  /** The hub's life this node talks to; null until a beacon is heard (calls wait meanwhile). */
  private epoch: string | null = null;
  private lastBeacon = 0;
  /** Whether the searcher was told to get ready (once, when the first hub is heard). */
  private searchWarmed = false;
  private readonly sessions = new Map<number, RemoteSession>();
  private readonly reserved: string[] = [];
  /** What this node keeps of its sessions, to hand them to the next hub. */
  private readonly handover = new Handover();
  /** When the hub was lost while sessions wait for the next one; null while a hub is heard (or none was ever). */
  private lostAt: number | null = null;
  private outbox: ToHub[] = [];
  /** The stream to the hub this node talks to, in this life; null while no hub is heard. */
  private stream: LinkStream<ToHub, ToNode> | null = null;
  private sids = 0;
  /**
   * This node's life: it starts a new one each time its sessions end with the hub it talked to.
   * It starts from the clock, so a node restarted under the same NODE_ID is a new life to the hub,
   * not the old one's stream going on.
   */
  private life: number;
  private flushing: NodeJS.Immediate | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly unsubscribers: (() => void)[] = [];

  private readonly observer: LinkObserver | undefined;
  private readonly searcher: NodeSearch | null;
  private readonly names: NodeNames | null;
  private readonly now: () => number;

  constructor(
    readonly node: string,
    private readonly transport: Transport,
    private readonly timing: LinkTiming,
    private readonly log: Logger,
    options: RemoteOptions = {},
  ) {
    this.observer = options.observer;
    this.searcher = options.searcher ?? null;
    this.names = options.names ?? null;
    this.now = options.now ?? Date.now;
    this.life = this.now();
  }

  start(): void {
    this.unsubscribers.push(
      this.transport.subscribe(nodeSubject(this.node), (data) => this.receive(data)),
      this.transport.subscribe(BEACON_SUBJECT, (data) => this.beacon(data)),
    );
    this.timer = setInterval(() => this.tick(), this.timing.heartbeatMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
    for (const stop of this.unsubscribers.splice(0)) stop();
  }

  /** Whether a hub is heard (health). */
  get connected(): boolean {
    return this.epoch !== null;
  }

  /** The life of the hub this node talks to; null while none is heard. */
  get hubEpoch(): string | null {
    return this.epoch;
  }

  /** This node's users per front, for health and metrics. */
  usersByFront(): Map<string, number> {
    const users = new Map<string, number>();
    for (const r of this.sessions.values()) if (r.name !== null) users.set(r.options.front, (users.get(r.options.front) ?? 0) + 1);
    return users;
  }

  reserveName(name: string): void {
    this.reserved.push(name);
    this.queue({ t: 'reserve', name });
  }

  open(options: SessionOptions): Session {
    const r = new RemoteSession(++this.sids, options, this.log);
    this.sessions.set(r.sid, r);
    this.queue({
      t: 'open',
      sid: r.sid,
      front: options.front,
      features: [...(options.features ?? [])],
      ...(options.identity ? { identity: options.identity } : {}),
      ...(options.address ? { address: options.address } : {}),
    });
    return {
      get name() {
        return r.name;
      },
      dispatch: (action, label) => {
        if (action.action === 'search' && this.searcher !== null) return r.turns.run(true, () => this.searchHere(r, action, label));
        return r.turns.run(false, () => this.dispatchToHub(r, action, label));
      },
      authenticate: (name, password) =>
        r.turns.run(false, () => {
          if (r.closed) return Promise.resolve(HUB_CHANGED);
          const { n, checked } = r.checking();
          this.queue({ t: 'auth', sid: r.sid, n, name, password });
          return checked;
        }),
      reject: (error, label) =>
        void r.turns.run(false, async () => this.queue(label === undefined ? { t: 'reject', sid: r.sid, error } : { t: 'reject', sid: r.sid, error, label })),
      want: (feature, on) =>
        void r.turns.run(false, async () => {
          if (on) r.features.add(feature);
          else r.features.delete(feature);
          this.queue({ t: 'want', sid: r.sid, feature, on });
        }),
      close: (reason, message) => {
        if (r.closed) return;
        this.end(r);
        this.queue({ t: 'close', sid: r.sid, ...(reason === undefined ? {} : { reason }), ...(message === undefined ? {} : { message }) });
      },
    };
  }

  private dispatchToHub(r: RemoteSession, action: ClientAction, label: Label | undefined): Promise<void> {
    if (r.closed) return Promise.resolve();
    const { n, settled } = r.dispatched(action.action, label);
    this.queue(label === undefined ? { t: 'dispatch', sid: r.sid, n, action } : { t: 'dispatch', sid: r.sid, n, action, label });
    return settled;
  }

  /**
   * A search, answered from PostgreSQL once the hub has answered the session's earlier requests
   * (and so stored what they said). A session not logged in goes to the hub, which says so.
   */
  private async searchHere(r: RemoteSession, action: Extract<ClientAction, { action: 'search' }>, label: Label | undefined): Promise<void> {
    await r.turns.answered();
    const user = r.closed ? undefined : this.handover.known(r.sid);
    if (user === undefined) return this.dispatchToHub(r, action, label);
    const event = await this.searcher!.search({ name: user.name, historyKey: user.historyKey, rooms: user.features.includes('rooms') }, action.target);
    if (!r.closed) r.deliver(event, label);
  }

  private queue(message: ToHub): void {
    this.outbox.push(message);
    if (this.stream !== null) this.flushing ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = null;
    if (this.stream === null || this.outbox.length === 0) return;
    const messages = this.outbox;
    this.outbox = [];
    if (!this.stream.push(messages)) {
      this.log.warn('cluster: the hub left too much unacknowledged; this node starts over', { node: this.node });
      this.hubLost();
    }
  }

  /** A stream to the hub of `epoch` for this life of the node. */
  private streamTo(epoch: string): LinkStream<ToHub, ToNode> {
    const life = this.life;
    return new LinkStream<ToHub, ToNode>(
      (head, messages) => this.transport.publish(HUB_SUBJECT, batchText({ node: this.node, life, epoch }, head, messages)),
      this.now,
      this.timing.heartbeatMs,
      this.observer,
    );
  }

  private tick(): void {
    if (this.epoch !== null && this.now() - this.lastBeacon > this.timing.leaseMs) {
      this.log.warn('cluster: the hub fell silent; its sessions wait for the next hub', { node: this.node, users: this.sessions.size });
      return this.hubLost();
    }
    if (this.lostAt !== null && this.now() - this.lostAt > this.timing.leaseMs) {
      this.log.warn('cluster: no hub took over within the lease; the sessions are over', { node: this.node, users: this.sessions.size });
      this.lostAt = null;
      this.outbox = [];
      for (const r of [...this.sessions.values()]) this.restart(r);
      return;
    }
    // Says it is there, what it has had, and sends again what the hub has not acknowledged.
    this.stream?.beat(this.timing.heartbeatMs);
  }

  private beacon(data: string): void {
    let epoch: unknown;
    try {
      epoch = (JSON.parse(data) as { epoch?: unknown }).epoch;
    } catch {
      return;
    }
    if (typeof epoch !== 'string') return;
    this.lastBeacon = this.now();
    if (epoch === this.epoch) return;
    if (this.epoch !== null) {
      this.log.warn('cluster: another hub took over; the sessions go on with it', { node: this.node, users: this.sessions.size });
      this.hubLost();
    }
    this.attach(epoch);
  }

  /**
   * Talks to the hub of `epoch`: it hears this node's reservations first, then the sessions it is
   * handed (as the last hub described them; a session not logged in is opened again), then the
   * calls that waited for a hub.
   */
  private attach(epoch: string): void {
    // The first hub heard has opened its stores, so the history's tables are there to search.
    if (!this.searchWarmed) {
      this.searchWarmed = true;
      void this.searcher?.warm();
    }
    this.epoch = epoch;
    this.lostAt = null;
    this.stream = this.streamTo(epoch);
    const waiting = this.outbox.filter((m) => m.t !== 'reserve' && m.t !== 'open');
    const handed: ToHub[] = [];
    for (const r of this.sessions.values()) {
      const state = this.handover.stateOf(r.sid);
      const opening = {
        sid: r.sid,
        front: r.options.front,
        ...(r.options.identity ? { identity: r.options.identity } : {}),
        ...(r.options.address ? { address: r.options.address } : {}),
      };
      handed.push(state ? { t: 'restore', ...opening, state } : { t: 'open', ...opening, features: [...r.features] });
    }
    const groups = this.handover.described();
    this.outbox = [
      ...this.reserved.map((name): ToHub => ({ t: 'reserve', name })),
      ...(groups.length > 0 ? [{ t: 'describe', groups } as const] : []),
      ...handed,
      ...waiting,
    ];
    this.flush();
    this.stream.beat(this.timing.heartbeatMs);
  }

  /**
   * The hub this node talked to is lost: the calls it never answered are answered (a dispatch
   * with an error saying it may not have been carried out, a password check with busy), and the
   * sessions wait for the next hub. Calls not yet sent wait with them.
   */
  private hubLost(): void {
    this.epoch = null;
    this.stream = null;
    this.life++;
    this.lostAt = this.now();
    const unsent = new Set(this.outbox.flatMap((m) => (m.t === 'dispatch' ? [`${m.sid}/${m.n}`] : [])));
    for (const r of this.sessions.values()) r.hubLost((n) => unsent.has(`${r.sid}/${n}`));
  }

  /** The session cannot go on: its user is told the server restarted, and its front closes it. */
  private restart(r: RemoteSession): void {
    this.end(r);
    r.deliver({ action: 'restart', from: '', message: RESTART_MSG });
    r.deliver({ action: 'error', code: 'killed', msg: 'the chat server restarted: connect again' });
  }

  /** The session's name, as the hub says it is now; the node's lease learns of a change. */
  private named(r: RemoteSession, name: string | null): void {
    if (name === r.name) return;
    if (r.name !== null) this.names?.lets(nameKey(r.name));
    if (name !== null) this.names?.holds(nameKey(name), name);
    r.name = name;
  }

  /** The session is over here: its waits settle, and the node forgets it. */
  private end(r: RemoteSession): void {
    // The session keeps its name (its front may still say it); the node's lease lets it go.
    if (r.name !== null) this.names?.lets(nameKey(r.name));
    r.end();
    this.sessions.delete(r.sid);
    this.handover.session(r.sid, null);
  }

  private receive(data: string): void {
    let batch: Batch<ToNode>;
    try {
      batch = JSON.parse(data) as Batch<ToNode>;
    } catch {
      return this.log.warn('cluster link: a batch that is not JSON was ignored', { node: this.node });
    }
    if (batch.epoch !== this.epoch || batch.life !== this.life || this.stream === null) return;
    if (batch.reset) {
      this.log.warn('cluster: the hub lost its place in this node\'s stream; this node starts over', { node: this.node });
      // Heard again at the next beacon, as a new life.
      return this.hubLost();
    }
    const ready = this.stream.take(batch);
    if (ready === null) return this.hubLost();
    for (const m of ready) {
      if (m.t === 'group') {
        this.handover.group(m.group);
        continue;
      }
      if (m.t === 'evs') {
        if (m.event.action === 'exchange') this.handover.line(m.event.group, m.event.seq);
        // One object for every recipient, so that each front serialises it once.
        for (const sid of m.sids) {
          const r = this.sessions.get(sid);
          if (r) r.deliver(m.event);
        }
        continue;
      }
      const r = this.sessions.get(m.sid);
      if (!r) continue;
      switch (m.t) {
        case 'ev':
          if (m.event.action === 'exchange') this.handover.line(m.event.group, m.event.seq);
          if (m.name !== undefined) this.named(r, m.name);
          if (m.label === undefined) r.deliver(m.event);
          else r.deliver(m.event, m.label);
          break;
        case 'done':
          this.named(r, m.name);
          r.done(m.n);
          break;
        case 'auth':
          r.answered(m.n, m.result);
          break;
        case 'state':
          this.handover.session(r.sid, m.state);
          break;
        case 'lost':
          this.log.warn('cluster: the new hub could not take a session on; it ends', { node: this.node, user: r.name ?? '-' });
          this.restart(r);
      }
    }
  }
}
