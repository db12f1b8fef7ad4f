/**
 * The session seam: what a front gives the hub for one of its users, and what it gets back.
 * Every event reaches the front through `deliver`, in order; an event that answers a request
 * carries the request's label, so no front has to guess which events answer what.
 */
import type { Account, Identity } from './accounts.js';
import type { DropReason } from './observer.js';
import type { ClientAction, Feature, Label, ServerEvent } from './protocol.js';
import type { ValidationError } from './validate.js';

/** What receives every event for one user. */
export interface EventSink {
  /**
   * Receives every event for this user, in order; `label` when the event answers a request
   * dispatched with that label. Must not throw.
   */
  deliver(event: ServerEvent, label?: Label): void;
}

/**
 * Where a session's events go: `deliver`, or `to`, an object the front holds for the connection
 * anyway (its connection or session), whose `deliver` method serves. A front with thousands of
 * idle connections gives `to`: a `deliver` closure each, and the context it holds, would cost
 * each of them some 50-100 bytes; with `deliver`, the hub keeps the options object itself.
 */
export type SessionOptions = OpenOptions & ({ deliver(event: ServerEvent, label?: Label): void; to?: never } | { to: EventSink; deliver?: never });

/** Whom a session's events go to, as its options say. */
export const sinkOf = (options: SessionOptions): EventSink => options.to ?? (options as EventSink);

interface OpenOptions {
  /** The front's name, shown to other users (`tcp`, `irc`, ...). */
  front: string;
  /** Features on from the start (gateway fronts want them all). */
  features?: readonly Feature[];
  /**
   * Who the front vouches this session belongs to. Such a session logs in under the name
   * bound to the identity; on its first login the name it asks for is derived and bound.
   */
  identity?: Identity;
  /** The peer's network address (failed logins are limited per address); none for fronts without one. */
  address?: string;
  /** The cluster node whose front holds the connection (the hub's side of a link sets it); none on the hub's own node. */
  node?: string;
}

/** How proving a password went. */
export type AuthResult =
  | { ok: true; name: string }
  | { ok: false; status: 'unknown' | 'denied' | 'limited' | 'busy'; msg: string; retryAfter?: number };

/** What a front holds for one of its users. */
export interface Session {
  readonly name: string | null;
  /**
   * Carries out an action after the ones dispatched before it. Its answers are delivered with
   * `label` (when given); the promise settles once they all have been, and never rejects.
   */
  dispatch(action: ClientAction, label?: Label): Promise<void>;
  /**
   * Proves the session holds the password account `name` (IRC SASL, before logging in); the
   * next login then takes that name. Resolves once the password is checked, off the event loop.
   */
  authenticate(name: string, password: string): Promise<AuthResult>;
  /** Answers input the front could not turn into an action (bad JSON, an unknown action, ...). */
  reject(error: ValidationError, label?: Label): void;
  /**
   * Turns a feature the client negotiates as it goes (IRC's CAP) on or off for what is delivered
   * from now on: `echo` (its own lines come back) and `signals`.
   */
  want(feature: 'echo' | 'signals', on: boolean): void;
  /**
   * Ends the session: the user leaves every group and goes offline. `reason` when the front
   * dropped them; `message`, what the others are told (an IRC QUIT's reason).
   */
  close(reason?: DropReason, message?: string): void;
}

/** The features a session has on, as bits: a `Set` would cost some 150 bytes a session, most of them idle. */
const FEATURE_BIT: Readonly<Record<Feature, number>> = { events: 1, presence: 2, rooms: 4, echo: 8, signals: 16, acks: 32 };

export class FeatureSet implements Iterable<Feature> {
  private bits = 0;

  constructor(features: Iterable<Feature> = []) {
    for (const f of features) this.add(f);
  }

  has(feature: Feature): boolean {
    return (this.bits & FEATURE_BIT[feature]) !== 0;
  }

  add(feature: Feature): void {
    this.bits |= FEATURE_BIT[feature];
  }

  delete(feature: Feature): void {
    this.bits &= ~FEATURE_BIT[feature];
  }

  *[Symbol.iterator](): Iterator<Feature> {
    for (const [feature, bit] of Object.entries(FEATURE_BIT) as [Feature, number][]) if (this.bits & bit) yield feature;
  }
}

/** The hub's record of one session. */
export class Member {
  name: string | null = null;
  key = '';
  /** Whose history this session reads and writes: the name key of a guest, an account's key. */
  historyKey = '';
  /** The history's membership mark when the session logged in: the memberships it began come after it. */
  since = 0;
  /** The account this session proved it holds (by password). */
  account: Account | null = null;
  /** A password is being checked or hashed for this session. */
  authenticating = false;
  closed = false;
  /** The configured operator name this session proved (OPER), or null: an operator may kick anywhere and kill. */
  oper: string | null = null;
  /** The away message while the user is away (kept in presence, so every front can show it). */
  away: string | null = null;
  /** The group group-less actions are about (the classic client's one group); null when none. */
  focus: number | null = null;
  /** The end of this session's queue of actions: the next one runs after it. */
  busy: Promise<void> | null = null;
  readonly features: FeatureSet;

  constructor(
    readonly front: string,
    private readonly sink: EventSink,
    features: readonly Feature[],
    readonly identity: Identity | null,
    readonly address: string | null,
    /** The cluster node whose front holds the connection; null on the hub's own node and in one process. */
    readonly node: string | null,
  ) {
    this.features = new FeatureSet(features);
  }

  /** Hands an event to the session's front (an event without a label is handed without one). */
  deliver(event: ServerEvent, label?: Label): void {
    if (label === undefined) this.sink.deliver(event);
    else this.sink.deliver(event, label);
  }

  /** A session of a client that shows many groups (else it sees the classic one-group view). */
  get rooms(): boolean {
    return this.features.has('rooms');
  }
}

/** A logged-in member: its name is known (handlers narrow to this once, centrally). */
export type OnlineMember = Member & { name: string };

/** Whether the member has logged in. */
export const isOnline = (me: Member): me is OnlineMember => me.name !== null;
