/**
 * Changes of an IRC user that only this front knows of, told by the front itself to the user and
 * to its clients that share a channel with them, each as the capability it took allows: a new
 * realname (`SETNAME`, `setname`), an account proved after registration (`ACCOUNT`,
 * `account-notify`) and the username that loses its `~` with it (`CHGHOST`, `chghost`).
 */
import type { IrcClient } from './client.js';
import type { IrcMessage } from './message.js';
import { IRC_HOST } from './outbound.js';

/** Sends `message` to `s` and to the front's clients sharing a channel with it, those that took `cap`. */
export function tellCommon(s: IrcClient, cap: string, message: IrcMessage): void {
  const nick = s.nick;
  for (const c of s.shared.clients) {
    if (!c.caps.has(cap)) continue;
    // The user's own copy answers the command under way (a label included); the others' are pushes.
    if (c === s) s.out.send(message);
    else if (nick !== null && c.mirror.channels().some((v) => v.byName.get(nick)?.front === IRC_HOST)) c.out.asPush((m) => c.out.send(m), message);
  }
}
