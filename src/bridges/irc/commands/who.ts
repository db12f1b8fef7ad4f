/**
 * WHO and WHOX. `WHO #chan` lists the channel's members, `WHO mask` everyone whose nick,
 * username, host or realname matches (`*` and `0`: everyone): one 352 each, then 315. With a
 * `%fields[,token]` argument (WHOX) each user is one 354 holding the fields asked for, in the
 * protocol's order (t c u i h s n f d l a o r).
 */
import type { GroupInfo } from '../../../core/protocol.js';
import type { IrcClient } from '../client.js';
import type { IrcMessage } from '../message.js';
import { RPL } from '../numerics.js';
import { groupNamed, maskTest, nameOf, person, prefixIn, type Person } from './people.js';

/** The fields WHOX can give, in the order it gives them. */
const WHOX_ORDER = 'tcuihsnfdlaor';

/** `%tcuhnfar,42`: the fields asked for and the token; null when the argument is not WHOX. */
function whoxOf(arg: string | undefined): { fields: Set<string>; token: string } | null {
  if (arg === undefined || !arg.startsWith('%')) return null;
  const [fields = '', token = ''] = arg.slice(1).split(',', 2);
  return { fields: new Set(fields), token: token.slice(0, 3) };
}

/** H (here) or G (gone), `*` for a server operator, then the channel prefix. */
const flagsOf = (p: Person, channel: GroupInfo | undefined): string => (p.away === undefined ? 'H' : 'G') + (p.oper ? '*' : '') + (channel ? prefixIn(channel, p.nick) : '');

function whox(s: IrcClient, p: Person, channel: GroupInfo | undefined, fields: Set<string>, token: string): void {
  const now = Math.floor(s.shared.clock.now().getTime() / 1000);
  const value: Record<string, string> = {
    t: token,
    c: channel ? nameOf(channel) : '*',
    u: p.user,
    i: '255.255.255.255',
    h: p.host,
    s: s.serverName,
    n: p.nick,
    f: flagsOf(p, channel),
    d: '0',
    l: String(p.ident ? now - p.ident.active : 0),
    a: p.account ?? '0',
    o: 'n/a',
    r: p.realname,
  };
  s.out.numeric(RPL.WHOSPCRPL, ...[...WHOX_ORDER].filter((f) => fields.has(f)).map((f) => value[f]!));
}

// WHO [<#chan>|<mask>|*|0] [%<fields>[,<token>]]: 352 (or WHOX 354) per user, then 315
export async function who(s: IrcClient, m: IrcMessage): Promise<void> {
  const mask = m.params[0] ?? '*';
  const list = await s.lookup();
  const channel = mask.startsWith('#') ? groupNamed(list, mask) : undefined;
  const everyone = mask === '*' || mask === '0';
  const test = maskTest(mask);
  const users = mask.startsWith('#') ? (channel?.members ?? []).flatMap((n) => list.users.filter((u) => u.name === n)) : list.users;
  const people = users
    .map((u) => person(s, u))
    .filter((p) => channel !== undefined || everyone || [p.nick, p.user, p.host, p.realname].some(test));
  const x = whoxOf(m.params[1]);
  for (const p of people) {
    if (x) whox(s, p, channel, x.fields, x.token);
    else s.out.numeric(RPL.WHOREPLY, channel ? nameOf(channel) : '*', p.user, p.host, s.serverName, p.nick, flagsOf(p, channel), `0 ${p.realname}`);
  }
  s.out.numeric(RPL.ENDOFWHO, mask, 'End of WHO list');
}
