/**
 * What a group's modes mean for its members and for those who would join it, the same on every
 * front: who may join (invite-only, key, limit, bans), who may speak (moderated, banned), who is
 * an operator, and how the modes read as IRC letters.
 */
import type { Group, Membership } from './groups.js';
import { maskMatches, userMask } from './masks.js';
import type { JoinRefusal } from './protocol.js';

/** The longest key (`+k`), the most bans a group keeps (`+b`), the largest member limit (`+l`). */
export const KEY_MAX = 23;
export const BANS_MAX = 50;
export const LIMIT_MAX = 100_000;

/** Who a rule is about: a name and the front it shows as. */
interface Someone {
  readonly name: string;
  readonly front: string;
  readonly key: string;
}

/** Whether a ban of the group matches the user. */
export function isBanned(group: Group<unknown>, user: Someone): boolean {
  if (group.bans.length === 0) return false;
  const mask = userMask(user.name, user.front);
  return group.bans.some((b) => maskMatches(b.mask, mask));
}

/**
 * Why `connect` may not add the user to the group, or null when it may. A direct conversation
 * is never joined; an invitation lets its holder past the lock (`+i`), never past a ban, a key
 * or the limit.
 */
export function joinRefusal(group: Group<unknown>, user: Someone, key: string | undefined): JoinRefusal | null {
  if (group.kind === 'direct') return 'invite-only';
  if (isBanned(group, user)) return 'banned';
  if (group.locked && !group.invited.has(user.key)) return 'invite-only';
  if (group.modes.key !== null && key !== group.modes.key) return 'key';
  if (group.modes.limit !== null && group.members.length >= group.modes.limit) return 'full';
  return null;
}

const labelOf = (group: Group<unknown>): string => group.room ?? `#group-${group.id}`;

/** Why the member may not speak in the group, or null when they may (operators always may). */
export function silenced(group: Group<unknown>, membership: Membership<Someone>): string | null {
  // On every line said: nothing is built unless the line is refused.
  if (membership.op) return null;
  if (isBanned(group, membership.member)) return `you are banned from ${labelOf(group)}, so you cannot speak there`;
  if (group.modes.moderated && !membership.voice) return `${labelOf(group)} is moderated: only its operators and voiced members speak`;
  return null;
}

/** The group's modes as IRC letters, alphabetical: `+n` always, `i` for the lock, `k`, `l`, `m`, `s`, `t`. */
export function modeLetters(group: Group<unknown>): string {
  const { modes } = group;
  const on: [boolean, string][] = [
    [group.locked, 'i'],
    [modes.key !== null, 'k'],
    [modes.limit !== null, 'l'],
    [modes.moderated, 'm'],
    [true, 'n'],
    [modes.secret, 's'],
    [modes.topicLocked, 't'],
  ];
  return '+' + on.flatMap(([set, letter]) => (set ? [letter] : [])).join('');
}
