/** Chat actions: a line to a group (plain or flipped), a direct line to one person, and editing or deleting one's own line. */
import type { Account } from '../accounts.js';
import { spokenLine } from '../classic.js';
import { silenced } from '../group-rules.js';
import type { Group } from '../groups.js';
import { groupLabel } from '../members.js';
import { nameKey } from '../names.js';
import type { ClientAction, ServerEvent } from '../protocol.js';
import type { OnlineMember } from '../session.js';
import { chatText } from '../text.js';
import type { GroupContext, HubState, OnlineContext } from './context.js';

type LineEvent = Extract<ServerEvent, { action: 'exchange' }>;

/**
 * Stores a chat line (made safe for every front: core/text.ts) and queues it for the rest of the
 * group; the stored line, or null when it was refused (too long: the sender is told).
 */
function say(ctx: Pick<OnlineContext, 'hub' | 'me' | 'fail' | 'label'>, group: Group<OnlineMember>, said: string, flip: boolean, tags?: Record<string, string>): LineEvent | null {
  const { hub, me } = ctx;
  const muted = silenced(group, hub.groups.membership(group, me)!);
  if (muted) {
    // Names its group, so a front shows the refusal where the line was typed.
    hub.reply(me, { action: 'error', code: 'not-allowed', msg: muted, for: flip ? 'flip' : 'exchange', group: group.id }, ctx.label);
    return null;
  }
  const text = chatText(said);
  if (text.length > hub.limits.maxLineChars) {
    ctx.fail('too-large', `a chat line has at most ${hub.limits.maxLineChars} characters; yours was not sent`);
    return null;
  }
  const ts = hub.clock.now();
  const line = hub.history.record({ group: group.id, sender: me.name, senderKey: me.historyKey, text, ts: ts.getTime(), seq: hub.groups.nextSeq(group) });
  hub.groups.caughtUp(group, me);
  // built key by key, not by spreads: one shape for every line, on the hottest path there is
  const event: LineEvent = { action: 'exchange', from: `[${me.name}]`, message: text, name: me.name, front: me.front, id: line.id, group: group.id, seq: line.seq, ts: ts.toISOString() };
  if (flip) event.flip = true;
  if (group.kind === 'direct') event.direct = true;
  if (me.account !== null || me.identity !== null) event.account = me.name;
  if (tags !== undefined) event.tags = tags;
  hub.queueLine(me, line, event);
  return event;
}

/** A session with `acks` is told its line's id (a labelled request only: the answer names it). */
function ack(ctx: GroupContext, line: LineEvent | null): void {
  if (line && ctx.label !== undefined && ctx.me.features.has('acks')) ctx.reply({ action: 'said', group: line.group, id: line.id, seq: line.seq });
}

// exchange <message>: a chat line to the group (`_flip_ ...` reverses the words)
export function exchange(ctx: GroupContext, { message, tags }: Extract<ClientAction, { action: 'exchange' }>): void {
  const { text, flipped } = spokenLine('exchange', message);
  ack(ctx, say(ctx, ctx.group, text, flipped, tags));
}

// signal <tags>: tags without a line (a typing notice) to the group's members that take signals (the sender too, with echo); never stored
export function signal(ctx: GroupContext, { tags }: Extract<ClientAction, { action: 'signal' }>): void {
  const { hub, me, group } = ctx;
  const event: ServerEvent = { action: 'signal', name: me.name, front: me.front, group: group.id, tags };
  for (const m of group.members) {
    const to = m.member;
    if (to.features.has('signals') && (to !== me || to.features.has('echo'))) hub.push(to, event);
  }
}

// flip <message>: a chat line with its words reversed
export function flip(ctx: GroupContext, { message }: Extract<ClientAction, { action: 'flip' }>): void {
  ack(ctx, say(ctx, ctx.group, spokenLine('flip', message).text, true));
}

/**
 * Changes one of the sender's lines in the group (`text` null: deletes it), stored before anyone
 * hears of it, and tells the members who saw the line (not those who joined after it).
 */
function revise(ctx: GroupContext, id: number, text: string | null): void {
  const { hub, me, group } = ctx;
  // The line may still wait in the queue: committed first, so it is found.
  hub.flushLines();
  const line = hub.history.line(id);
  if (!line || line.group !== group.id || line.senderKey !== me.historyKey) return ctx.fail('not-allowed', `line ${id} is not one of yours in this group`);
  if (text !== null && text.length > hub.limits.maxLineChars) return ctx.fail('too-large', `a chat line has at most ${hub.limits.maxLineChars} characters; it was not changed`);
  hub.history.revise(id, text);
  hub.flushLines();
  const event: ServerEvent =
    text === null
      ? { action: 'edit', from: `[${me.name}]`, message: '(deleted a line)', name: me.name, front: me.front, id, group: group.id, text: '', deleted: true }
      : { action: 'edit', from: `[${me.name}]`, message: `(edit) ${text}`, name: me.name, front: me.front, id, group: group.id, text };
  for (const m of group.members) if (m.member !== me && m.afterSeq < line.seq) hub.push(m.member, event);
}

// edit <id> <message>: the sender corrects one of their lines
export function edit(ctx: GroupContext, { id, message }: Extract<ClientAction, { action: 'edit' }>): void {
  revise(ctx, id, chatText(message));
}

// delete <id>: the sender takes one of their lines back
export function unsay(ctx: GroupContext, { id }: Extract<ClientAction, { action: 'delete' }>): void {
  revise(ctx, id, null);
}

/**
 * The direct conversation of two people: the one in memory, or the pair's stored id (created
 * once per pair of history keys) brought back with its numbering; both are made members.
 */
function conversation(hub: HubState, me: OnlineMember, peer: OnlineMember): Group<OnlineMember> {
  const pair: [string, string] = [me.name, peer.name];
  const fresh = hub.groups.nextId();
  const id = hub.history.directGroup(me.historyKey, peer.historyKey, fresh, pair.join('+'));
  const group = hub.groups.get(id) ?? hub.groups.create({ kind: 'direct', id, seq: hub.history.lastSeq(id), pair });
  hub.join(me, group);
  hub.join(peer, group);
  return group;
}

/**
 * The direct conversation with a registered user who is offline: the sender is a member, and the
 * other one is too from this line on, kept for when they return (core/keeper.ts).
 */
function absentConversation(hub: HubState, me: OnlineMember, peer: Account): Group<OnlineMember> {
  const pair: [string, string] = [me.name, peer.name];
  const id = hub.history.directGroup(me.historyKey, peer.historyKey, hub.groups.nextId(), pair.join('+'));
  const group = hub.groups.get(id) ?? hub.groups.create({ kind: 'direct', id, seq: hub.history.lastSeq(id), pair });
  hub.join(me, group);
  hub.keeper.absent(peer.historyKey, group);
  return group;
}

// direct <name> <message>: a private line to one person, online or registered, in the pair's own conversation
export function direct(ctx: OnlineContext, { target, message }: Extract<ClientAction, { action: 'direct' }>): void {
  const { hub, me } = ctx;
  const wanted = target.trim();
  if (nameKey(wanted) === me.key) return ctx.fail('bad-request', 'you cannot send a direct message to yourself');
  const peer = hub.presence.get(wanted);
  const account = peer ? null : hub.accounts.accountOf(nameKey(wanted));
  if (!peer && !account) return ctx.fail('no-user', `${wanted.slice(0, 40)} is not online`);
  const group = peer ? conversation(hub, me, peer) : absentConversation(hub, me, account!);
  const line = say(ctx, group, message, false);
  if (line) ctx.reply({ action: 'direct', status: 'sent', target: peer?.name ?? account!.name, group: group.id, id: line.id, seq: line.seq, ts: line.ts, title: groupLabel(group, me), ...(peer && peer.away !== null ? { away: peer.away } : {}) });
}
