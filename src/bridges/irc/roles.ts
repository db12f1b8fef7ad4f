/**
 * Channel roles and modes as IRC writes them: `@` for an operator and `+` for a voiced member
 * (ISUPPORT `PREFIX=(ov)@+`; both, highest first, for clients with `multi-prefix`), and a list of
 * mode changes as one MODE's parameters (`+ov-k bob bob *`).
 */
import type { ModeChange } from '../../core/protocol.js';

/** Who holds a role in one channel, by name. */
export interface Roles {
  ops: Set<string>;
  voiced: Set<string>;
}

/** A group's roles as events describe them: its owner and `ops` are operators, `voiced` are voiced. */
export function rolesOf(group: { owner?: string | undefined; ops?: readonly string[] | undefined; voiced?: readonly string[] | undefined }): Roles {
  const ops = new Set(group.ops ?? []);
  if (group.owner !== undefined) ops.add(group.owner);
  return { ops, voiced: new Set(group.voiced ?? []) };
}

/** The prefix a member's name carries in NAMES and WHO: the highest role's, or every role's with `multi-prefix`. */
export function prefixOf(roles: Roles, name: string, multi: boolean): string {
  const op = roles.ops.has(name) ? '@' : '';
  const voice = roles.voiced.has(name) ? '+' : '';
  return multi ? op + voice : op || voice;
}

/** Mode changes as the parameters of one MODE line: the letters with their signs, then their arguments in order. */
export function modeParams(changes: readonly ModeChange[]): string[] {
  let letters = '';
  let sign = '';
  const args: string[] = [];
  for (const c of changes) {
    const wanted = c.on ? '+' : '-';
    if (wanted !== sign) letters += sign = wanted;
    letters += c.mode;
    if (c.arg !== undefined) args.push(c.arg);
  }
  return [letters, ...args];
}
