/**
 * The hub node's side of the link: it opens a hub session for every session a node opens, runs
 * the node's calls on it in the order they came, and sends back what the hub delivers on the
 * node's stream, batched per event-loop turn. A node that falls silent for longer than the lease
 * is taken for dead. Its users then leave their groups as vanished users do, and their names
 * come free.
 */
import { randomUUID } from 'node:crypto';
import type { NameReserver, SessionOpener } from '../core/front.js';
import type { Logger } from '../core/log.js';
import type { Session } from '../core/session.js';
import { BEACON_SUBJECT, HUB_SUBJECT, nodeSubject, type Batch, type ToHub, type ToNode } from './link-protocol.js';
import type { Transport } from './transport.js';

export interface LinkTiming {
  /** How often the hub says it is there, and nodes that they are. */
  heartbeatMs: number;
  /** How long a silent node (or hub) is waited for before it is taken for dead. */
  leaseMs: number;
}

interface Hosted {
  readonly session: Session;
  /** The name the node was last told this session has. */
  told: string | null;
}

interface NodeLink {
  readonly life: number;
  readonly sessions: Map<number, Hosted>;
  lastHeard: number;
  outbox: ToNode[];
}

export class HubHost {
  /** This life of the hub: a node that hears another one knows the hub changed. */
  private epoch = randomUUID();
  private readonly nodes = new Map<string, NodeLink>();
  private flushing: NodeJS.Immediate | null = null;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly hub: SessionOpener & NameReserver,
    private readonly transport: Transport,
    private readonly timing: LinkTiming,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.unsubscribe = this.transport.subscribe(HUB_SUBJECT, (data) => this.receive(data));
    // Calls may have been lost while the bus was away: every node starts over with a new life of the hub.
    this.transport.onReconnect(() => {
      this.log.warn('cluster: the bus came back; the hub starts a new life and nodes start over');
      for (const [node, link] of this.nodes) this.drop(node, link, 'Server restarted');
      this.epoch = randomUUID();
      this.beacon();
    });
    this.beacon();
    this.timer = setInterval(() => {
      this.beacon();
      this.reap();
    }, this.timing.heartbeatMs);
    this.timer.unref();
  }

  /** Stops listening; the hub's sessions are closed by the hub's own shutdown. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    this.flush();
  }

  /** Users online per node, for health. */
  nodeCount(): number {
    return this.nodes.size;
  }

  private beacon(): void {
    this.transport.publish(BEACON_SUBJECT, JSON.stringify({ epoch: this.epoch }));
  }

  private receive(data: string): void {
    let batch: Batch<ToHub>;
    try {
      batch = JSON.parse(data) as Batch<ToHub>;
    } catch {
      return this.log.warn('cluster link: a batch that is not JSON was ignored');
    }
    // Calls meant for an earlier hub: that node resets once it hears this hub's beacon.
    if (batch.epoch !== this.epoch) return;
    let link = this.nodes.get(batch.node);
    // The node started over (it lost this hub or the bus for a while): its earlier sessions are gone.
    if (link && link.life !== batch.life) {
      this.drop(batch.node, link, 'Node went away');
      link = undefined;
    }
    if (!link) {
      link = { life: batch.life, sessions: new Map(), lastHeard: 0, outbox: [] };
      this.nodes.set(batch.node, link);
      this.log.info('cluster: a node joined', { node: batch.node });
    }
    link.lastHeard = this.now();
    for (const m of batch.messages) this.handle(link, m);
  }

  private handle(link: NodeLink, m: ToHub): void {
    if (m.t === 'hello') return;
    if (m.t === 'reserve') return this.hub.reserveName(m.name);
    if (m.t === 'open') {
      const sid = m.sid;
      const hosted: Hosted = {
        told: null,
        session: this.hub.open({
          front: m.front,
          features: m.features,
          ...(m.identity ? { identity: m.identity } : {}),
          ...(m.address ? { address: m.address } : {}),
          deliver: (event, label) => {
            const message: ToNode = label === undefined ? { t: 'ev', sid, event } : { t: 'ev', sid, event, label };
            const name = hosted.session.name;
            if (name !== hosted.told) message.name = hosted.told = name;
            this.send(link, message);
          },
        }),
      };
      link.sessions.set(sid, hosted);
      return;
    }
    const hosted = link.sessions.get(m.sid);
    if (!hosted) return;
    const session = hosted.session;
    switch (m.t) {
      case 'dispatch':
        void session.dispatch(m.action, m.label).then(() => {
          hosted.told = session.name;
          this.send(link, { t: 'done', sid: m.sid, n: m.n, name: session.name });
        });
        return;
      case 'auth':
        void session.authenticate(m.name, m.password).then((result) => this.send(link, { t: 'auth', sid: m.sid, n: m.n, result }));
        return;
      case 'reject':
        return session.reject(m.error, m.label);
      case 'want':
        return session.want(m.feature, m.on);
      case 'close':
        link.sessions.delete(m.sid);
        return session.close(m.reason, m.message);
    }
  }

  private send(link: NodeLink, message: ToNode): void {
    link.outbox.push(message);
    this.flushing ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = null;
    for (const [node, link] of this.nodes) {
      if (link.outbox.length === 0) continue;
      const batch: Batch<ToNode> = { node: 'hub', life: link.life, epoch: this.epoch, messages: link.outbox };
      link.outbox = [];
      this.transport.publish(nodeSubject(node), JSON.stringify(batch));
    }
  }

  /** Nodes silent past the lease are dead: their users quit, as a dropped connection does. */
  private reap(): void {
    const late = this.now() - this.timing.leaseMs;
    for (const [node, link] of this.nodes) {
      if (link.lastHeard >= late) continue;
      this.log.warn('cluster: a node fell silent; its users are offline', { node, users: link.sessions.size });
      this.drop(node, link, 'Node went away');
    }
  }

  /** The node's sessions end as dropped connections do: their users quit with `why`. */
  private drop(node: string, link: NodeLink, why: string): void {
    this.nodes.delete(node);
    for (const { session } of link.sessions.values()) session.close(undefined, why);
    link.sessions.clear();
  }
}
