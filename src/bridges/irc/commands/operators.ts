/** Server operators: OPER proves a configured operator's name and password; KILL ends any user's connection, on any front. */
import type { IrcClient } from '../client.js';
import type { IrcMessage } from '../message.js';
import { ERR, RPL } from '../numerics.js';
import { plainText } from '../text.js';

// OPER <name> <password>: become a server operator (381 and user mode +o; 464 for a wrong password, 491 for an unknown name)
export async function oper(s: IrcClient, m: IrcMessage): Promise<void> {
  const [name, password] = m.params as [string, string];
  for (const event of await s.ask({ action: 'oper', name, password })) {
    if (event.action !== 'oper') s.tell(event);
    else if (event.status === 'none') s.out.numeric(ERR.NOOPERHOST, 'No O-lines for your host');
    else if (event.status === 'denied') s.out.numeric(ERR.PASSWDMISMATCH, 'Password incorrect');
    else {
      s.out.numeric(RPL.YOUREOPER, 'You are now an IRC operator');
      if (!s.userModes.has('o')) {
        s.setUserMode('o', true);
        s.out.send({ source: s.mask, verb: 'MODE', params: [s.nick!, '+o'] });
      }
    }
  }
}

// KILL <nick> [:reason]: a server operator ends a user's connection (481 for anyone else)
export async function kill(s: IrcClient, m: IrcMessage): Promise<void> {
  const nick = m.params[0]!;
  const reason = plainText(m.params[1] ?? '').trim();
  for (const event of await s.ask(reason ? { action: 'kill', target: nick, reason } : { action: 'kill', target: nick })) {
    if (event.action !== 'error') continue;
    if (event.code === 'not-allowed') s.out.numeric(ERR.NOPRIVILEGES, "Permission Denied- You're not an IRC operator");
    else if (event.code === 'no-user') s.out.numeric(ERR.NOSUCHNICK, nick, 'No such nick/channel');
    else s.tell(event);
  }
}
