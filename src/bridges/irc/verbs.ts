/**
 * The verb table: one entry per IRC command with its handler, whether it may be used before
 * registration, and how many parameters it needs. `runVerb` checks those once, centrally
 * (421, 451, 461), before any handler runs; handlers write into the client's reply buffer.
 * A handler may wait for the hub; the connection runs the next line only once it has finished.
 */
import type { IrcClient } from './client.js';
import * as auth from './commands/auth.js';
import * as capability from './commands/cap.js';
import * as channels from './commands/channels.js';
import * as history from './commands/history.js';
import * as link from './commands/link.js';
import * as messages from './commands/messages.js';
import * as modes from './commands/modes.js';
import * as operators from './commands/operators.js';
import * as queries from './commands/queries.js';
import * as server from './commands/server-info.js';
import * as who from './commands/who.js';
import * as whois from './commands/whois.js';
import type { IrcMessage } from './message.js';
import { ERR } from './numerics.js';

export type VerbHandler = (s: IrcClient, m: IrcMessage) => void | Promise<void>;

export interface VerbSpec {
  run: VerbHandler;
  /** Usable before registration (CAP, NICK, USER, PASS, AUTHENTICATE, PING, PONG, QUIT). */
  early?: true;
  minParams: number;
}

export const VERBS: Readonly<Record<string, VerbSpec>> = {
  CAP: { run: capability.cap, early: true, minParams: 1 },
  NICK: { run: link.nick, early: true, minParams: 0 },
  USER: { run: link.user, early: true, minParams: 4 },
  PASS: { run: link.pass, early: true, minParams: 1 },
  AUTHENTICATE: { run: auth.authenticate, early: true, minParams: 1 },
  PING: { run: link.ping, early: true, minParams: 1 },
  PONG: { run: link.pong, early: true, minParams: 0 },
  QUIT: { run: link.quit, early: true, minParams: 0 },
  SETNAME: { run: link.setname, minParams: 1 },
  JOIN: { run: channels.join, minParams: 1 },
  PART: { run: channels.part, minParams: 1 },
  TOPIC: { run: channels.topic, minParams: 1 },
  NAMES: { run: channels.names, minParams: 0 },
  LIST: { run: channels.list, minParams: 0 },
  KICK: { run: channels.kick, minParams: 2 },
  INVITE: { run: channels.invite, minParams: 2 },
  MODE: { run: modes.mode, minParams: 1 },
  PRIVMSG: { run: messages.privmsg, minParams: 0 },
  NOTICE: { run: messages.notice, minParams: 0 },
  TAGMSG: { run: messages.tagmsg, minParams: 1 },
  CHATHISTORY: { run: history.chathistory, minParams: 1 },
  WHO: { run: who.who, minParams: 0 },
  WHOIS: { run: whois.whois, minParams: 1 },
  WHOWAS: { run: whois.whowas, minParams: 1 },
  LUSERS: { run: server.lusers, minParams: 0 },
  MOTD: { run: server.motd, minParams: 0 },
  TIME: { run: server.time, minParams: 0 },
  VERSION: { run: server.version, minParams: 0 },
  INFO: { run: server.info, minParams: 0 },
  ADMIN: { run: server.admin, minParams: 0 },
  AWAY: { run: queries.away, minParams: 0 },
  USERHOST: { run: queries.userhost, minParams: 1 },
  ISON: { run: queries.ison, minParams: 1 },
  OPER: { run: operators.oper, minParams: 2 },
  KILL: { run: operators.kill, minParams: 1 },
};

/** Checks a command's preconditions and runs it; a handler's bug is logged and answered, never thrown. */
export async function runVerb(s: IrcClient, message: IrcMessage): Promise<void> {
  const verb = message.verb.toUpperCase();
  const spec = Object.hasOwn(VERBS, verb) ? VERBS[verb] : undefined;
  if (!spec) return s.out.numeric(ERR.UNKNOWNCOMMAND, verb.slice(0, 32), 'Unknown command');
  if (!s.registered && !spec.early) return s.out.numeric(ERR.NOTREGISTERED, 'You have not registered');
  if (message.params.length < spec.minParams) return s.out.numeric(ERR.NEEDMOREPARAMS, verb, 'Not enough parameters');
  try {
    await spec.run(s, message);
  } catch (err) {
    s.shared.log.error('irc command failed', { verb, user: s.nick ?? '-', err: String(err) });
    s.out.serverNotice(`The server hit an error handling ${verb}; it was not carried out.`);
  }
}
