/**
 * What the hub reports as it works, for metrics. The hub calls these on its hot path (every
 * delivered event), so an implementation must be cheap (count, do not format) and must not
 * throw. Core knows no metrics library: the server supplies the implementation.
 */
import type { ActionName, ServerEvent } from './protocol.js';

/** How a password check ended: `limited` attempts were refused unchecked. */
export type AuthOutcome = 'ok' | 'wrong-password' | 'limited';

/** Why a front dropped a connection on its own initiative. */
export type DropReason = 'slow-consumer' | 'timeout' | 'too-large';

export interface HubObserver {
  /** A user of `front` sent one valid action. */
  received(front: string, action: ActionName): void;
  /** The hub handed one event to a user of `front` (error events included). */
  delivered(front: string, event: ServerEvent): void;
  /** A front dropped one of its users' connections. */
  dropped(front: string, reason: DropReason): void;
  /** A chat line reached every recipient, `seconds` after it was said (history commit included). */
  fannedOut(seconds: number): void;
  /** A history search took `seconds`. */
  searched(seconds: number): void;
  /** A user of `front` tried a password. */
  authenticated(front: string, outcome: AuthOutcome): void;
  /** A session handed to this hub (a cluster take-over) was given `lines` stored lines it never heard. */
  refilled(lines: number): void;
}

/** The observer of a hub nobody watches. */
export const NO_OBSERVER: HubObserver = {
  received() {},
  delivered() {},
  dropped() {},
  fannedOut() {},
  searched() {},
  authenticated() {},
  refilled() {},
};
