/**
 * A group's modes (IRC's channel modes, held for every front): `mode` shows them, and an
 * operator's `mode` with changes makes them in order. Every member, the one who made them
 * too, hears the changes that took effect in one push; the answer lists what was refused.
 */
import { BANS_MAX, KEY_MAX, LIMIT_MAX, modeLetters } from '../group-rules.js';
import type { Group, GroupModes } from '../groups.js';
import { normalMask } from '../masks.js';
import { nameKey } from '../names.js';
import type { ClientAction, ErrorCode, ModeChange, ModeRefusal, ServerEvent } from '../protocol.js';
import type { OnlineMember } from '../session.js';
import type { GroupContext, HubState } from './context.js';

/** A change made, a change that changed nothing (left out of the push), or why it was refused. */
type Outcome = ModeChange | null | { code: ErrorCode; msg: string };

const FLAGS = { m: 'moderated', s: 'secret', t: 'topicLocked' } as const satisfies Record<string, keyof GroupModes>;

function label(group: Group<OnlineMember>): string {
  return group.room ?? `#group-${group.id}`;
}

/** A key as servers take it: printable, no spaces or commas, at most KEY_MAX characters. */
function keyProblem(key: string): string | null {
  if (key === '' || key.length > KEY_MAX || /[\s,:\p{Cc}]/u.test(key)) return `a key has 1-${KEY_MAX} characters, none of them a space, a comma or a colon`;
  return null;
}

function memberNamed(group: Group<OnlineMember>, name: string): OnlineMember | undefined {
  const key = nameKey(name.trim());
  return group.members.find((m) => m.member.key === key)?.member;
}

/** Makes one change (already known to come from an operator). */
function apply(hub: HubState, me: OnlineMember, group: Group<OnlineMember>, change: ModeChange): Outcome {
  const { mode, on, arg } = change;
  const { groups } = hub;
  switch (mode) {
    case 'i':
      if (group.locked === on) return null;
      groups.setLocked(group, on);
      return { mode, on };
    case 'n':
      return on ? null : { code: 'bad-request', msg: 'only members speak in a group: +n cannot be taken off' };
    case 'm':
    case 's':
    case 't':
      if (group.modes[FLAGS[mode]] === on) return null;
      groups.setModes(group, { [FLAGS[mode]]: on });
      return { mode, on };
    case 'k': {
      if (!on) {
        if (group.modes.key === null) return null;
        groups.setModes(group, { key: null });
        return { mode, on, arg: '*' };
      }
      const problem = keyProblem(arg ?? '');
      if (problem) return { code: 'bad-request', msg: problem };
      groups.setModes(group, { key: arg! });
      return { mode, on, arg: arg! };
    }
    case 'l': {
      if (!on) {
        if (group.modes.limit === null) return null;
        groups.setModes(group, { limit: null });
        return { mode, on };
      }
      const limit = /^\d{1,6}$/.test(arg ?? '') ? Number(arg) : 0;
      if (limit < 1 || limit > LIMIT_MAX) return { code: 'bad-request', msg: `a limit is a whole number from 1 to ${LIMIT_MAX}` };
      if (group.modes.limit === limit) return null;
      groups.setModes(group, { limit });
      return { mode, on, arg: String(limit) };
    }
    case 'o':
    case 'v': {
      const who = memberNamed(group, arg ?? '');
      if (!who) return { code: 'no-such-member', msg: `${(arg ?? '').slice(0, 40)} is not in ${label(group)}` };
      if (mode === 'o' && !on && who === group.owner) return { code: 'not-allowed', msg: `${who.name} owns ${label(group)} and stays its operator` };
      const role = mode === 'o' ? 'op' : 'voice';
      if (hub.groups.membership(group, who)![role] === on) return null;
      groups.setRole(group, who, role, on);
      return { mode, on, arg: who.name };
    }
    case 'b': {
      const mask = normalMask((arg ?? '').trim());
      if (!on) return groups.unban(group, mask) ? { mode, on, arg: mask } : null;
      if (group.bans.length >= BANS_MAX) return { code: 'bad-request', msg: `${label(group)} holds ${BANS_MAX} bans at most: lift one first` };
      return groups.ban(group, { mask, by: me.name, at: hub.clock.now().getTime() }) ? { mode, on, arg: mask } : null;
    }
  }
}

/** The answer: the group's modes as they are now (the key to its members, who alone ask), and what was refused. */
function shown(group: Group<OnlineMember>, refused: ModeRefusal[]): ServerEvent {
  const { key, limit } = group.modes;
  return {
    action: 'mode',
    status: 'shown',
    group: group.id,
    modes: modeLetters(group),
    ...(key !== null ? { key } : {}),
    ...(limit !== null ? { limit } : {}),
    created: new Date(group.created).toISOString(),
    ops: group.members.filter((m) => m.op).map((m) => m.member.name),
    voiced: group.members.filter((m) => m.voice).map((m) => m.member.name),
    bans: group.bans.map((b) => ({ mask: b.mask, by: b.by, ts: new Date(b.at).toISOString() })),
    refused,
  };
}

// mode [changes]: the group's modes; an operator's changes (i k l m n s t, o v for members, b for bans) in order
export function mode(ctx: GroupContext, { changes = [] }: Extract<ClientAction, { action: 'mode' }>): void {
  const { hub, me, group } = ctx;
  const refused: ModeRefusal[] = [];
  const made: ModeChange[] = [];
  const op = hub.groups.membership(group, me)!.op;
  for (const change of changes) {
    const outcome: Outcome = op ? apply(hub, me, group, change) : { code: 'not-allowed', msg: `only operators of ${label(group)} can change its modes` };
    if (outcome === null) continue;
    if ('code' in outcome) refused.push({ change, ...outcome });
    else made.push(outcome);
  }
  if (made.length > 0) {
    const event: ServerEvent = { action: 'mode', status: 'changed', group: group.id, by: me.name, changes: made };
    for (const m of group.members) hub.push(m.member, event);
  }
  ctx.reply(shown(group, refused));
}
