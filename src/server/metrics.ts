/**
 * Prometheus metrics (prom-client), one registry per server. The hub reports traffic through
 * the HubObserver seam; counting there is a couple of Map lookups, and prom-client only sees
 * the totals when /metrics is scraped. Gauges read a snapshot of the server at scrape time.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FrontState } from '../core/front.js';
import type { AuthOutcome, DropReason, HubObserver } from '../core/observer.js';
import type { ActionName, ServerEvent } from '../core/protocol.js';
import type { LinkObserver } from '../cluster/reliable.js';

/** What the gauges read at scrape time. */
export interface GaugeSource {
  fronts(): ReadonlyMap<string, FrontState>;
  /** Online users per front. */
  users(): ReadonlyMap<string, number>;
  groups(): number;
  historyLines(): number;
  /** Committed lines the search index does not hold yet (0 where search reads the committed lines themselves). */
  indexLag(): number;
  /** True while the search index has segments to merge (its worker does so in quiet rounds). */
  indexMerging(): boolean;
}

/** A cluster node's view of the cluster, read at scrape time. */
export interface ClusterGaugeSource {
  /** This node runs the hub. */
  hub(): boolean;
  /** The hub's beacon is heard. */
  hubHeard(): boolean;
  /** The bus (NATS) is reachable. */
  bus(): boolean;
}

/** Counts by two keys (front, then action or kind), cheap to bump. */
class Tally {
  private readonly counts = new Map<string, Map<string, number>>();

  add(outer: string, inner: string): void {
    let byInner = this.counts.get(outer);
    if (!byInner) {
      byInner = new Map();
      this.counts.set(outer, byInner);
    }
    byInner.set(inner, (byInner.get(inner) ?? 0) + 1);
  }

  *entries(): Generator<[string, string, number]> {
    for (const [outer, byInner] of this.counts) for (const [inner, n] of byInner) yield [outer, inner, n];
  }
}

const UP: ReadonlySet<FrontState> = new Set(['listening', 'connected']);

/** Fan-out and search times range from tens of microseconds to (under load) seconds. */
const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class Metrics implements HubObserver {
  readonly registry = new Registry();
  private readonly messagesIn = new Tally();
  private readonly messagesOut = new Tally();
  private readonly errors = new Tally();
  private readonly logins = new Tally();
  private readonly fanout: Histogram;
  private readonly search: Histogram;
  /** In cluster mode: lines given from the history to sessions handed back (at a take-over, or by a node taking its stream up again). */
  private refills: Counter | null = null;

  constructor(source: GaugeSource) {
    const registers = [this.registry];
    const tallied = (name: string, help: string, labelNames: [string, string], tally: Tally) =>
      new Counter({
        name,
        help,
        labelNames,
        registers,
        collect() {
          this.reset();
          for (const [a, b, n] of tally.entries()) this.inc({ [labelNames[0]]: a, [labelNames[1]]: b }, n);
        },
      });
    tallied('ics_chat_messages_in_total', 'Requests received from users, by front and action', ['front', 'action'], this.messagesIn);
    tallied('ics_chat_messages_out_total', 'Events sent to users, by front and event', ['front', 'event'], this.messagesOut);
    tallied('ics_chat_logins_total', 'Password checks (logins, SASL), by front and outcome (ok, wrong-password, limited)', ['front', 'outcome'], this.logins);
    tallied('ics_chat_errors_total', 'Errors sent to users (by error code) and connections dropped (by reason), by front', ['front', 'kind'], this.errors);

    new Gauge({
      name: 'ics_chat_front_up',
      help: 'Whether each configured front is up (listening or connected); fronts left off are not listed',
      labelNames: ['front'],
      registers,
      collect() {
        this.reset();
        for (const [front, state] of source.fronts()) if (state !== 'off') this.set({ front }, UP.has(state) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'ics_chat_users',
      help: 'Users online, by front',
      labelNames: ['front'],
      registers,
      collect() {
        this.reset();
        for (const front of source.fronts().keys()) this.set({ front }, 0);
        for (const [front, n] of source.users()) this.set({ front }, n);
      },
    });
    new Gauge({
      name: 'ics_chat_groups',
      help: 'Groups in session',
      registers,
      collect() {
        this.set(source.groups());
      },
    });
    new Gauge({
      name: 'ics_chat_history_lines',
      help: 'Chat lines stored in the history database',
      registers,
      collect() {
        this.set(source.historyLines());
      },
    });
    new Gauge({
      name: 'ics_chat_search_index_lag_lines',
      help: 'Committed chat lines the search index does not hold yet (a worker thread writes it; a commit waits for it past 20,000)',
      registers,
      collect() {
        this.set(source.indexLag());
      },
    });
    new Gauge({
      name: 'ics_chat_search_index_merging',
      help: 'Whether the search index has segments to merge (1), which its worker does in quiet rounds so that searches read fewer of them, or is merged (0)',
      registers,
      collect() {
        this.set(source.indexMerging() ? 1 : 0);
      },
    });
    this.fanout = new Histogram({
      name: 'ics_chat_fanout_seconds',
      help: 'From a chat line being said to its delivery to every recipient (history commit included)',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.search = new Histogram({ name: 'ics_chat_search_seconds', help: 'History search time', buckets: LATENCY_BUCKETS, registers });
  }

  /** In cluster mode: gauges for the node's view of the cluster, and the observer its links report to. */
  cluster(source: ClusterGaugeSource): LinkObserver {
    const registers = [this.registry];
    const flag = (name: string, help: string, read: () => boolean): void =>
      void new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read() ? 1 : 0);
        },
      });
    flag('ics_chat_cluster_hub', 'Whether this node runs the hub', () => source.hub());
    flag('ics_chat_cluster_hub_heard', "Whether the hub's beacon is heard", () => source.hubHeard());
    flag('ics_chat_cluster_bus_up', 'Whether the bus (NATS) is reachable', () => source.bus());
    const resent = new Counter({ name: 'ics_chat_cluster_resent_total', help: 'Link batches sent again (asked for, or unacknowledged past a heartbeat)', registers });
    const gaps = new Counter({ name: 'ics_chat_cluster_gap_asks_total', help: 'Gaps in a link stream asked to be filled', registers });
    this.refills = new Counter({ name: 'ics_chat_cluster_gap_fill_lines_total', help: 'Stored lines given from the history to sessions handed back to this hub, which their nodes never got (from the last hub, or from this one before the node took its stream up again)', registers });
    const roundTrip = new Histogram({ name: 'ics_chat_cluster_link_seconds', help: 'From a link batch sent to its acknowledgement (the bus round trip)', buckets: LATENCY_BUCKETS, registers });
    return {
      resent: (batches) => resent.inc(batches),
      askedForGap: () => gaps.inc(),
      acknowledged: (seconds) => roundTrip.observe(seconds),
    };
  }

  received(front: string, action: ActionName): void {
    this.messagesIn.add(front, action);
  }

  delivered(front: string, event: ServerEvent): void {
    this.messagesOut.add(front, event.action);
    if (event.action === 'error') this.errors.add(front, event.code);
  }

  refilled(lines: number): void {
    this.refills?.inc(lines);
  }

  dropped(front: string, reason: DropReason): void {
    this.errors.add(front, reason);
  }

  fannedOut(seconds: number): void {
    this.fanout.observe(seconds);
  }

  searched(seconds: number): void {
    this.search.observe(seconds);
  }

  authenticated(front: string, outcome: AuthOutcome): void {
    this.logins.add(front, outcome);
  }

  /** Every metric in the Prometheus text format. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
