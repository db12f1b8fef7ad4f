/** Questions about the server: LUSERS, MOTD, TIME, VERSION, INFO, ADMIN. */
import type { IrcClient } from '../client.js';
import { RPL } from '../numerics.js';
import { sendIsupport, sendLusers, sendMotd, VERSION } from '../welcome.js';

/** What INFO tells. */
const INFO = [
  `${VERSION}: the ICS chat server's IRC gateway.`,
  'IRC, the terminal client, the web page and Discord share one chat: every group is a channel here.',
  'Users of other fronts show with their front as host (nick!nick@tcp); /msg ics help tells more.',
];

// LUSERS: how many users, channels and registering connections
export function lusers(s: IrcClient): Promise<void> {
  return sendLusers(s);
}

// MOTD: the message of the day, or 422 when there is none
export function motd(s: IrcClient): void {
  sendMotd(s);
}

// TIME: the server's time, from the hub's clock
export async function time(s: IrcClient): Promise<void> {
  for (const event of await s.ask({ action: 'time' })) {
    if (event.action === 'time') s.out.numeric(RPL.TIME, s.serverName, `${event.results} (${event.iso})`);
  }
}

// VERSION: 351 and the ISUPPORT tokens
export function version(s: IrcClient): void {
  s.out.numeric(RPL.VERSION, VERSION, s.serverName, 'ICS chat IRC gateway');
  sendIsupport(s);
}

// INFO: a few lines about the server
export function info(s: IrcClient): void {
  for (const line of INFO) s.out.numeric(RPL.INFO, line);
  s.out.numeric(RPL.ENDOFINFO, 'End of INFO list');
}

// ADMIN: who runs the server (256-259)
export function admin(s: IrcClient): void {
  s.out.numeric(RPL.ADMINME, s.serverName, 'Administrative info');
  s.out.numeric(RPL.ADMINLOC1, `ICS chat on ${s.serverName}`);
  s.out.numeric(RPL.ADMINLOC2, 'Ask in any channel, or /msg ics help');
  s.out.numeric(RPL.ADMINEMAIL, `admin@${s.serverName}`);
}
