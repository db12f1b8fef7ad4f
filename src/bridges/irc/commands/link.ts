/** Connection and registration commands: CAP, NICK, USER, PASS, AUTHENTICATE, PING, PONG, QUIT. */
import { nameKey, nameProblem } from '../../../core/names.js';
import type { IrcMessage } from '../message.js';
import { ERR } from '../numerics.js';
import type { IrcSession } from '../session.js';
import { CAPABILITIES, sendWelcome } from '../welcome.js';
import * as auth from './auth.js';

const OFFERED: ReadonlySet<string> = new Set(CAPABILITIES);

/** What a client hears when its nick is registered and it did not prove it holds it. */
const OWNED_HINT = 'connect with its password (PASS or SASL), or choose another nick';

/**
 * Registers once NICK and USER are in, any CAP negotiation has ended and any password is
 * checked. A connection that proved an account logs in under the account's name.
 */
function tryRegister(s: IrcSession): void {
  if (s.registered || s.nick === null || s.username === null || s.capNegotiating || s.authenticating) return;
  if (s.password !== null && s.account === null) return auth.passLogin(s, () => tryRegister(s));
  // Proven through SASL, the PASS is not needed: it is not kept either.
  s.password = null;
  const nick = s.nick;
  s.ask({ action: 'login', name: nick, features: ['events'] }, (event) => {
    if (event.action !== 'login') return;
    if (event.status === 'ok') {
      if (event.name !== undefined) s.nick = event.name;
      s.registered = true;
      return sendWelcome(s);
    }
    s.nick = null;
    if (event.status === 'duplicate') {
      const why = event.credential === 'password' ? `${event.msg}: ${OWNED_HINT}` : (event.msg ?? 'by another user');
      s.out.numeric(ERR.NICKNAMEINUSE, nick, `Nickname is already in use (${why})`);
    } else s.out.numeric(ERR.ERRONEUSNICKNAME, nick, `Erroneous nickname: ${event.msg}`);
  });
}

// CAP LS [302] | CAP LIST | CAP REQ :caps | CAP END
export function cap(s: IrcSession, m: IrcMessage): void {
  const sub = m.params[0]!.toUpperCase();
  const me = s.registered ? s.nick! : '*';
  const reply = (...params: string[]): void => s.out.send({ source: s.serverName, verb: 'CAP', params: [me, ...params] });
  switch (sub) {
    case 'LS':
      if (!s.registered) s.capNegotiating = true;
      // CAP 302 clients learn the SASL mechanisms from the value.
      return reply('LS', CAPABILITIES.map((c) => (c === 'sasl' && m.params[1] === '302' ? 'sasl=PLAIN' : c)).join(' '));
    case 'LIST':
      return reply('LIST', [...s.caps].join(' '));
    case 'REQ': {
      if (!s.registered) s.capNegotiating = true;
      const wanted = (m.params[1] ?? '').split(' ').filter((c) => c !== '');
      const known = wanted.every((c) => OFFERED.has(c.replace(/^-/, '')));
      if (!known || wanted.length === 0) return reply('NAK', m.params[1] ?? '');
      for (const c of wanted) {
        if (c.startsWith('-')) s.caps.delete(c.slice(1));
        else s.caps.add(c);
      }
      return reply('ACK', wanted.join(' '));
    }
    case 'END':
      s.capNegotiating = false;
      return tryRegister(s);
    default:
      s.out.numeric(ERR.INVALIDCAPCMD, sub.slice(0, 32), 'Invalid CAP command');
  }
}

// NICK <nick>: before registration, the name to log in with; after, a new name (outside a channel)
export function nick(s: IrcSession, m: IrcMessage): void {
  const wanted = (m.params[0] ?? '').normalize('NFC');
  if (wanted === '') return s.out.numeric(ERR.NONICKNAMEGIVEN, 'No nickname given');
  const problem = nameProblem(wanted);
  if (problem) return s.out.numeric(ERR.ERRONEUSNICKNAME, wanted.slice(0, 40), `Erroneous nickname: ${problem}`);
  if (!s.registered) {
    s.nick = wanted;
    return tryRegister(s);
  }
  const old = s.nick!;
  if (wanted === old) return;
  if (s.account !== null) return s.out.numeric(ERR.NICKLOCKED, `You are logged in to the account ${s.account}: your nick is its name`);
  if (s.mirror.view) {
    return s.out.numeric(ERR.NONICKCHANGE, `Cannot change nickname while in ${s.mirror.view.name}: your nick is your chat name; leave the channel first`);
  }
  const reply = s.relogin(wanted);
  if (reply?.action !== 'login' || reply.status !== 'ok') {
    return s.out.numeric(ERR.NICKNAMEINUSE, wanted, `Nickname is already in use${reply?.action === 'login' && reply.msg ? ` (${reply.msg})` : ''}`);
  }
  const away = s.shared.away.get(nameKey(old));
  s.shared.away.delete(nameKey(old));
  s.out.send({ source: s.mask, verb: 'NICK', params: [wanted] });
  s.nick = wanted;
  if (away !== undefined) s.shared.away.set(nameKey(wanted), away);
}

// USER <username> <mode> <unused> :<realname>
export function user(s: IrcSession, m: IrcMessage): void {
  if (s.registered) return s.out.numeric(ERR.ALREADYREGISTERED, 'You may not reregister');
  const [username, , , realname] = m.params as [string, string, string, string];
  if (username === '' || realname === '') return s.out.numeric(ERR.NEEDMOREPARAMS, 'USER', 'Not enough parameters');
  s.username = username;
  tryRegister(s);
}

// PASS <password>: the password of the nick's account, checked when registration completes
export function pass(s: IrcSession, m: IrcMessage): void {
  if (s.registered) return s.out.numeric(ERR.ALREADYREGISTERED, 'You may not reregister');
  s.password = m.params[0]!;
}

// AUTHENTICATE <mechanism> | <data> | * (SASL PLAIN, after CAP REQ :sasl)
export function authenticate(s: IrcSession, m: IrcMessage): void {
  auth.authenticate(s, m, () => tryRegister(s));
}

// PING <token>: PONG, after everything earlier commands caused
export function ping(s: IrcSession, m: IrcMessage): void {
  s.out.send({ source: s.serverName, verb: 'PONG', params: [s.serverName, m.params[0]!] });
}

// PONG: any input proves the client alive (the connection tracks that)
export function pong(): void {}

// QUIT [:reason]
export function quit(s: IrcSession, m: IrcMessage): void {
  const reason = m.params[0] ? `Quit: ${m.params[0]}` : 'Quit';
  s.quit(`Closing Link: ${s.nick ?? '*'} (${reason})`);
}
