/**
 * One session of a node whose hub runs on another node (remote-hub.ts): what its front gave, its
 * name as the hub last said it, and the requests the hub has not answered yet, so that they can be
 * answered when the hub is lost or the session ends.
 */
import type { Logger } from '../core/log.js';
import type { Feature, Label, ServerEvent } from '../core/protocol.js';
import { sinkOf, type AuthResult, type SessionOptions } from '../core/session.js';
import { SessionTurns } from './session-turns.js';

/** What a password check answers when the hub changed before it could. */
export const HUB_CHANGED: AuthResult = { ok: false, status: 'busy', msg: 'the chat server restarted; try again' };

/** The answer to a request the hub was lost before answering: it may or may not have been carried out. */
const unanswered = (action: string): ServerEvent => ({
  action: 'error',
  code: 'unavailable',
  msg: `the chat server moved to another machine before it answered your ${action}: it may not have been carried out`,
  for: action,
});

export class RemoteSession {
  /** The features the front turned on, as it turned them on or off (those of a logged-in session are in its state). */
  readonly features: Set<Feature>;
  name: string | null = null;
  closed = false;
  /** The order of its requests, some answered here. */
  readonly turns = new SessionTurns();
  private requests = 0;
  /** Dispatches the hub has not settled: what each asked, to answer it if the hub is lost. */
  private readonly settled = new Map<number, { action: string; label: Label | undefined; settle: () => void }>();
  private readonly checked = new Map<number, (result: AuthResult) => void>();

  constructor(
    readonly sid: number,
    readonly options: SessionOptions,
    private readonly log: Logger,
  ) {
    this.features = new Set(options.features ?? []);
  }

  /** A dispatch about to go to the hub: its number, and when the hub says it is carried out. */
  dispatched(action: string, label: Label | undefined): { n: number; settled: Promise<void> } {
    const n = ++this.requests;
    return { n, settled: new Promise<void>((settle) => this.settled.set(n, { action, label, settle: this.turns.sent(settle) })) };
  }

  /** A password check about to go to the hub: its number, and its answer. */
  checking(): { n: number; checked: Promise<AuthResult> } {
    const n = ++this.requests;
    return { n, checked: new Promise<AuthResult>((resolve) => this.checked.set(n, this.turns.sent(resolve))) };
  }

  /** The hub carried out dispatch `n`. */
  done(n: number): void {
    this.settled.get(n)?.settle();
    this.settled.delete(n);
  }

  /** The hub answered password check `n`. */
  answered(n: number, result: AuthResult): void {
    this.checked.get(n)?.(result);
    this.checked.delete(n);
  }

  /**
   * The hub is lost: each dispatch it had (not those `unsent`, which wait for the next hub) is
   * answered with an error saying it may not have been carried out; each password check with busy.
   */
  hubLost(unsent: (n: number) => boolean): void {
    for (const [n, call] of this.settled) {
      if (unsent(n)) continue;
      this.settled.delete(n);
      this.deliver(unanswered(call.action), call.label);
      call.settle();
    }
    for (const check of this.checked.values()) check(HUB_CHANGED);
    this.checked.clear();
  }

  /** The session is over here: its waits settle (a dispatch resolves, a password check says busy). */
  end(): void {
    this.closed = true;
    for (const call of this.settled.values()) call.settle();
    for (const check of this.checked.values()) check(HUB_CHANGED);
    this.settled.clear();
    this.checked.clear();
  }

  deliver(event: ServerEvent, label?: Label): void {
    try {
      if (label === undefined) sinkOf(this.options).deliver(event);
      else sinkOf(this.options).deliver(event, label);
    } catch (err) {
      this.log.error('front failed to deliver an event', { front: this.options.front, err: String(err) });
    }
  }
}
