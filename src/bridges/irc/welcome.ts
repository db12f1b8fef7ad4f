/** What a client hears once registered: 001-005, the message of the day, and a word from `ics`. */
import { BANS_MAX } from '../../core/group-rules.js';
import { DEFAULT_LIMITS } from '../../core/hub.js';
import { NAME_MAX } from '../../core/names.js';
import { ERR, RPL } from './numerics.js';
import type { IrcClient } from './client.js';

export const VERSION = 'ics-chat-0.1.0';

/** Longest channel name: `#` and 32 characters (the core's room rule). */
export const CHANNEL_MAX = 33;

/** The most mode changes with an argument one MODE command makes (ISUPPORT `MODES`); the rest are ignored. */
export const MODES_MAX = 6;

/** Channel modes (004, ISUPPORT `CHANMODES`): lists, modes that always take an argument, those that take one when set, flags. */
export const CHANMODES = { list: 'b', always: 'k', whenSet: 'l', flags: 'imnst' } as const;

/**
 * ISUPPORT tokens: names are UTF-8, any number of channels at once (`CHANLIMIT=#:` sets no
 * limit), the room's creator is its operator (`@`), who may give `+o` and `+v` and set the modes.
 */
export const ISUPPORT = [
  'CASEMAPPING=ascii',
  'CHANTYPES=#',
  'CHANLIMIT=#:',
  `CHANNELLEN=${CHANNEL_MAX}`,
  `NICKLEN=${NAME_MAX}`,
  'PREFIX=(ov)@+',
  `CHANMODES=${CHANMODES.list},${CHANMODES.always},${CHANMODES.whenSet},${CHANMODES.flags}`,
  'NETWORK=ICS-chat',
  'UTF8ONLY',
  'TOPICLEN=300',
  'KICKLEN=300',
  'AWAYLEN=300',
  `MODES=${MODES_MAX}`,
  `MAXLIST=b:${BANS_MAX}`,
  `CHATHISTORY=${DEFAULT_LIMITS.historyPage}`,
  'MSGREFTYPES=msgid,timestamp',
];

/** Capabilities offered in CAP LS, each with the value a CAP 302 client is told (`sasl=PLAIN`). */
export const CAPABILITIES: Readonly<Record<string, string>> = {
  'account-tag': '',
  batch: '',
  'cap-notify': '',
  'draft/chathistory': '',
  'echo-message': '',
  'extended-join': '',
  'labeled-response': '',
  'message-tags': '',
  'multi-prefix': '',
  sasl: 'PLAIN',
  'server-time': '',
  'userhost-in-names': '',
};

export function sendMotd(s: IrcClient): void {
  const motd = s.shared.motd;
  if (motd === null) return s.out.numeric(ERR.NOMOTD, 'MOTD File is missing');
  s.out.numeric(RPL.MOTDSTART, `- ${s.serverName} Message of the day -`);
  for (const line of motd) s.out.numeric(RPL.MOTD, `- ${line}`);
  s.out.numeric(RPL.ENDOFMOTD, 'End of /MOTD command');
}

export function sendWelcome(s: IrcClient): void {
  const { out, serverName } = s;
  out.numeric(RPL.WELCOME, `Welcome to the ICS chat IRC gateway, ${s.mask}`);
  out.numeric(RPL.YOURHOST, `Your host is ${serverName}, running version ${VERSION}`);
  out.numeric(RPL.CREATED, `This server was created ${s.shared.startedAt.toUTCString()}`);
  out.numeric(RPL.MYINFO, serverName, VERSION, 'io', 'biklmnostv', 'bklov');
  for (let i = 0; i < ISUPPORT.length; i += 12) out.numeric(RPL.ISUPPORT, ...ISUPPORT.slice(i, i + 12), 'are supported by this server');
  sendMotd(s);
  out.service(
    `Hi ${s.nick}! I am ics, the chat's service. /msg ics help lists what I do; /msg ics who shows who is online on every front; ` +
      '/msg ics c peter starts a chat with peter; /join #name opens or joins a room (join as many as you like); /msg peter hi writes to peter privately.',
  );
}
