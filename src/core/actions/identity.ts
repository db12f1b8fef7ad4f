/**
 * Identity actions: a new name for a logged-in user (`rename`) and being away (`away`). Both are
 * kept in presence, so every front can show them, and told to the users who share a group with
 * the user: the IRC front renders them as NICK and away-notify, the others as events or words.
 */
import { nameKey, nameProblem } from '../names.js';
import type { ClientAction, ServerEvent } from '../protocol.js';
import type { OnlineMember } from '../session.js';
import { lineText } from '../text.js';
import type { HubState, OnlineContext } from './context.js';

/** The longest away message kept (ISUPPORT AWAYLEN on IRC). */
export const AWAY_MAX = 300;

/** Everyone who shares a group with the member, each once, in the order met. */
function peersOf(hub: HubState, me: OnlineMember): Set<OnlineMember> {
  const peers = new Set<OnlineMember>();
  for (const group of hub.groups.of(me)) for (const m of group.members) if (m.member !== me) peers.add(m.member);
  return peers;
}

/** Why the member may not take `wanted` (already checked well-formed), or null when they may. */
function refusal(hub: HubState, me: OnlineMember, wanted: string): Extract<ServerEvent, { action: 'rename'; status: string }> | null {
  const refused = (msg: string) => ({ action: 'rename' as const, status: 'refused' as const, name: wanted, msg });
  if (me.identity !== null) return refused(`${me.name} is the name of your ${me.identity.provider} account; it cannot be changed here`);
  if (me.account !== null) return refused(`you are logged in to the account ${me.name}: your name is its name`);
  if (nameKey(wanted) === me.key) return null;
  const owner = hub.accounts.accountOf(nameKey(wanted));
  if (owner) {
    // As a login hears it: the credential says what the name takes.
    const credential = owner.secret === null ? owner.identity.provider : 'password';
    return { action: 'rename', status: 'duplicate', name: wanted, msg: 'this name is registered', credential };
  }
  if (hub.isReserved(wanted) || hub.presence.get(wanted)) return { action: 'rename', status: 'duplicate', name: wanted, msg: `${wanted} is already in use` };
  return null;
}

// rename <name>: a guest takes another free name (or another case of its own) on every front at once
export function rename(ctx: OnlineContext, { name }: Extract<ClientAction, { action: 'rename' }>): void {
  const { hub, me } = ctx;
  const problem = nameProblem(name);
  if (problem) return ctx.reply({ action: 'rename', status: 'invalid', name: name.slice(0, 40), msg: problem });
  const wanted = name.normalize('NFC');
  const old = me.name;
  if (wanted === old) return ctx.reply({ action: 'rename', status: 'ok', name: wanted, old });
  const refused = refusal(hub, me, wanted);
  if (refused) return ctx.reply(refused);
  if (!hub.presence.rename(old, wanted, me)) return ctx.reply({ action: 'rename', status: 'duplicate', name: wanted, msg: `${wanted} is already in use` });
  hub.flushLines();
  const oldKey = me.key;
  me.name = wanted;
  me.key = nameKey(wanted);
  if (me.key !== oldKey) {
    // A guest's history is its name's: what this session saw moves along with it.
    hub.history.adopt(me.historyKey, me.key, me.since);
    me.historyKey = me.key;
    // The new name may have been another guest's since this session logged in: from here on only
    // the memberships after a fresh mark are this session's, so its open ones begin again after it
    // (a later rename or registration takes them along, and nothing of that other guest's).
    me.since = hub.history.mark();
    for (const group of hub.groups.of(me)) {
      if (group.kind === 'direct') continue;
      hub.history.left(me.historyKey, group.id, group.seq);
      hub.history.joined(me.historyKey, group.id, group.seq);
    }
    for (const group of hub.groups.list()) if (group.invited.has(oldKey)) hub.groups.invite(group, me.key);
  }
  const event: ServerEvent = { action: 'rename', old, name: wanted, front: me.front };
  const told = peersOf(hub, me);
  for (const other of hub.presence.values()) if (other.features.has('presence')) told.add(other);
  told.delete(me);
  for (const other of told) hub.push(other, event);
  // A direct conversation is kept under the pair's old names and history keys: it ends, and
  // the next direct line opens the pair's conversation under the new name.
  for (const group of [...hub.groups.of(me)]) if (group.kind === 'direct') hub.leaveGroup(me, group);
  hub.scheduleFlush();
  ctx.reply({ action: 'rename', status: 'ok', name: wanted, old });
}

// away [message]: marks me away with the message, or back without one; my groups' members hear of it
export function away(ctx: OnlineContext, { message }: Extract<ClientAction, { action: 'away' }>): void {
  const { hub, me } = ctx;
  const text = lineText(message ?? '').trim().slice(0, AWAY_MAX);
  const now = text === '' ? null : text;
  const changed = now !== me.away;
  me.away = now;
  if (changed) {
    const event: ServerEvent = now === null ? { action: 'away', name: me.name, front: me.front } : { action: 'away', name: me.name, front: me.front, message: now };
    for (const other of peersOf(hub, me)) if (other.features.has('events')) hub.push(other, event);
  }
  ctx.reply(now === null ? { action: 'away', status: 'back' } : { action: 'away', status: 'away', message: now });
}
