/**
 * PRIVMSG and NOTICE. To the user's channel: a chat line (read like a terminal user's chatting
 * line, so `bye` leaves). To `ics`: a command. To a user: there are no private messages in the
 * chat, so a user not in a channel is connected to the recipient first and the line goes to the
 * group the two now share. NOTICE never changes anything but a chat line, and is never answered.
 */
import type { ClientAction, ServerEvent } from '../../../core/protocol.js';
import { MENU } from '../../../core/render.js';
import { SERVICE_NICK, type IrcClient } from '../client.js';
import { channelInput, directText, serviceInput, type Inbound } from '../inbound.js';
import type { IrcMessage } from '../message.js';
import { ERR } from '../numerics.js';
import { plainText } from '../text.js';
import { findGroup, leave, myChannel } from './channels.js';

const IRC_HELP = [
  'On IRC: send me these commands as private messages (/msg ics who, /msg ics p 18).',
  '/msg ics register <password> keeps your nick for you; then connect with the password as PASS or through SASL.',
  'In your channel, just talk; bye or /part leaves it. /join #name opens or joins a room, /join #group-N joins group N.',
  '/msg peter hi, while you are in no channel, connects you with peter and says hi there.',
].join('\n');

/** Shows one answer to an action the user typed, as the terminal client would, in notices. */
function answer(s: IrcClient, action: ClientAction, event: ServerEvent): void {
  if (event.action === 'connect' && event.status === 'success') {
    s.mirror.apply(event);
    const view = s.mirror.view;
    const others = (event.members ?? []).filter((m) => m.name !== s.nick).map((m) => `${m.name} (${m.front})`);
    const company = others.length > 0 ? ` with ${others.join(', ')}` : '';
    if (view) s.out.service(`You are in ${view.name}${company}. Chat there; bye or /part ${view.name} leaves.`);
    return;
  }
  if (event.action === 'register' && event.status === 'ok') s.loggedIn(s.nick!);
  s.tell(event, 'target' in action ? action.target : undefined);
}

/** Runs one action and shows its answers. */
async function run(s: IrcClient, action: ClientAction): Promise<void> {
  if (action.action === 'disconnect') return leave(s, action.reason);
  for (const event of await s.ask(action)) answer(s, action, event);
}

/** Carries out what a line meant, the way the terminal client does. */
async function perform(s: IrcClient, input: Inbound): Promise<void> {
  switch (input.kind) {
    case 'send':
      for (const action of input.actions) await run(s, action);
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

async function toChannel(s: IrcClient, name: string, text: string, quiet: boolean): Promise<void> {
  if (!myChannel(s, name)) {
    if (quiet) return;
    if (await findGroup(s, name)) return s.out.numeric(ERR.CANNOTSENDTOCHAN, name, 'Cannot send to channel: you are not in it (/join it first)');
    return s.out.numeric(ERR.NOSUCHCHANNEL, name, 'No such channel');
  }
  if (!quiet) return perform(s, channelInput(text));
  const line = plainText(text).trim();
  if (line !== '') await s.ask({ action: 'exchange', message: line });
}

async function toUser(s: IrcClient, nick: string, text: string, quiet: boolean): Promise<void> {
  const line = directText(text).trim();
  if (line === '') return quiet ? undefined : s.out.numeric(ERR.NOTEXTTOSEND, 'No text to send');
  const view = s.mirror.view;
  const fail = (msg: string): void => (quiet ? undefined : s.out.numeric(ERR.CANNOTSENDTOCHAN, nick, msg));
  if (view) {
    const member = view.members.find((m) => m.name.toLowerCase() === nick.toLowerCase());
    if (member && view.members.length === 2 && member.name !== s.nick) return run(s, { action: 'exchange', message: line });
    if (quiet) return;
    if (member) return fail(`There are no private messages here: ${member.name} is in ${view.name}, say it there`);
    if (!(await s.lookup()).users.some((u) => u.name.toLowerCase() === nick.toLowerCase())) return s.out.numeric(ERR.NOSUCHNICK, nick, 'No such nick/channel');
    return fail(`You are in ${view.name} and can be in one channel at a time: /part ${view.name} first to talk with ${nick}`);
  }
  if (quiet) return;
  let connected = false;
  for (const event of await s.ask({ action: 'connect', target: nick })) {
    if (event.action === 'connect' && event.status === 'success') {
      s.mirror.apply(event);
      connected = true;
    } else if (event.action === 'connect' && event.status === 'no-user') s.out.numeric(ERR.NOSUCHNICK, nick, 'No such nick/channel');
    else fail('msg' in event && event.msg ? event.msg : 'Cannot send to that user');
  }
  if (!connected || !s.mirror.view) return;
  s.out.service(`You are connected with ${nick} in ${s.mirror.view.name}; your message went there. Chat there from now on.`);
  await run(s, { action: 'exchange', message: line });
}

async function send(s: IrcClient, m: IrcMessage, quiet: boolean): Promise<void> {
  const [targets, text] = m.params;
  if (!targets) return quiet ? undefined : s.out.numeric(ERR.NORECIPIENT, `No recipient given (${m.verb.toUpperCase()})`);
  if (text === undefined || text === '') return quiet ? undefined : s.out.numeric(ERR.NOTEXTTOSEND, 'No text to send');
  for (const target of targets.split(',').filter((t) => t !== '')) {
    if (target.startsWith('#')) await toChannel(s, target, text, quiet);
    else if (target.toLowerCase() === SERVICE_NICK) {
      if (!quiet) await perform(s, serviceInput(text));
    } else await toUser(s, target, text, quiet);
  }
}

// PRIVMSG <target>[,<target>] :<text>
export function privmsg(s: IrcClient, m: IrcMessage): Promise<void> {
  return send(s, m, false);
}

// NOTICE <target>[,<target>] :<text>
export function notice(s: IrcClient, m: IrcMessage): Promise<void> {
  return send(s, m, true);
}
