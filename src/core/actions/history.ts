/**
 * History actions: a page of one conversation, and the conversations with lines in a time range,
 * read with search's rule (a user reads the lines said while they were in the group). A room is
 * read across its lives under its name; a direct conversation is found by the two people's
 * history keys, so it is the same one after a restart or while the other is offline.
 */
import { HistoryUnavailable, type FoundLine, type HistoryBound, type HistoryPlace } from '../history.js';
import { nameKey } from '../names.js';
import type { ClientAction, HistoryLine, HistoryMark } from '../protocol.js';
import type { OnlineMember } from '../session.js';
import type { HubState, OnlineContext } from './context.js';

export function historyLine(line: FoundLine): HistoryLine {
  return { id: line.id, group: line.group, seq: line.seq, label: line.label, from: line.sender, message: line.text, ts: new Date(line.ts).toISOString() };
}

/** A mark as the store takes it; null for a moment that is no date. */
function bound(mark: HistoryMark | undefined): HistoryBound | undefined | null {
  if (mark === undefined || !('ts' in mark)) return mark;
  const ts = Date.parse(mark.ts);
  return Number.isNaN(ts) ? null : { ts };
}

/** The history key a name's lines are kept under: the online user's, the account's, else the guest name's. */
function historyKeyOf(hub: HubState, name: string): string {
  const key = nameKey(name);
  return hub.presence.get(name)?.historyKey ?? hub.accounts.accountOf(key)?.historyKey ?? key;
}

/** What `target` names: a room or group by its channel name, or the direct conversation with a person (undefined: none). */
function placeOf(hub: HubState, me: OnlineMember, target: string): HistoryPlace | undefined {
  if (target.startsWith('#')) return { label: target };
  const group = hub.history.findDirect(me.historyKey, historyKeyOf(hub, target));
  return group === undefined ? undefined : { group };
}

/** Runs a history read, answering `unavailable` when the store cannot serve; undefined then. */
function reading<T>(ctx: OnlineContext, read: () => T): T | undefined {
  const { hub, me } = ctx;
  hub.flushLines();
  try {
    return read();
  } catch (err) {
    if (!(err instanceof HistoryUnavailable)) throw err;
    hub.log.error('history read failed', { user: me.name, err: err.message });
    ctx.fail('unavailable', 'your history cannot be read right now: the server cannot use its database; try again later');
    return undefined;
  }
}

const pageSize = (ctx: OnlineContext, limit: number | undefined): number => Math.max(1, Math.min(limit ?? Infinity, ctx.hub.limits.historyPage));

// history <target> [after] [before] [newest] [limit]: a page of the lines of a room, group or direct conversation I may read
export function history(ctx: OnlineContext, action: Extract<ClientAction, { action: 'history' }>): void {
  const { hub, me } = ctx;
  const target = action.target.trim();
  const after = bound(action.after);
  const before = bound(action.before);
  if (after === null || before === null) return ctx.fail('bad-request', 'a moment in history is an ISO 8601 date and time');
  const place = placeOf(hub, me, target);
  const request = { newest: action.newest === true, limit: pageSize(ctx, action.limit), ...(after ? { after } : {}), ...(before ? { before } : {}) };
  const lines = place === undefined ? [] : reading(ctx, () => hub.history.page(me.historyKey, place, request));
  if (lines) ctx.reply({ action: 'history', target, lines: lines.map(historyLine) });
}

/** What the user calls a stored group: its label, or for a direct conversation (`alice+bob`) the other person. */
function targetOf(label: string, me: OnlineMember): string {
  if (label.startsWith('#')) return label;
  const [a = '', b = ''] = label.split('+');
  return nameKey(a) === me.key ? b : a;
}

// conversations [after] [before] [limit]: where I may read lines said between two moments, the most recent first
export function conversations(ctx: OnlineContext, action: Extract<ClientAction, { action: 'conversations' }>): void {
  const { hub, me } = ctx;
  const after = action.after === undefined ? 0 : Date.parse(action.after);
  const before = action.before === undefined ? Number.MAX_SAFE_INTEGER : Date.parse(action.before);
  if (Number.isNaN(after) || Number.isNaN(before)) return ctx.fail('bad-request', 'a moment in history is an ISO 8601 date and time');
  const found = reading(ctx, () => hub.history.conversations(me.historyKey, Math.min(after, before), Math.max(after, before)));
  if (!found) return;
  // A room's lives are one conversation: the newest line of any of them.
  const newest = new Map<string, { target: string; ts: number }>();
  for (const c of found) {
    const target = targetOf(c.label, me);
    const key = target.toLowerCase();
    if ((newest.get(key)?.ts ?? -Infinity) < c.ts) newest.set(key, { target, ts: c.ts });
  }
  const list = [...newest.values()].sort((a, b) => b.ts - a.ts).slice(0, pageSize(ctx, action.limit));
  ctx.reply({ action: 'conversations', conversations: list.map((c) => ({ target: c.target, ts: new Date(c.ts).toISOString() })) });
}
