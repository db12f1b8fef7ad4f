/**
 * The hub node's side of the link: it opens a hub session for every session a node opens, runs
 * the node's calls on it in the order they came, and sends back what the hub delivers on the
 * node's stream, batched per event-loop turn. A node that falls silent for longer than the lease
 * is taken for dead. Its users then leave their groups as vanished users do, and their names
 * come free. With every batch, a node is told what changed of its sessions and of their groups, so
 * that it can hand them to the next hub if this one dies; a hub that has just started takes
 * sessions handed back for one lease (core/takeover.ts). A node that falls so far behind that its
 * stream would keep too much unacknowledged takes the stream up again as a new life: its sessions
 * wait for it for one lease, run on as they were, and get the lines they missed from the history.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../core/log.js';
import type { ServerEvent } from '../core/protocol.js';
import type { SessionOptions } from '../core/session.js';
import { groupState, type HostedHub, type HostedSession, type SessionState } from '../core/takeover.js';
import { BEACON_SUBJECT, HUB_SUBJECT, nodeSubject, type Batch, type ToHub, type ToNode } from './link-protocol.js';
import { batchText, LinkStream, STREAM_CAP, type LinkObserver } from './reliable.js';
import type { Transport } from './transport.js';

export interface LinkTiming {
  /** How often the hub says it is there, and nodes that they are. */
  heartbeatMs: number;
  /** How long a silent node (or hub) is waited for before it is taken for dead. */
  leaseMs: number;
}

interface Hosted {
  readonly session: HostedSession;
  /** The link its events go to: a later life's once its node took the stream up again. */
  link: NodeLink;
  /** The name the node was last told this session has. */
  told: string | null;
  /** The session's state as the node was last told it (JSON). */
  kept: string | null;
}

interface NodeLink {
  readonly node: string;
  readonly life: number;
  readonly sessions: Map<number, Hosted>;
  readonly stream: LinkStream<ToNode, ToHub>;
  lastHeard: number;
  outbox: ToNode[];
  /** Sessions that were sent something since the last flush: what the node keeps of them may have changed. */
  readonly touched: Set<number>;
  /** The revision of each group the node was last told of. */
  readonly groups: Map<number, number>;
  /** Dropped or parked: it hears nothing more, its node starts over. */
  ended: boolean;
}

/** The sessions of a node whose stream would have kept too much, waiting (for a lease from `since`) for the node to take them up again. */
interface Parked {
  readonly sessions: Map<number, Hosted>;
  readonly since: number;
}

/** An event too long to carry between nodes (a `list` of tens of thousands of users) becomes an error saying so, to the same request. */
function tooLong(message: ToNode): ToNode {
  if (message.t !== 'ev' && message.t !== 'evs') return message;
  const event: ServerEvent = { action: 'error', code: 'too-large', msg: `the answer (${message.event.action}) is too long to carry between the cluster's nodes` };
  if (message.t === 'evs') return { t: 'evs', sids: message.sids, event };
  const error: ToNode = { t: 'ev', sid: message.sid, event };
  if (message.label !== undefined) error.label = message.label;
  if (message.name !== undefined) error.name = message.name;
  return error;
}

export class HubHost {
  /** This life of the hub: a node that hears another one knows the hub changed. */
  private readonly epoch = randomUUID();
  private readonly nodes = new Map<string, NodeLink>();
  /** Lives of nodes this hub dropped (`node/life`): their streams cannot go on, so they are told to start over. */
  private readonly dropped = new Set<string>();
  private readonly parked = new Map<string, Parked>();
  /** When this hub started: sessions are handed back to it for one lease after. */
  private readonly started: number;
  private flushing: NodeJS.Immediate | null = null;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly hub: HostedHub,
    private readonly transport: Transport,
    private readonly timing: LinkTiming,
    private readonly log: Logger,
    private readonly observer?: LinkObserver,
    private readonly now: () => number = Date.now,
    /** The most batches a node's stream keeps unacknowledged before the node must take it up again. */
    private readonly streamCap = STREAM_CAP,
  ) {
    this.started = now();
  }

  start(): void {
    this.unsubscribe = this.transport.subscribe(HUB_SUBJECT, (data) => this.receive(data));
    this.beacon();
    this.timer = setInterval(() => this.beat(), this.timing.heartbeatMs);
    this.timer.unref();
  }

  /**
   * Sends what is pending and falls silent: nothing the hub delivers from now on reaches a node
   * (its shutdown's restart notices), so the nodes hand their sessions to the next hub.
   */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    this.flush();
    this.stopped = true;
  }

  /** This life of the hub, as its beacon says. */
  get currentEpoch(): string {
    return this.epoch;
  }

  /** Nodes heard from within the lease. */
  nodeCount(): number {
    return this.nodes.size;
  }

  private beacon(): void {
    this.transport.publish(BEACON_SUBJECT, JSON.stringify({ epoch: this.epoch }));
  }

  private beat(): void {
    this.beacon();
    const late = this.now() - this.timing.leaseMs;
    if (this.started < late) this.hub.takeover.settle();
    for (const [node, parked] of this.parked) {
      if (parked.since >= late) continue;
      this.parked.delete(node);
      this.log.warn('cluster: a node did not take its stream up again; its users are offline', { node, users: parked.sessions.size });
      for (const { session } of parked.sessions.values()) session.close(undefined, 'Node went away');
    }
    for (const link of [...this.nodes.values()]) {
      if (link.lastHeard < late) {
        this.log.warn('cluster: a node fell silent; its users are offline', { node: link.node, users: link.sessions.size });
        this.drop(link, 'Node went away');
      } else link.stream.beat(this.timing.heartbeatMs);
      for (const id of link.groups.keys()) if (!this.hub.groups.get(id)) link.groups.delete(id);
    }
  }

  private receive(data: string): void {
    let batch: Batch<ToHub>;
    try {
      batch = JSON.parse(data) as Batch<ToHub>;
    } catch {
      return this.log.warn('cluster link: a batch that is not JSON was ignored');
    }
    // Calls meant for an earlier hub: that node starts over once it hears this hub's beacon.
    if (batch.epoch !== this.epoch) return;
    let link = this.nodes.get(batch.node);
    // The node started over (it lost this hub for a while): its earlier sessions are gone.
    if (link && link.life !== batch.life) {
      this.drop(link, 'Node went away');
      link = undefined;
    }
    if (!link) {
      // A life this hub dropped (it took the node for dead): that node must start over.
      if (this.dropped.has(`${batch.node}/${batch.life}`)) return this.publish(batch.node, { node: 'hub', life: batch.life, epoch: this.epoch, seq: 0, ack: 0, messages: [], reset: true });
      link = this.link(batch.node, batch.life);
    }
    link.lastHeard = this.now();
    const ready = link.stream.take(batch);
    if (ready === null) {
      this.drop(link, 'Node went away');
      return this.publish(batch.node, { node: 'hub', life: batch.life, epoch: this.epoch, seq: 0, ack: 0, messages: [], reset: true });
    }
    for (const m of ready) this.handle(link, m);
  }

  private link(node: string, life: number): NodeLink {
    const link: NodeLink = {
      node,
      life,
      sessions: new Map(),
      stream: new LinkStream<ToNode, ToHub>(
        (head, messages) => this.transport.publish(nodeSubject(node), batchText({ node: 'hub', life, epoch: this.epoch }, head, messages)),
        this.now,
        this.timing.heartbeatMs,
        this.observer,
        tooLong,
        this.streamCap,
      ),
      lastHeard: this.now(),
      outbox: [],
      touched: new Set(),
      groups: new Map(),
      ended: false,
    };
    this.nodes.set(node, link);
    this.log.info('cluster: a node joined', { node, life });
    return link;
  }

  private handle(link: NodeLink, m: ToHub): void {
    if (m.t === 'reserve') return this.hub.reserveName(m.name);
    if (m.t === 'describe') return this.hub.takeover.describe(m.groups);
    if (m.t === 'open' || m.t === 'restore') {
      const parked = this.unpark(link.node, m.sid);
      if (parked && m.t === 'restore') return this.resume(link, m.sid, parked, m.state);
      // A parked session the node opens anew was not logged in; one it does not hand back is over.
      parked?.session.close(undefined, 'Node went away');
      // Null while the hub restores the session, which may deliver (the lines it never heard) before it returns.
      let hosted: Hosted | null = null;
      const options: SessionOptions = {
        front: m.front,
        node: link.node,
        features: m.t === 'open' ? m.features : m.state.features,
        ...(m.identity ? { identity: m.identity } : {}),
        ...(m.address ? { address: m.address } : {}),
        deliver: (event, label) => {
          const message: ToNode = label === undefined ? { t: 'ev', sid: m.sid, event } : { t: 'ev', sid: m.sid, event, label };
          if (hosted !== null) {
            const name = hosted.session.name;
            if (name !== hosted.told) message.name = hosted.told = name;
          }
          this.send(hosted?.link ?? link, message);
        },
      };
      const session = m.t === 'open' ? this.hub.open(options) : this.hub.restore(options, m.state);
      if (session === null) {
        this.log.warn('cluster: a session handed back could not be run on', { node: link.node, user: m.t === 'restore' ? m.state.name : '-' });
        return this.send(link, { t: 'lost', sid: m.sid });
      }
      hosted = { session, link, told: session.name, kept: null };
      link.sessions.set(m.sid, hosted);
      // A handed-back session's state is told again: its groups' revisions are this hub's.
      if (m.t === 'restore') this.touch(link, m.sid);
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
        session.want(m.feature, m.on);
        return this.touch(link, m.sid);
      case 'close':
        link.sessions.delete(m.sid);
        return session.close(m.reason, m.message);
    }
  }

  /** The parked session of that node under that id, no longer parked; undefined when there is none. */
  private unpark(node: string, sid: number): Hosted | undefined {
    const parked = this.parked.get(node);
    const hosted = parked?.sessions.get(sid);
    if (!parked || !hosted) return undefined;
    parked.sessions.delete(sid);
    if (parked.sessions.size === 0) this.parked.delete(node);
    return hosted;
  }

  /** A parked session its node hands back: it runs on over the node's new life, and hears what it missed from the history. */
  private resume(link: NodeLink, sid: number, hosted: Hosted, state: SessionState): void {
    // The lines queued now go out while its events still go nowhere; the history then holds all it missed.
    this.hub.flush();
    hosted.link = link;
    hosted.kept = null;
    link.sessions.set(sid, hosted);
    hosted.session.resume(state.groups);
    this.touch(link, sid);
  }

  /** What the node keeps of the session may have changed without a word to it. */
  private touch(link: NodeLink, sid: number): void {
    link.touched.add(sid);
    this.flushing ??= setImmediate(() => this.flush());
  }

  private send(link: NodeLink, message: Exclude<ToNode, { t: 'group' | 'evs' }>): void {
    if (this.stopped || link.ended) return;
    if (!this.shared(link, message)) link.outbox.push(message);
    // A line in a group changes nothing a node keeps (a direct one may begin a conversation), and lines are the hot path.
    const line = message.t === 'ev' && message.event.action === 'exchange' && !message.event.direct;
    if (!line) link.touched.add(message.sid);
    this.flushing ??= setImmediate(() => this.flush());
  }

  /**
   * Adds a plain event to the last message of the outbox when that carries the same event (the
   * hub hands one event to a group's members one after another), so that a line to ten members
   * on a node crosses the bus once, and the node's fronts serialise it once. False when it cannot.
   */
  private shared(link: NodeLink, message: Exclude<ToNode, { t: 'group' | 'evs' }>): boolean {
    if (message.t !== 'ev' || message.label !== undefined || message.name !== undefined) return false;
    const last = link.outbox.at(-1);
    if (last === undefined || (last.t !== 'ev' && last.t !== 'evs') || last.event !== message.event) return false;
    if (last.t === 'evs') {
      last.sids.push(message.sid);
      return true;
    }
    if (last.label !== undefined || last.name !== undefined) return false;
    link.outbox[link.outbox.length - 1] = { t: 'evs', sids: [last.sid, message.sid], event: message.event };
    return true;
  }

  private publish(node: string, batch: Batch<ToNode>): void {
    this.transport.publish(nodeSubject(node), JSON.stringify(batch));
  }

  private flush(): void {
    // The lines the hub has queued are stored (and handed to their members) first, so an answer
    // that goes now says its request is stored: a node may read it back from PostgreSQL.
    this.hub.flush();
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = null;
    for (const link of [...this.nodes.values()]) {
      this.keep(link);
      if (link.outbox.length === 0) continue;
      const messages = link.outbox;
      link.outbox = [];
      if (!link.stream.push(messages)) {
        this.log.warn('cluster: a node left too much unacknowledged; its sessions wait for it to take its stream up again', { node: link.node, users: link.sessions.size });
        this.park(link);
        this.publish(link.node, { node: 'hub', life: link.life, epoch: this.epoch, seq: 0, ack: 0, messages: [], reset: true });
      }
    }
  }

  /** Tells the node what changed of the sessions it was sent something, and of their groups. */
  private keep(link: NodeLink): void {
    for (const sid of link.touched) {
      const hosted = link.sessions.get(sid);
      const state = hosted?.session.state();
      if (!hosted || !state) continue;
      for (const { id } of state.groups) {
        const group = this.hub.groups.get(id);
        if (!group || link.groups.get(id) === group.revision) continue;
        link.groups.set(id, group.revision);
        link.outbox.push({ t: 'group', group: groupState(group) });
      }
      const kept = JSON.stringify(state);
      if (kept === hosted.kept) continue;
      hosted.kept = kept;
      link.outbox.push({ t: 'state', sid, state });
    }
    link.touched.clear();
  }

  /** The link ends, its sessions wait (a lease) for the node's next life to hand them back. */
  private park(link: NodeLink): void {
    const parked = this.parked.get(link.node) ?? { sessions: new Map<number, Hosted>(), since: this.now() };
    for (const [sid, hosted] of this.end(link)) parked.sessions.set(sid, hosted);
    this.parked.set(link.node, parked);
  }

  /** The node's sessions end as dropped connections do: their users quit with `why`. */
  private drop(link: NodeLink, why: string): void {
    for (const { session } of this.end(link).values()) session.close(undefined, why);
  }

  /** The link hears nothing more (its sessions' goodbyes included), and its life cannot go on; returns the sessions it had. */
  private end(link: NodeLink): Map<number, Hosted> {
    link.ended = true;
    if (this.nodes.get(link.node) === link) this.nodes.delete(link.node);
    this.dropped.add(`${link.node}/${link.life}`);
    link.outbox = [];
    const sessions = new Map(link.sessions);
    link.sessions.clear();
    return sessions;
  }
}
