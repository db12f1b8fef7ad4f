/**
 * The rule every new password meets, with no I/O, so clients (the page, the terminal client)
 * can check a password before sending it and the hub checks it again.
 */

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** Why a new password is unacceptable, or null when it is fine. Never quotes the password. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `a password has at least ${PASSWORD_MIN} characters`;
  if (length > PASSWORD_MAX) return `a password has at most ${PASSWORD_MAX} characters`;
  if (/\p{Cc}/u.test(password)) return 'a password may not hold control characters';
  // Leading and trailing spaces are lost by some fronts (an IRC parameter, a trimmed form field).
  if (password.trim() !== password) return 'a password may not start or end with a space';
  return null;
}
