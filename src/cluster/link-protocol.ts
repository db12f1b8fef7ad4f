/**
 * What a node's fronts and the hub node say to each other over the bus. A node sends its
 * sessions' calls to the hub (one stream per node), and the hub answers on the node's own stream
 * (events, settled dispatches, password checks). Both streams are batched per event-loop turn,
 * numbered, and delivered exactly once and in order however the bus drops, repeats or reorders
 * (reliable.ts). `epoch` names one life of the hub, `life` one life of a node: a side that
 * hears the other start a new life knows the streams of the last one are gone. The hub tells
 * each node what it needs to hand its sessions to a new hub (`state`, `group`), and a node that
 * hears a new hub hands them over (`describe`, `restore`) before anything else.
 */
import type { Identity } from '../core/accounts.js';
import type { DropReason } from '../core/observer.js';
import type { ClientAction, Feature, Label, ServerEvent } from '../core/protocol.js';
import type { AuthResult } from '../core/session.js';
import type { GroupState, SessionState } from '../core/takeover.js';
import type { ValidationError } from '../core/validate.js';
import type { Wire } from './reliable.js';

/** From a node to the hub. `sid` numbers the node's sessions; `n` the session's requests. */
export type ToHub =
  | { t: 'reserve'; name: string }
  | { t: 'open'; sid: number; front: string; features: Feature[]; identity?: Identity; address?: string }
  | { t: 'dispatch'; sid: number; n: number; action: ClientAction; label?: Label }
  | { t: 'auth'; sid: number; n: number; name: string; password: string }
  | { t: 'reject'; sid: number; error: ValidationError; label?: Label }
  | { t: 'want'; sid: number; feature: 'echo' | 'signals'; on: boolean }
  | { t: 'close'; sid: number; reason?: DropReason; message?: string }
  /** Before handing its sessions to a new hub: the groups they are in, as the last hub described them. */
  | { t: 'describe'; groups: GroupState[] }
  /** A session of the last hub, handed to a new one to run on as `state` says (core/takeover.ts). */
  | { t: 'restore'; sid: number; front: string; identity?: Identity; address?: string; state: SessionState };

/** From the hub to one node. */
export type ToNode =
  /** `name`: the session's name, when it changed since the hub last said (a login, a rename), so the front reads it as it delivers the event. */
  | { t: 'ev'; sid: number; event: ServerEvent; label?: Label; name?: string | null }
  /** One event to several of the node's sessions (a line to a group's members there): carried, and read, once. */
  | { t: 'evs'; sids: number[]; event: ServerEvent }
  /** Request `n` of the session has settled; `name` is the session's name after it. */
  | { t: 'done'; sid: number; n: number; name: string | null }
  | { t: 'auth'; sid: number; n: number; result: AuthResult }
  /** What the node keeps of the session for a take-over, when it changed. */
  | { t: 'state'; sid: number; state: SessionState }
  /** What the node keeps of a group its sessions are in, when it changed. */
  | { t: 'group'; group: GroupState }
  /** The hub could not run the handed-back session on (the hand-over was over, or its name was taken). */
  | { t: 'lost'; sid: number };

/** One batch on a stream: which node's stream, in which lives of the node and the hub. */
export interface Batch<M> extends Wire<M> {
  node: string;
  /** Which life of the node: a node whose sessions ended (it lost the hub) starts a new one. */
  life: number;
  epoch: string;
  /** From the hub: it cannot go on with this life of the node (start a new one). */
  reset?: true;
}

/** The subject a node's batches go to the hub on, and the one the hub answers a node on (both within the cluster's name: transport.ts). */
export const HUB_SUBJECT = 'hub';
export const nodeSubject = (node: string): string => `node.${node}`;
/** The hub says it is there (its epoch) to every node, once a heartbeat. */
export const BEACON_SUBJECT = 'beacon';
