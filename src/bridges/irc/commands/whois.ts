/**
 * WHOIS and WHOWAS. WHOIS tells who a user is (311), where they are connected (312), every
 * channel they are in with its prefix (319), that they are a server operator (313), the account
 * they are logged in to (330), how long idle and since when (317, for this front's users), that
 * they are away (301), then 318. WHOWAS answers from the front's bounded record of nicks given up
 * lately.
 */
import { SERVICE_NICK, type IrcClient } from '../client.js';
import type { IrcMessage } from '../message.js';
import { ERR, RPL } from '../numerics.js';
import { channelsOf, lower, person } from './people.js';

const nicksIn = (param: string): string[] => param.split(',').filter((n) => n !== '');

// WHOIS [<server>] <nick>{,<nick>}
export async function whois(s: IrcClient, m: IrcMessage): Promise<void> {
  const list = await s.lookup();
  const now = Math.floor(s.shared.clock.now().getTime() / 1000);
  for (const nick of nicksIn(m.params.at(-1)!)) {
    const user = list.users.find((u) => lower(u.name) === lower(nick));
    if (lower(nick) === SERVICE_NICK) {
      s.out.numeric(RPL.WHOISUSER, SERVICE_NICK, SERVICE_NICK, s.serverName, '*', 'the chat service: /msg ics help');
      s.out.numeric(RPL.WHOISSERVER, SERVICE_NICK, s.serverName, 'ICS chat');
    } else if (!user) {
      s.out.numeric(ERR.NOSUCHNICK, nick, 'No such nick/channel');
    } else {
      const p = person(s, user);
      // In the order ngircd gives them (the protocol fixes none but the first and the last).
      s.out.numeric(RPL.WHOISUSER, p.nick, p.user, p.host, '*', p.realname);
      s.out.numeric(RPL.WHOISSERVER, p.nick, s.serverName, `connected through the ${p.front} front`);
      const channels = channelsOf(list, p.nick);
      if (channels.length > 0) s.out.numeric(RPL.WHOISCHANNELS, p.nick, channels.join(' '));
      if (p.oper) s.out.numeric(RPL.WHOISOPERATOR, p.nick, 'is an IRC operator');
      if (p.account !== undefined) s.out.numeric(RPL.WHOISACCOUNT, p.nick, p.account, 'is logged in as');
      if (p.ident) s.out.numeric(RPL.WHOISIDLE, p.nick, String(now - p.ident.active), String(p.ident.signon), 'seconds idle, signon time');
      if (p.away !== undefined) s.out.numeric(RPL.AWAY, p.nick, p.away);
    }
    s.out.numeric(RPL.ENDOFWHOIS, user?.name ?? nick, 'End of /WHOIS list');
  }
}

// WHOWAS <nick>{,<nick>} [<count>]: the nick's last holders, newest first
export function whowas(s: IrcClient, m: IrcMessage): void {
  const count = Number.parseInt(m.params[1] ?? '0', 10);
  for (const nick of nicksIn(m.params[0]!)) {
    const found = s.shared.whowas.find(nick, Number.isNaN(count) ? 0 : count);
    if (found.length === 0) s.out.numeric(ERR.WASNOSUCHNICK, nick, 'There was no such nickname');
    for (const g of found) {
      s.out.numeric(RPL.WHOWASUSER, g.nick, g.user, g.host, '*', g.realname);
      s.out.numeric(RPL.WHOISSERVER, g.nick, s.serverName, new Date(g.at * 1000).toUTCString());
    }
    s.out.numeric(RPL.ENDOFWHOWAS, nick, 'End of WHOWAS');
  }
}
