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

/**
 * A name under the rule for a handle from elsewhere (a Discord username, an IRC nick):
 * characters the rule does not allow become `_` (`john.doe` -> `john_doe`), a name that does
 * not start with a letter gets one, and the result is cut to fit `room` characters.
 */
export function deriveName(handle: string, room: number = NAME_MAX): string {
  let name = handle
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}_-]/gu, '_')
    .replace(/_{2,}/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '');
  if (name === '') name = 'user';
  else if (!/^\p{L}/u.test(name)) name = `u${name}`;
  return [...name].slice(0, room).join('');
}

/** The candidates for a derived name, in order: `peter`, `peter2`, `peter3`, ... each within the rule's length. */
export function* nameCandidates(base: string, tries = 1000): Generator<string> {
  yield base;
  for (let n = 2; n <= tries; n++) {
    const suffix = String(n);
    yield [...base].slice(0, NAME_MAX - suffix.length).join('') + suffix;
  }
}
