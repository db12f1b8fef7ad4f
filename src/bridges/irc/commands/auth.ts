/**
 * Logging in to a registered name from IRC: PASS (the nick's password, checked when
 * registration completes) and SASL PLAIN (CAP sasl, AUTHENTICATE, 900/903/904-908). Passwords
 * are checked by the hub off the event loop; registration waits for the answer. A wrong PASS
 * ends the connection (464), as servers that require a password do; a failed SASL exchange
 * (904) leaves the client free to go on as a guest under another nick.
 */
import type { AuthResult } from '../../../core/session.js';
import type { IrcClient } from '../client.js';
import type { IrcMessage } from '../message.js';
import { ERR, RPL } from '../numerics.js';

/** SASL data comes in chunks of 400 base64 characters; a PLAIN payload needs far fewer than this. */
const SASL_MAX = 1200;
const CHUNK = 400;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Checks a password; null when the connection closed meanwhile or the check itself failed (which ends it). */
async function check(s: IrcClient, name: string, password: string): Promise<AuthResult | null> {
  try {
    const result = await s.authenticate(name, password);
    return s.closed ? null : result;
  } catch (err) {
    s.shared.log.error('irc: a password check failed', { err: String(err) });
    s.quit('Closing Link: the server could not check your password');
    return null;
  }
}

/**
 * PASS given: checks it against the nick's account, then `register` completes the login. A nick
 * nobody registered needs no password, so the client goes on as a guest (and is told).
 */
export async function passLogin(s: IrcClient, register: () => Promise<void>): Promise<void> {
  const nick = s.nick!;
  const password = s.password!;
  s.password = null;
  const result = await check(s, nick, password);
  if (!result) return;
  if (result.ok) s.loggedIn(result.name);
  else if (result.status === 'unknown') s.out.serverNotice(`Your PASS was not needed: ${result.msg}.`);
  else {
    s.out.numeric(ERR.PASSWDMISMATCH, result.status === 'limited' ? `Password incorrect: ${result.msg}` : 'Password incorrect');
    return s.quit(`Closing Link: ${nick} (${result.msg})`);
  }
  await register();
}

/** Splits a SASL PLAIN payload: `authzid NUL authcid NUL password`; null when malformed. */
function plain(base64: string): { account: string; password: string } | null {
  if (!BASE64.test(base64)) return null;
  const parts = Buffer.from(base64, 'base64').toString('utf8').split('\0');
  if (parts.length !== 3) return null;
  const [authzid, authcid, password] = parts as [string, string, string];
  // Acting as another account than the one proved is not offered.
  if (authcid === '' || (authzid !== '' && authzid.toLowerCase() !== authcid.toLowerCase())) return null;
  return { account: authcid, password };
}

function fail(s: IrcClient, why?: string): void {
  // A client whose SASL failed gets no second check of the same password through PASS.
  s.password = null;
  s.out.numeric(ERR.SASLFAIL, why ? `SASL authentication failed: ${why}` : 'SASL authentication failed');
}

// AUTHENTICATE <mechanism> | <base64 chunk> | + | *: SASL PLAIN, before registration
export async function authenticate(s: IrcClient, m: IrcMessage): Promise<void> {
  const arg = m.params[0]!;
  if (s.registered || s.account !== null) return s.out.numeric(ERR.SASLALREADY, 'You have already authenticated, or registered without it');
  if (!s.caps.has('sasl')) return fail(s, 'request the sasl capability first (CAP REQ :sasl)');
  if (arg === '*') {
    s.sasl = null;
    return s.out.numeric(ERR.SASLABORTED, 'SASL authentication aborted');
  }
  if (s.sasl === null) {
    if (arg.toUpperCase() !== 'PLAIN') {
      s.out.numeric(RPL.SASLMECHS, 'PLAIN', 'are available SASL mechanisms');
      return fail(s);
    }
    s.sasl = '';
    // Written as is: some clients look for the bare `+`, not the equivalent `:+`.
    return s.out.raw('AUTHENTICATE +\r\n');
  }
  if (arg !== '+') s.sasl += arg;
  if (s.sasl.length > SASL_MAX) {
    s.sasl = null;
    return s.out.numeric(ERR.SASLTOOLONG, 'SASL message too long');
  }
  if (arg.length === CHUNK) return;
  const credentials = plain(s.sasl);
  s.sasl = null;
  if (!credentials) return fail(s, 'send authzid, authcid and password separated by NUL, in base64');
  const result = await check(s, credentials.account, credentials.password);
  if (!result) return;
  if (!result.ok) return fail(s, result.msg);
  s.loggedIn(result.name);
  // Registration follows at CAP END, which the client's later lines wait behind this check to reach.
  s.out.numeric(RPL.SASLSUCCESS, 'SASL authentication successful');
}
