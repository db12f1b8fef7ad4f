/**
 * The page's requests and their answers: each request goes out with a fresh label, and the
 * server sends that label back on every event that answers it, so an event with a known label
 * is an answer and anything else is a push. What the page needs to show an answer (what was
 * asked for, a private line's text, whether the user asked for `who` or the page refreshed its
 * roster) is kept by label.
 */
import type { ActionName, ClientAction, Label } from '../../../core/protocol.js';

/** What a request asked, as far as showing its answer goes. */
export interface Asked {
  action: ActionName;
  target?: string;
  message?: string;
  /** The user asked (false: the page did by itself, e.g. a roster refresh). */
  shown: boolean;
}

/**
 * Requests remembered at most. Many get no answer at all (a chat line, a leave), so they are
 * not kept until answered but until this many newer ones went out: far more than the rate
 * limit lets wait at once.
 */
const KEPT = 200;

export class Requests {
  private sent = 0;
  private readonly asked = new Map<Label, Asked>();

  /**
   * A label for a request about to go out. `~` starts no user's or room's name, so no label of
   * an event's own (a conversation's name) is ever taken for one of these.
   */
  add(action: ClientAction, shown = true): Label {
    const label = `~${++this.sent}`;
    const asked: Asked = { action: action.action, shown };
    if ('target' in action) asked.target = action.target;
    if (action.action === 'direct') asked.message = action.message;
    this.asked.set(label, asked);
    if (this.asked.size > KEPT) this.asked.delete(this.asked.keys().next().value!);
    return label;
  }

  /** The request an event answers, or undefined for a push. */
  answered(label: Label | undefined): Asked | undefined {
    return label === undefined ? undefined : this.asked.get(label);
  }

  /** Forgets every request (the connection that carried them is gone). */
  clear(): void {
    this.asked.clear();
  }
}
