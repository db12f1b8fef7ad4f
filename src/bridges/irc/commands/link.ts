/** Connection and registration commands: CAP, NICK, USER, PASS, PING, PONG, QUIT. */
import { nameKey, nameProblem } from '../../../core/names.js';
import type { IrcMessage } from '../message.js';
import { ERR } from '../numerics.js';
import type { IrcSession } from '../session.js';
import { CAPABILITIES, sendWelcome } from '../welcome.js';

const OFFERED: ReadonlySet<string> = new Set(CAPABILITIES);

/** Registers once NICK and USER are in and any CAP negotiation has ended. */
function tryRegister(s: IrcSession): void {
  if (s.registered || s.nick === null || s.username === null || s.capNegotiating) return;
  const nick = s.nick;
  s.ask({ action: 'login', name: nick, features: ['events'] }, (event) => {
    if (event.action !== 'login') return;
    if (event.status === 'ok') {
      s.registered = true;
      return sendWelcome(s);
    }
    s.nick = null;
    if (event.status === 'duplicate') s.out.numeric(ERR.NICKNAMEINUSE, nick, `Nickname is already in use (${event.msg ?? 'by another user'})`);
    else s.out.numeric(ERR.ERRONEUSNICKNAME, nick, `Erroneous nickname: ${event.msg}`);
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
      return reply('LS', CAPABILITIES.join(' '));
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

// PASS <password>: there are no server passwords here; accepted before registration and ignored
export function pass(s: IrcSession): void {
  if (s.registered) s.out.numeric(ERR.ALREADYREGISTERED, 'You may not reregister');
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
