/** Connection and registration commands: NICK, USER, PASS, PING, PONG, QUIT, SETNAME (CAP is in cap.ts, AUTHENTICATE in auth.ts). */
import { nameProblem } from '../../../core/names.js';
import type { IrcClient } from '../client.js';
import type { IrcMessage } from '../message.js';
import { ERR } from '../numerics.js';
import { plainText } from '../text.js';
import { tellCommon } from '../notify.js';
import { sendWelcome } from '../welcome.js';
import * as auth from './auth.js';
import { resume } from './history.js';

/** What a client hears when its nick is registered and it did not prove it holds it. */
const OWNED_HINT = 'connect with its password (PASS or SASL), or choose another nick';

/**
 * Registers once NICK and USER are in, any CAP negotiation has ended and any password is
 * checked. A connection that proved an account logs in under the account's name.
 */
export async function tryRegister(s: IrcClient): Promise<void> {
  if (s.registered || s.nick === null || s.username === null || s.capNegotiating) return;
  if (s.password !== null && s.account === null) return auth.passLogin(s, () => tryRegister(s));
  // Proven through SASL, the PASS is not needed: it is not kept either.
  s.password = null;
  const nick = s.nick;
  const event = (await s.ask({ action: 'login', name: nick })).find((e) => e.action === 'login');
  if (!event) return;
  if (event.status === 'ok') {
    if (event.name !== undefined) s.nick = event.name;
    s.registered = true;
    s.welcomed();
    await sendWelcome(s);
    return resume(s);
  }
  s.nick = null;
  if (event.status === 'duplicate') {
    const why = event.credential === 'password' ? `${event.msg}: ${OWNED_HINT}` : (event.msg ?? 'by another user');
    s.out.numeric(ERR.NICKNAMEINUSE, nick, `Nickname is already in use (${why})`);
  } else s.out.numeric(ERR.ERRONEUSNICKNAME, nick, `Erroneous nickname: ${event.msg}`);
}

// NICK <nick>: before registration, the name to log in with; after, a new name on every front
export async function nick(s: IrcClient, m: IrcMessage): Promise<void> {
  const wanted = (m.params[0] ?? '').normalize('NFC');
  if (wanted === '') return s.out.numeric(ERR.NONICKNAMEGIVEN, 'No nickname given');
  const problem = nameProblem(wanted);
  if (problem) return s.out.numeric(ERR.ERRONEUSNICKNAME, wanted.slice(0, 40), `Erroneous nickname: ${problem}`);
  if (!s.registered) {
    s.nick = wanted;
    return tryRegister(s);
  }
  if (wanted === s.nick) return;
  for (const event of await s.ask({ action: 'rename', name: wanted })) {
    if (event.action !== 'rename' || !('status' in event)) continue;
    if (event.status === 'ok') s.renamed(event.name);
    else if (event.status === 'refused') s.out.numeric(ERR.NICKLOCKED, `You must use a nick assigned to you (${event.msg ?? 'your account names you'})`);
    else if (event.status === 'invalid') s.out.numeric(ERR.ERRONEUSNICKNAME, wanted, `Erroneous nickname: ${event.msg ?? ''}`);
    else s.out.numeric(ERR.NICKNAMEINUSE, wanted, `Nickname is already in use (${event.credential === 'password' ? `${event.msg}: ${OWNED_HINT}` : event.msg})`);
  }
}

// USER <username> <mode> <unused> :<realname>: kept as given (the username shown as ~user until an account is proved)
export function user(s: IrcClient, m: IrcMessage): void | Promise<void> {
  if (s.registered) return s.out.numeric(ERR.ALREADYREGISTERED, 'You may not reregister');
  const [username, , , realname] = m.params as [string, string, string, string];
  if (username === '' || realname === '') return s.out.numeric(ERR.NEEDMOREPARAMS, 'USER', 'Not enough parameters');
  s.username = username;
  s.realname = realname;
  return tryRegister(s);
}

// PASS <password>: the password of the nick's account, checked when registration completes
export function pass(s: IrcClient, m: IrcMessage): void {
  if (s.registered) return s.out.numeric(ERR.ALREADYREGISTERED, 'You may not reregister');
  s.password = m.params[0]!;
}

// PING <token>: PONG, after everything earlier commands caused
export function ping(s: IrcClient, m: IrcMessage): void {
  s.out.send({ source: s.serverName, verb: 'PONG', params: [s.serverName, m.params[0]!] });
}

// PONG: any input proves the client alive (the connection tracks that)
export function pong(): void {}

// QUIT [:reason]: the user's channels see `Quit: reason`; the client gets ERROR and the connection closes
export function quit(s: IrcClient, m: IrcMessage): void {
  const reason = m.params[0] ? `Quit: ${plainText(m.params[0])}` : 'Quit';
  s.quit(`Closing Link: ${s.nick ?? '*'} (${reason})`, reason);
}

// SETNAME :<realname>: a new realname, told to the user and to those sharing a channel with it that took `setname`
export function setname(s: IrcClient, m: IrcMessage): void {
  const realname = m.params[0]!;
  if (realname.trim() === '') return s.out.send({ source: s.serverName, verb: 'FAIL', params: ['SETNAME', 'INVALID_REALNAME', 'Realname is not valid'] });
  s.ident!.realname = realname;
  tellCommon(s, 'setname', { source: s.mask, verb: 'SETNAME', params: [realname] });
}
