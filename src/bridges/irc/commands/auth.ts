/**
 * Logging in to a registered name from IRC: PASS (the nick's password, checked when
 * registration completes) and SASL PLAIN (CAP sasl, AUTHENTICATE, 900/903/904-908). Passwords
 * are checked by the hub off the event loop; registration waits for the answer. A wrong PASS
 * ends the connection (464), as servers that require a password do; a failed SASL exchange
 * (904) leaves the client free to go on as a guest under another nick.
 */
import type { AuthResult } from '../../../core/session.js';
import type { IrcMessage } from '../message.js';
import { ERR, RPL } from '../numerics.js';
import type { IrcSession } from '../session.js';

/** SASL data comes in chunks of 400 base64 characters; a PLAIN payload needs far fewer than this. */
const SASL_MAX = 1200;
const CHUNK = 400;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Checks a password, then carries on; a failure of the check itself ends the connection. */
function check(s: IrcSession, name: string, password: string, then: (result: AuthResult) => void): void {
  s.authenticating = true;
  s.authenticate(name, password)
    .then((result) => {
      s.authenticating = false;
      if (!s.closed) then(result);
    })
    .catch((err: unknown) => {
      s.authenticating = false;
      s.shared.log.error('irc: a password check failed', { err: String(err) });
      s.quit('Closing Link: the server could not check your password');
    });
}

/**
 * PASS given: checks it against the nick's account, then `register` completes the login. A nick
 * nobody registered needs no password, so the client goes on as a guest (and is told).
 */
export function passLogin(s: IrcSession, register: () => void): void {
  const nick = s.nick!;
  const password = s.password!;
  s.password = null;
  check(s, nick, password, (result) => {
    if (result.ok) s.loggedIn(result.name);
    else if (result.status === 'unknown') s.out.serverNotice(`Your PASS was not needed: ${result.msg}.`);
    else {
      s.out.numeric(ERR.PASSWDMISMATCH, result.status === 'limited' ? `Password incorrect: ${result.msg}` : 'Password incorrect');
      return s.quit(`Closing Link: ${nick} (${result.msg})`);
    }
    register();
  });
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

function fail(s: IrcSession, why?: string): void {
  // A client whose SASL failed gets no second check of the same password through PASS.
  s.password = null;
  s.out.numeric(ERR.SASLFAIL, why ? `SASL authentication failed: ${why}` : 'SASL authentication failed');
}

// AUTHENTICATE <mechanism> | <base64 chunk> | + | *: SASL PLAIN, before registration
export function authenticate(s: IrcSession, m: IrcMessage, register: () => void): void {
  const arg = m.params[0]!;
  if (s.registered || s.account !== null) return s.out.numeric(ERR.SASLALREADY, 'You have already authenticated, or registered without it');
  if (!s.caps.has('sasl')) return fail(s, 'request the sasl capability first (CAP REQ :sasl)');
  if (s.authenticating) return fail(s, 'your credentials are still being checked');
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
  check(s, credentials.account, credentials.password, (result) => {
    if (!result.ok) return fail(s, result.msg);
    s.loggedIn(result.name);
    s.out.numeric(RPL.SASLSUCCESS, 'SASL authentication successful');
    // A client that ended CAP negotiation before the answer came is registered now.
    register();
  });
}
