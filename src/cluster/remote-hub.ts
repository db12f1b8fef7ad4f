/**
 * A node's hub when the hub runs on another node: it gives fronts the same sessions as the hub
 * does (`open`, `reserveName`). Each call goes to the hub node on this node's ordered stream, and
 * the hub's answers come back on it. Dispatches settle when the hub says they have. The node
 * learns where the hub is from its beacon. When the beacon stops for longer than the lease, or
 * a new hub's beacon is heard, the sessions of the old hub are over. Their users are told the
 * server restarted and their fronts close them, as at a restart; they connect again to any node.
 */
import { RESTART_MSG } from '../core/classic.js';
import type { NameReserver, SessionOpener } from '../core/front.js';
import type { Logger } from '../core/log.js';
import type { AuthResult, Session, SessionOptions } from '../core/session.js';
import type { LinkTiming } from './hub-host.js';
import { BEACON_SUBJECT, HUB_SUBJECT, nodeSubject, type Batch, type ToHub, type ToNode } from './link-protocol.js';
import { batchText, LinkStream, type LinkObserver } from './reliable.js';
import type { Transport } from './transport.js';

interface Remote {
  readonly sid: number;
  readonly options: SessionOptions;
  name: string | null;
  closed: boolean;
  requests: number;
  readonly settled: Map<number, () => void>;
  readonly checked: Map<number, (result: AuthResult) => void>;
}

const HUB_CHANGED: AuthResult = { ok: false, status: 'busy', msg: 'the chat server restarted; try again' };

export class RemoteHub implements SessionOpener, NameReserver {
  /** The hub's life this node talks to; null until a beacon is heard (calls wait meanwhile). */
  private epoch: string | null = null;
  private lastBeacon = 0;
  private readonly sessions = new Map<number, Remote>();
  private readonly reserved: string[] = [];
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

  constructor(
    readonly node: string,
    private readonly transport: Transport,
    private readonly timing: LinkTiming,
    private readonly log: Logger,
    private readonly observer?: LinkObserver,
    private readonly now: () => number = Date.now,
  ) {
    this.life = now();
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
    const r: Remote = { sid: ++this.sids, options, name: null, closed: false, requests: 0, settled: new Map(), checked: new Map() };
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
        if (r.closed) return Promise.resolve();
        const n = ++r.requests;
        this.queue(label === undefined ? { t: 'dispatch', sid: r.sid, n, action } : { t: 'dispatch', sid: r.sid, n, action, label });
        return new Promise<void>((resolve) => r.settled.set(n, resolve));
      },
      authenticate: (name, password) => {
        if (r.closed) return Promise.resolve(HUB_CHANGED);
        const n = ++r.requests;
        this.queue({ t: 'auth', sid: r.sid, n, name, password });
        return new Promise<AuthResult>((resolve) => r.checked.set(n, resolve));
      },
      reject: (error, label) => this.queue(label === undefined ? { t: 'reject', sid: r.sid, error } : { t: 'reject', sid: r.sid, error, label }),
      want: (feature, on) => this.queue({ t: 'want', sid: r.sid, feature, on }),
      close: (reason, message) => {
        if (r.closed) return;
        this.end(r);
        this.queue({ t: 'close', sid: r.sid, ...(reason === undefined ? {} : { reason }), ...(message === undefined ? {} : { message }) });
      },
    };
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
      this.hubGone();
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
      this.log.warn('cluster: the hub fell silent; its sessions are over', { node: this.node, users: this.sessions.size });
      this.hubGone();
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
      this.log.warn('cluster: another hub took over; the sessions of the last one are over', { node: this.node, users: this.sessions.size });
      this.hubGone();
    }
    this.epoch = epoch;
    this.stream = this.streamTo(epoch);
    // The new hub hears this node's reservations before anything else, then what waited for a hub.
    const waiting = this.outbox.filter((m) => m.t !== 'reserve');
    this.outbox = [...this.reserved.map((name): ToHub => ({ t: 'reserve', name })), ...waiting];
    this.flush();
    this.stream.beat(this.timing.heartbeatMs);
  }

  /** The hub this node talked to is gone: its sessions end as at a restart; the calls still queued for it are dropped. */
  private hubGone(): void {
    this.epoch = null;
    this.stream = null;
    this.life++;
    this.outbox = [];
    for (const r of [...this.sessions.values()]) {
      const deliver = r.options.deliver;
      this.end(r);
      try {
        deliver({ action: 'restart', from: '', message: RESTART_MSG });
        deliver({ action: 'error', code: 'killed', msg: 'the chat server restarted: connect again' });
      } catch (err) {
        this.log.error('front failed to deliver an event', { front: r.options.front, err: String(err) });
      }
    }
  }

  /** The session is over here: its waits settle (a dispatch resolves, a password check says busy). */
  private end(r: Remote): void {
    r.closed = true;
    this.sessions.delete(r.sid);
    for (const settle of r.settled.values()) settle();
    for (const check of r.checked.values()) check(HUB_CHANGED);
    r.settled.clear();
    r.checked.clear();
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
      return this.hubGone();
    }
    const ready = this.stream.take(batch);
    if (ready === null) return this.hubGone();
    for (const m of ready) {
      const r = this.sessions.get(m.sid);
      if (!r) continue;
      if (m.t === 'ev') {
        if (m.name !== undefined) r.name = m.name;
        try {
          if (m.label === undefined) r.options.deliver(m.event);
          else r.options.deliver(m.event, m.label);
        } catch (err) {
          this.log.error('front failed to deliver an event', { front: r.options.front, err: String(err) });
        }
      } else if (m.t === 'done') {
        r.name = m.name;
        r.settled.get(m.n)?.();
        r.settled.delete(m.n);
      } else {
        r.checked.get(m.n)?.(m.result);
        r.checked.delete(m.n);
      }
    }
  }
}
