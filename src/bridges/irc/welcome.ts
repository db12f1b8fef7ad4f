/**
 * What a client hears once registered: 001-005, the user counts (LUSERS), the message of the day
 * and a word from `ics`; LUSERS, MOTD and VERSION repeat parts of it on demand.
 */
import { BANS_MAX } from '../../core/group-rules.js';
import { DEFAULT_LIMITS } from '../../core/hub-deps.js';
import { NAME_MAX } from '../../core/names.js';
import { AWAY_MAX } from '../../core/actions/identity.js';
import { ERR, RPL } from './numerics.js';
import type { IrcClient } from './client.js';
import { USER_MAX } from './ident.js';

export const VERSION = 'ics-chat-0.1.0';

/** Longest channel name: `#` and 32 characters (the core's room rule). */
export const CHANNEL_MAX = 33;

/** The most mode changes with an argument one MODE command makes (ISUPPORT `MODES`); the rest are ignored. */
export const MODES_MAX = 6;

/** Channel modes (004, ISUPPORT `CHANMODES`): lists, modes that always take an argument, those that take one when set, flags. */
export const CHANMODES = { list: 'b', always: 'k', whenSet: 'l', flags: 'imnst' } as const;

/** The core's limits on a topic and a kick's reason. */
const TEXT_MAX = 300;

/** How many targets PRIVMSG and NOTICE take at once (TARGMAX); more are refused with 407. */
export const MESSAGE_TARGETS = 4;

/** The message of the day when IRC_MOTD_FILE names none. */
export const DEFAULT_MOTD: readonly string[] = [
  'Welcome to ICS chat: one chat shared by IRC, the terminal client, the web page and Discord.',
  'Users of the other fronts show as nick!nick@tcp, @web or @discord.',
  '/msg ics help lists what the service does; /join #name opens or joins a room.',
  'Be kind.',
];

/**
 * ISUPPORT tokens: names are UTF-8 and compared as the core compares them (NFC, then lower
 * case: RFC 8265's mapping), any number of channels at once (`CHANLIMIT=#:` sets no limit), the
 * room's creator is its operator (`@`), who may give `+o` and `+v` and set the modes; every limit
 * is one the gateway enforces.
 */
export const ISUPPORT = [
  `AWAYLEN=${AWAY_MAX}`,
  'CASEMAPPING=rfc8265',
  'CHANLIMIT=#:',
  `CHANMODES=${CHANMODES.list},${CHANMODES.always},${CHANMODES.whenSet},${CHANMODES.flags}`,
  `CHANNELLEN=${CHANNEL_MAX}`,
  'CHANTYPES=#',
  `CHATHISTORY=${DEFAULT_LIMITS.historyPage}`,
  'ELIST=MU',
  `KICKLEN=${TEXT_MAX}`,
  `MAXLIST=b:${BANS_MAX}`,
  `MODES=${MODES_MAX}`,
  'MSGREFTYPES=msgid,timestamp',
  'NETWORK=ICS-chat',
  `NICKLEN=${NAME_MAX}`,
  'PREFIX=(ov)@+',
  `TARGMAX=ISON:,JOIN:,LIST:,NAMES:,NOTICE:${MESSAGE_TARGETS},PART:,PRIVMSG:${MESSAGE_TARGETS},USERHOST:5,WHOIS:,WHOWAS:`,
  `TOPICLEN=${TEXT_MAX}`,
  `USERLEN=${USER_MAX}`,
  'UTF8ONLY',
  'WHOX',
];

/** Capabilities offered in CAP LS, each with the value a CAP 302 client is told (`sasl=PLAIN`). */
export const CAPABILITIES: Readonly<Record<string, string>> = {
  'account-notify': '',
  'account-tag': '',
  'away-notify': '',
  batch: '',
  'cap-notify': '',
  chghost: '',
  'draft/chathistory': '',
  'echo-message': '',
  'extended-join': '',
  'invite-notify': '',
  'labeled-response': '',
  'message-tags': '',
  'multi-prefix': '',
  sasl: 'PLAIN',
  'server-time': '',
  setname: '',
  'userhost-in-names': '',
};

export function sendIsupport(s: IrcClient): void {
  for (let i = 0; i < ISUPPORT.length; i += 12) s.out.numeric(RPL.ISUPPORT, ...ISUPPORT.slice(i, i + 12), 'are supported by this server');
}

export function sendMotd(s: IrcClient): void {
  const motd = s.shared.motd;
  if (motd.length === 0) return s.out.numeric(ERR.NOMOTD, 'MOTD File is missing');
  s.out.numeric(RPL.MOTDSTART, `- ${s.serverName} Message of the day -`);
  for (const line of motd) s.out.numeric(RPL.MOTD, `- ${line}`);
  s.out.numeric(RPL.ENDOFMOTD, 'End of /MOTD command');
}

/** 251-255, 265, 266: users on every front (one server: all are local), channels, connections registering. */
export async function sendLusers(s: IrcClient): Promise<void> {
  const counts = (await s.ask({ action: 'counts' })).find((e) => e.action === 'counts');
  if (!counts) throw new Error('the hub did not answer counts');
  const users = counts.users;
  const peak = String(s.shared.peak(users));
  const unknown = s.shared.unregistered();
  s.out.numeric(RPL.LUSERCLIENT, `There are ${users} users and 0 invisible on 1 servers`);
  if (unknown > 0) s.out.numeric(RPL.LUSERUNKNOWN, String(unknown), 'unknown connection(s)');
  if (counts.groups > 0) s.out.numeric(RPL.LUSERCHANNELS, String(counts.groups), 'channels formed');
  s.out.numeric(RPL.LUSERME, `I have ${users} clients and 0 servers`);
  s.out.numeric(RPL.LOCALUSERS, String(users), peak, `Current local users: ${users}, Max: ${peak}`);
  s.out.numeric(RPL.GLOBALUSERS, String(users), peak, `Current global users: ${users}, Max: ${peak}`);
}

export async function sendWelcome(s: IrcClient): Promise<void> {
  const { out, serverName } = s;
  out.numeric(RPL.WELCOME, `Welcome to the ICS chat IRC gateway, ${s.mask}`);
  out.numeric(RPL.YOURHOST, `Your host is ${serverName}, running version ${VERSION}`);
  out.numeric(RPL.CREATED, `This server was created ${s.shared.startedAt.toUTCString()}`);
  out.numeric(RPL.MYINFO, serverName, VERSION, 'io', 'biklmnostv', 'bklov');
  sendIsupport(s);
  await sendLusers(s);
  sendMotd(s);
  out.service(
    `Hi ${s.nick}! I am ics, the chat's service. /msg ics help lists what I do; /msg ics who shows who is online on every front; ` +
      '/msg ics c peter starts a chat with peter; /join #name opens or joins a room (join as many as you like); /msg peter hi writes to peter privately.',
  );
}
