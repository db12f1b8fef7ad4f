/**
 * PRIVMSG and NOTICE. To the user's channel: a chat line (read like a terminal user's chatting
 * line, so `bye` leaves). To `ics`: a command. To a user: there are no private messages in the
 * chat, so a user not in a channel is connected to the recipient first and the line goes to the
 * group the two now share. NOTICE never changes anything but a chat line, and is never answered.
 */
import { MENU } from '../../../core/render.js';
import { channelInput, directText, serviceInput, type Inbound } from '../inbound.js';
import type { IrcMessage } from '../message.js';
import { ERR } from '../numerics.js';
import { SERVICE_NICK, type IrcSession } from '../session.js';
import { plainText } from '../text.js';
import { findGroup, myChannel } from './channels.js';

const IRC_HELP = [
  'On IRC: send me these commands as private messages (/msg ics who, /msg ics p 18).',
  '/msg ics register <password> keeps your nick for you; then connect with the password as PASS or through SASL.',
  'In your channel, just talk; bye or /part leaves it. /join #name opens or joins a room, /join #group-N joins group N.',
  '/msg peter hi, while you are in no channel, connects you with peter and says hi there.',
].join('\n');

/** Carries out what a line meant, the way the terminal client does. */
function perform(s: IrcSession, input: Inbound): void {
  switch (input.kind) {
    case 'send':
      for (const action of input.actions) s.ask(action);
      return;
    case 'help':
      return s.out.service(`${MENU}\n${IRC_HELP}`);
    case 'usage':
      return s.out.service(input.msg);
    case 'unknown':
      return s.out.service(`Unknown command: ${input.text.slice(0, 60)}. /msg ${SERVICE_NICK} help lists the commands.`);
    case 'register':
      return s.out.service(`IRC cannot ask for a password: send it along, /msg ${SERVICE_NICK} register <password> (at least 8 characters). From then on, connect with it as your PASS or through SASL.`);
    case 'quit':
      return s.quit('Closing Link: See you next time!');
    case 'ctcp':
      return s.out.serverNotice(`CTCP ${input.name.slice(0, 20)} is not supported here`);
    case 'empty':
      return;
  }
}

function toChannel(s: IrcSession, name: string, text: string, quiet: boolean): void {
  if (!myChannel(s, name)) {
    if (quiet) return;
    if (findGroup(s, name)) return s.out.numeric(ERR.CANNOTSENDTOCHAN, name, 'Cannot send to channel: you are not in it (/join it first)');
    return s.out.numeric(ERR.NOSUCHCHANNEL, name, 'No such channel');
  }
  if (!quiet) return perform(s, channelInput(text));
  const line = plainText(text).trim();
  if (line !== '') s.ask({ action: 'exchange', message: line });
}

function toUser(s: IrcSession, nick: string, text: string, quiet: boolean): void {
  const line = directText(text).trim();
  if (line === '') return quiet ? undefined : s.out.numeric(ERR.NOTEXTTOSEND, 'No text to send');
  const view = s.mirror.view;
  const fail = (msg: string): void => (quiet ? undefined : s.out.numeric(ERR.CANNOTSENDTOCHAN, nick, msg));
  if (view) {
    const member = view.members.find((m) => m.name.toLowerCase() === nick.toLowerCase());
    if (member && view.members.length === 2 && member.name !== s.nick) return s.ask({ action: 'exchange', message: line });
    if (quiet) return;
    if (member) return fail(`There are no private messages here: ${member.name} is in ${view.name}, say it there`);
    if (!s.lookup().users.some((u) => u.name.toLowerCase() === nick.toLowerCase())) return s.out.numeric(ERR.NOSUCHNICK, nick, 'No such nick/channel');
    return fail(`You are in ${view.name} and can be in one channel at a time: /part ${view.name} first to talk with ${nick}`);
  }
  if (quiet) return;
  let connected = false;
  s.ask({ action: 'connect', target: nick }, (event) => {
    if (event.action === 'connect' && event.status === 'success') connected = true;
    else if (event.action === 'connect' && event.status === 'no-user') s.out.numeric(ERR.NOSUCHNICK, nick, 'No such nick/channel');
    else fail('msg' in event && event.msg ? event.msg : 'Cannot send to that user');
  });
  if (!connected || !s.mirror.view) return;
  s.out.service(`You are connected with ${nick} in ${s.mirror.view.name}; your message went there. Chat there from now on.`);
  s.ask({ action: 'exchange', message: line });
}

function send(s: IrcSession, m: IrcMessage, quiet: boolean): void {
  const [targets, text] = m.params;
  if (!targets) return quiet ? undefined : s.out.numeric(ERR.NORECIPIENT, `No recipient given (${m.verb.toUpperCase()})`);
  if (text === undefined || text === '') return quiet ? undefined : s.out.numeric(ERR.NOTEXTTOSEND, 'No text to send');
  for (const target of targets.split(',').filter((t) => t !== '')) {
    if (target.startsWith('#')) toChannel(s, target, text, quiet);
    else if (target.toLowerCase() === SERVICE_NICK) {
      if (!quiet) perform(s, serviceInput(text));
    } else toUser(s, target, text, quiet);
  }
}

// PRIVMSG <target>[,<target>] :<text>
export function privmsg(s: IrcSession, m: IrcMessage): void {
  send(s, m, false);
}

// NOTICE <target>[,<target>] :<text>
export function notice(s: IrcSession, m: IrcMessage): void {
  send(s, m, true);
}
