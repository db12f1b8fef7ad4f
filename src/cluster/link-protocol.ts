/**
 * What a node's fronts and the hub node say to each other over the bus. A node sends its
 * sessions' calls to the hub (one ordered stream per node); the hub answers on the node's own
 * stream (events, settled dispatches, password checks). Both streams are batched per
 * event-loop turn. `epoch` names one life of the hub. A node that hears a new epoch knows the
 * hub changed, and the sessions it held are gone.
 */
import type { Identity } from '../core/accounts.js';
import type { DropReason } from '../core/observer.js';
import type { ClientAction, Feature, Label, ServerEvent } from '../core/protocol.js';
import type { AuthResult } from '../core/session.js';
import type { ValidationError } from '../core/validate.js';

/** From a node to the hub. `sid` numbers the node's sessions; `n` the session's requests. */
export type ToHub =
  | { t: 'hello' }
  | { t: 'reserve'; name: string }
  | { t: 'open'; sid: number; front: string; features: Feature[]; identity?: Identity; address?: string }
  | { t: 'dispatch'; sid: number; n: number; action: ClientAction; label?: Label }
  | { t: 'auth'; sid: number; n: number; name: string; password: string }
  | { t: 'reject'; sid: number; error: ValidationError; label?: Label }
  | { t: 'want'; sid: number; feature: 'echo' | 'signals'; on: boolean }
  | { t: 'close'; sid: number; reason?: DropReason; message?: string };

/** From the hub to one node. */
export type ToNode =
  /** `name`: the session's name, when it changed since the hub last said (a login, a rename), so the front reads it as it delivers the event. */
  | { t: 'ev'; sid: number; event: ServerEvent; label?: Label; name?: string | null }
  /** Request `n` of the session has settled; `name` is the session's name after it. */
  | { t: 'done'; sid: number; n: number; name: string | null }
  | { t: 'auth'; sid: number; n: number; result: AuthResult };

/** One batch on a stream: who sent it, in which life of the hub, and the messages in order. */
export interface Batch<M> {
  node: string;
  /** Which life of the node: a node whose sessions ended (it lost the hub or the bus) starts a new one. */
  life: number;
  epoch: string;
  messages: M[];
}

/** The subject a node's batches go to the hub on, and the one the hub answers a node on. */
export const HUB_SUBJECT = 'ics.hub';
export const nodeSubject = (node: string): string => `ics.node.${node}`;
/** The hub says it is there (its epoch) to every node, once a heartbeat. */
export const BEACON_SUBJECT = 'ics.beacon';
