/**
 * What a node keeps of its sessions for a take-over: each logged-in session's state and the
 * groups they are in, as the hub last described them, and the last line of each group the node
 * was given. When the hub dies, the node hands them to the next one (core/takeover.ts) instead
 * of ending them, and the next hub gives each session the stored lines it never heard. A group
 * is kept while one of the node's sessions is in it.
 */
import type { GroupState, SessionState } from '../core/takeover.js';

export class Handover {
  private readonly groups = new Map<number, { state: GroupState; sessions: number }>();
  private readonly sessions = new Map<number, SessionState>();
  /** The highest sequence of each group's lines given to this node (its stream is in order, so every member here heard the lines up to it that were for them). */
  private readonly heard = new Map<number, number>();

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
      if (kept && --kept.sessions <= 0) {
        this.groups.delete(id);
        this.heard.delete(id);
      }
    }
    if (state === null) this.sessions.delete(sid);
    else this.sessions.set(sid, state);
  }

  /** A line of the group was given to this node. */
  line(group: number, seq: number): void {
    if (seq > (this.heard.get(group) ?? 0)) this.heard.set(group, seq);
  }

  /** The session's state as the hub last described it; undefined before it logged in. */
  known(sid: number): SessionState | undefined {
    return this.sessions.get(sid);
  }

  /** The session's state as last described, with the last line of each of its groups this node was given; undefined before it logged in. */
  stateOf(sid: number): SessionState | undefined {
    const state = this.sessions.get(sid);
    if (!state) return undefined;
    return { ...state, groups: state.groups.map((g) => (this.heard.has(g.id) ? { ...g, heard: this.heard.get(g.id)! } : g)) };
  }

  /** The groups the node's sessions are in, as last described. */
  described(): GroupState[] {
    return [...this.groups.values()].filter((g) => g.sessions > 0).map((g) => g.state);
  }
}
