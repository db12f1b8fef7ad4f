/**
 * What a front holds for one of its users on the hub: the hub and the member, every operation
 * on the prototype. Thousands of idle connections each hold one, so it carries no closures of
 * its own (an object literal of arrow functions and a getter cost about 1 KB a session).
 */
import type { HubState } from './actions/context.js';
import { authenticate } from './auth.js';
import type { DropReason } from './observer.js';
import type { ClientAction, Feature, Label } from './protocol.js';
import { isOnline, type AuthResult, type Member } from './session.js';
import { sessionState, type GroupPlace, type HostedSession, type SessionState, type Takeover } from './takeover.js';
import type { ValidationError } from './validate.js';

/** What a session asks of its hub beyond what handlers see. */
export interface SessionHost extends HubState {
  /** Runs the action after the member's earlier ones; resolves once its answers are delivered. */
  dispatchFor(me: Member, action: ClientAction, label?: Label): Promise<void>;
  /** Ends the member's session (`reason` when its front dropped it). */
  endSession(me: Member, reason?: DropReason, message?: string): void;
  readonly takeover: Pick<Takeover, 'missed'>;
}

export class HubSession implements HostedSession {
  constructor(
    private readonly hub: SessionHost,
    private readonly member: Member,
  ) {}

  get name(): string | null {
    return this.member.name;
  }

  state(): SessionState | null {
    return sessionState(this.hub, this.member);
  }

  resume(places: readonly GroupPlace[]): void {
    if (isOnline(this.member) && !this.member.closed) this.hub.takeover.missed(this.member, places);
  }

  dispatch(action: ClientAction, label?: Label): Promise<void> {
    return this.hub.dispatchFor(this.member, action, label);
  }

  authenticate(name: string, password: string): Promise<AuthResult> {
    return authenticate(this.hub, this.member, name, password);
  }

  reject(error: ValidationError, label?: Label): void {
    this.hub.fail(this.member, error.code, error.msg, error.for, label);
  }

  want(feature: Feature, on: boolean): void {
    if (on) this.member.features.add(feature);
    else this.member.features.delete(feature);
  }

  close(reason?: DropReason, message?: string): void {
    this.hub.endSession(this.member, reason, message);
  }
}
