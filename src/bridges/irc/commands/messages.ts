/**
 * PRIVMSG and NOTICE. To one of the user's channels: a chat line in that channel's group (read
 * like a terminal user's chatting line, so `bye` leaves it). To `ics`: a command. To a user: a
 * private line, the hub's `direct` (a conversation of the two, never a channel; the recipient's
 * client shows it in a query window). NOTICE never does anything but send a line, and is never
 * answered, not even with an error.
 */
import type { GroupLookup } from '../../../core/commands.js';
import type { ClientAction } from '../../../core/protocol.js';
import { SERVICE_NICK, type IrcClient } from '../client.js';
import { channelInput, directInput, serviceInput } from '../inbound.js';
import { clientTags, type IrcMessage } from '../message.js';
import { ERR, RPL } from '../numerics.js';
import { plainText } from '../text.js';
import { MESSAGE_TARGETS } from '../welcome.js';
import { findGroup } from './channels.js';
import { perform } from './service.js';

/** The user spoke: idle time (WHOIS 317) counts from now. */
function active(s: IrcClient): void {
  if (s.ident) s.ident.active = Math.floor(s.shared.clock.now().getTime() / 1000);
}

/** The user's groups by the names their channels go by (for `bye #room`). */
const channelLookup = (s: IrcClient): GroupLookup => (label) => s.mirror.find(label)?.id;

/**
 * PRIVMSG of a plain chat line to one channel the user is in: said at once, with nothing to wait
 * for, which is most of what an IRC user sends. False when the line needs its full handler.
 */
export function chatLine(s: IrcClient, m: IrcMessage): boolean {
  const [target, text] = m.params;
  if (m.verb.toUpperCase() !== 'PRIVMSG' || text === undefined || target === undefined || !target.startsWith('#') || target.includes(',')) return false;
  const view = s.mirror.find(target);
  if (!view) return false;
  const input = channelInput(text, view.id, channelLookup(s));
  const action = input.kind === 'send' && input.actions.length === 1 ? input.actions[0]! : undefined;
  if (action?.action !== 'exchange') return false;
  active(s);
  s.send(tagged(action, m));
  return true;
}

/** A chat line with the client-only tags of the message it came in, if any. */
function tagged(action: ClientAction, m: IrcMessage): ClientAction {
  if (action.action !== 'exchange') return action;
  const tags = clientTags(m);
  return tags === undefined ? action : { ...action, tags };
}

async function toChannel(s: IrcClient, m: IrcMessage, name: string, text: string, quiet: boolean): Promise<void> {
  const view = s.mirror.find(name);
  if (!view) {
    if (quiet) return;
    if (await findGroup(s, name)) return s.out.numeric(ERR.CANNOTSENDTOCHAN, name, 'Cannot send to channel: you are not in it (/join it first)');
    return s.out.numeric(ERR.NOSUCHCHANNEL, name, 'No such channel');
  }
  if (!quiet) {
    const input = channelInput(text, view.id, channelLookup(s));
    return s.out.answeringIn(view.name, () => perform(s, input.kind === 'send' ? { kind: 'send', actions: input.actions.map((a) => tagged(a, m)) } : input));
  }
  const line = plainText(text).trim();
  if (line === '') return;
  const answers = await s.ask(tagged({ action: 'exchange', message: line, group: view.id }, m));
  if (!answers.some((e) => e.action === 'error')) s.said();
}

async function toUser(s: IrcClient, nick: string, text: string, quiet: boolean): Promise<void> {
  const input = directInput(text);
  if (input.kind === 'ctcp') return quiet ? undefined : s.out.serverNotice(`CTCP ${input.name.slice(0, 20)} is not supported here`);
  if (input.text === '') return quiet ? undefined : s.out.numeric(ERR.NOTEXTTOSEND, 'No text to send');
  const answers = await s.ask({ action: 'direct', target: nick, message: input.text });
  for (const event of answers) {
    if (event.action === 'direct') {
      s.mirror.wroteTo(event.group, event.target);
      s.said();
      if (event.away !== undefined && !quiet) s.out.numeric(RPL.AWAY, event.target, event.away);
    }
    if (event.action !== 'error' || quiet) continue;
    if (event.code === 'no-user') s.out.numeric(ERR.NOSUCHNICK, nick, 'No such nick/channel');
    else s.out.numeric(ERR.CANNOTSENDTOCHAN, nick, event.msg);
  }
}

async function send(s: IrcClient, m: IrcMessage, quiet: boolean): Promise<void> {
  const [targets, text] = m.params;
  if (!targets) return quiet ? undefined : s.out.numeric(ERR.NORECIPIENT, `No recipient given (${m.verb.toUpperCase()})`);
  if (text === undefined || text === '') return quiet ? undefined : s.out.numeric(ERR.NOTEXTTOSEND, 'No text to send');
  const all = targets.split(',').filter((t) => t !== '');
  if (all.length > MESSAGE_TARGETS) return quiet ? undefined : s.out.numeric(ERR.TOOMANYTARGETS, all[MESSAGE_TARGETS]!, `Too many recipients (at most ${MESSAGE_TARGETS}); the message was not sent`);
  active(s);
  for (const target of all) {
    if (target.startsWith('#')) await toChannel(s, m, target, text, quiet);
    else if (target.toLowerCase() === SERVICE_NICK) {
      if (!quiet) await perform(s, serviceInput(text, channelLookup(s)));
    } else await toUser(s, target, text, quiet);
  }
}

// PRIVMSG <target>{,<target>} :<text>: a line to a channel, a command to ics, a private line to a user
export function privmsg(s: IrcClient, m: IrcMessage): Promise<void> {
  return send(s, m, false);
}

// NOTICE <target>{,<target>} :<text>: the same lines, never answered
export function notice(s: IrcClient, m: IrcMessage): Promise<void> {
  return send(s, m, true);
}

// TAGMSG <target>: client-only tags without a line (typing notices) to one of my channels, passed on
// to its members whose clients take message-tags; never stored. To a user or elsewhere: dropped
export function tagmsg(s: IrcClient, m: IrcMessage): void {
  const view = s.mirror.find(m.params[0]!);
  const tags = clientTags(m);
  if (view && tags) s.send({ action: 'signal', tags, group: view.id });
}
