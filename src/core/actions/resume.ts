/**
 * `resume`: a registered user who comes back is in their kept rooms and direct conversations
 * again (core/keeper.ts), on whatever front, and is shown what they missed in each, bounded: the
 * newest lines said while they were away and how many older ones there are to search. All of it
 * answers the request, so each front shows it where it fits (IRC after its welcome burst); the
 * classic client never asks, so its screens stay as they were.
 */
import { isBanned } from '../group-rules.js';
import type { Group } from '../groups.js';
import { HistoryUnavailable, type HistoryPlace } from '../history.js';
import { registered, type Return } from '../keeper.js';
import { groupLabel, memberInfos, roomOf } from '../members.js';
import type { ServerEvent } from '../protocol.js';
import type { OnlineMember } from '../session.js';
import type { OnlineContext } from './context.js';
import { historyLine } from './history.js';
import { success } from './membership.js';

type Back = { group: Group<OnlineMember>; seen: Return; upTo: number };

/** The group a kept membership names: the room by its name (opened again if it is gone), the direct conversation by its id. */
function groupOf(ctx: OnlineContext, kind: 'room' | 'direct', label: string, id: number): Group<OnlineMember> {
  const { hub, me } = ctx;
  if (kind === 'room') return hub.groups.room(label) ?? hub.keeper.openRoom(label, me);
  const [a = '', b = ''] = label.split('+');
  return hub.groups.get(id) ?? hub.groups.create({ kind: 'direct', id, seq: hub.history.lastSeq(id), pair: [a, b] });
}

/** The lines of one conversation said while the user was away: the newest `missedLines`, and how many came before them. */
function missed(ctx: OnlineContext, { group, seen, upTo }: Back): ServerEvent | null {
  const { hub, me } = ctx;
  const place: HistoryPlace = group.kind === 'room' ? { label: group.room! } : { group: group.id };
  const after = { group: seen.seenGroup, seq: seen.seenSeq };
  const before = { group: group.id, seq: upTo + 1 };
  const lines = hub.history.page(me.historyKey, place, { after, before, newest: true, limit: hub.limits.missedLines });
  if (lines.length === 0) return null;
  const older = Math.max(0, hub.history.said(me.historyKey, place, after, before) - lines.length);
  const title = groupLabel(group, me);
  const said = `${lines.length} line${lines.length === 1 ? '' : 's'} in ${title} while you were away`;
  const msg = older === 0 ? said : `${said} (and ${older} older: ? <word> searches them)`;
  return { action: 'missed', group: group.id, kind: group.kind, title, lines: lines.map(historyLine), older, msg };
}

// resume: back in my kept rooms and direct conversations, each answered as a connect success, then what I missed there
export function resume(ctx: OnlineContext): void {
  const { hub, me } = ctx;
  // A guest keeps nothing: answered at once, without touching the stores (every IRC login asks).
  const kept = registered(me) ? hub.keeper.of(me.historyKey) : [];
  if (kept.length === 0) return ctx.reply({ action: 'resume', groups: 0 });
  hub.flushLines();
  const back: Back[] = [];
  for (const k of kept) {
    const group = groupOf(ctx, k.kind, k.label, k.group);
    if (hub.groups.membership(group, me)) continue;
    const seen = hub.keeper.seen(me.historyKey, group);
    if (seen === null) continue;
    // Banned while away: no longer a member (the lock, a key and the limit do not keep a member out).
    if (isBanned(group, me)) {
      hub.keeper.ended(me, group);
      continue;
    }
    back.push({ group, seen, upTo: group.seq });
    hub.join(me, group);
  }
  // The memberships are committed before the pages read them.
  hub.flushLines();
  for (const { group } of back) {
    const members = memberInfos(group);
    for (const m of group.members) {
      if (m.member !== me) hub.push(m.member, { action: 'connect', status: 'request', from: me.name, front: me.front, group: group.id, ...roomOf(group), members, kind: group.kind });
    }
  }
  const last = back.at(-1);
  if (me.focus === null && last) hub.setFocus(me, last.group);
  let unavailable = false;
  for (const b of back) {
    ctx.reply(success(b.group, groupLabel(b.group), me));
    if (unavailable) continue;
    try {
      const event = missed(ctx, b);
      if (event) ctx.reply(event);
    } catch (err) {
      if (!(err instanceof HistoryUnavailable)) throw err;
      hub.log.error('history read failed', { user: me.name, err: err.message });
      unavailable = true;
    }
  }
  if (unavailable) ctx.fail('unavailable', 'what you missed cannot be read right now: the server cannot use its database; search later');
  ctx.reply({ action: 'resume', groups: back.length });
}
