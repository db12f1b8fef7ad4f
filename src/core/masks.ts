/**
 * IRC-style masks (`nick!user@host` with `*` for any run of characters and `?` for exactly
 * one), as bans use them. Every other character stands for itself (`[` is no class), and
 * letters match without regard to ASCII case, the network's CASEMAPPING. A user's mask is the
 * one every front shows them by: `name!name@front`.
 */

/** How a user appears to masks: `name!name@front`. */
export function userMask(name: string, front: string): string {
  return `${name}!${name}@${front}`;
}

const lowerAscii = (text: string): string => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** Whether `subject` matches `mask` (`*` any run, `?` one character). */
export function maskMatches(mask: string, subject: string): boolean {
  const m = [...lowerAscii(mask)];
  const s = [...lowerAscii(subject)];
  // Greedy walk with one backtrack point: the last `*` seen and where the subject stood then.
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (j < s.length) {
    if (i < m.length && (m[i] === '?' || m[i] === s[j])) {
      i++;
      j++;
    } else if (i < m.length && m[i] === '*') {
      star = i++;
      resume = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++resume;
    } else return false;
  }
  while (i < m.length && m[i] === '*') i++;
  return i === m.length;
}

/**
 * A ban mask as servers store it: a bare nick becomes `nick!*@*`, `user@host` becomes
 * `*!user@host`, and missing parts become `*`.
 */
export function normalMask(text: string): string {
  const at = text.lastIndexOf('@');
  const bang = text.indexOf('!');
  if (bang < 0 && at < 0) return `${text || '*'}!*@*`;
  if (bang < 0) return `*!${text.slice(0, at) || '*'}@${text.slice(at + 1) || '*'}`;
  if (at < bang) return `${text.slice(0, bang) || '*'}!${text.slice(bang + 1) || '*'}@*`;
  return `${text.slice(0, bang) || '*'}!${text.slice(bang + 1, at) || '*'}@${text.slice(at + 1) || '*'}`;
}
