/**
 * What a node keeps of its sessions for a take-over: each logged-in session's state and the
 * groups they are in, as the hub last described them. When the hub dies, the node hands them to
 * the next one (core/takeover.ts) instead of ending them. A group is kept while one of the node's
 * sessions is in it.
 */
import type { GroupState, SessionState } from '../core/takeover.js';

export class Handover {
  private readonly groups = new Map<number, { state: GroupState; sessions: number }>();
  private readonly sessions = new Map<number, SessionState>();

  /** The hub's description of a group (its latest). */
  group(state: GroupState): void {
    const kept = this.groups.get(state.id);
    if (kept) kept.state = state;
    else this.groups.set(state.id, { state, sessions: 0 });
  }

  /** The hub's description of a session; null when it is over here. */
  session(sid: number, state: SessionState | null): void {
    const was = this.sessions.get(sid);
    for (const { id } of state?.groups ?? []) {
      const kept = this.groups.get(id);
      if (kept) kept.sessions++;
    }
    for (const { id } of was?.groups ?? []) {
      const kept = this.groups.get(id);
      if (kept && --kept.sessions <= 0) this.groups.delete(id);
    }
    if (state === null) this.sessions.delete(sid);
    else this.sessions.set(sid, state);
  }

  /** The session's state as last described; undefined before it logged in. */
  stateOf(sid: number): SessionState | undefined {
    return this.sessions.get(sid);
  }

  /** The groups the node's sessions are in, as last described. */
  described(): GroupState[] {
    return [...this.groups.values()].filter((g) => g.sessions > 0).map((g) => g.state);
  }
}
