/**
 * Why the bot could not connect, as one log line that says what to do about it. The three
 * failures an operator can fix (a bad token, the Message Content intent switched off,
 * no route to Discord) are told apart; anything else is reported as it came.
 */

export type FailureKind = 'token' | 'intents' | 'unreachable' | 'other';

export interface Failure {
  kind: FailureKind;
  line: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

const TOKEN_FIX = 'Discord refused the bot token (DISCORD_TOKEN): copy a fresh one from the Developer Portal (your application -> Bot -> Reset Token) into .env';
const INTENTS_FIX =
  'Discord refused the Message Content intent (close code 4014): switch on "Message Content Intent" (and "Presence Intent" when DISCORD_PRESENCE is on) in the Developer Portal (your application -> Bot -> Privileged Gateway Intents)';

/** The error's code, or one of its causes' (fetch hides the socket error in `cause`). */
function networkCode(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR'))) return code;
  }
  return null;
}

/** Explains a failed login. `api` is the REST base the bot tried. */
export function explainLoginFailure(err: unknown, api: string): Failure {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'TokenInvalid' || /authentication failed/i.test(message)) return { kind: 'token', line: TOKEN_FIX };
  if (/disallowed intents/i.test(message)) return { kind: 'intents', line: INTENTS_FIX };
  const network = networkCode(err);
  if (network || /fetch failed|other side closed|timed out|aborted/i.test(message)) {
    return { kind: 'unreachable', line: `cannot reach Discord at ${api} (${network ?? message}): check this machine's network access to Discord` };
  }
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 500) return { kind: 'unreachable', line: `Discord is having trouble (HTTP ${status} from ${api}); it usually passes` };
  return { kind: 'other', line: `cannot log in to Discord: ${message}` };
}

/** Explains a gateway close after which discord.js gives up. */
export function explainClose(code: number): Failure {
  if (code === 4004) return { kind: 'token', line: TOKEN_FIX };
  if (code === 4014) return { kind: 'intents', line: INTENTS_FIX };
  return { kind: 'other', line: `the Discord gateway closed the connection for good (close code ${code})` };
}
