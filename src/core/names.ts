/**
 * The one name rule every front honours (chat names, IRC nicks, Discord-derived names):
 * 1-24 characters, a letter first, then letters, digits, `_` or `-`.
 */

export const NAME_MAX = 24;

const NAME_RE = /^\p{L}[\p{L}\p{N}_-]*$/u;

/** Why a name is unacceptable, or null when it is fine. */
export function nameProblem(raw: string): string | null {
  const name = raw.normalize('NFC');
  const length = [...name].length;
  if (length === 0) return 'a name needs at least one character';
  if (length > NAME_MAX) return `a name has at most ${NAME_MAX} characters`;
  if (!NAME_RE.test(name)) return 'a name starts with a letter and holds only letters, digits, _ and -';
  return null;
}

/** The form under which names are compared: names differing only in case are the same user. */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}
