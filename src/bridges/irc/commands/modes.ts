/**
 * MODE. A channel's modes live in the hub, so they hold on every front: `MODE #chan` shows them
 * (324, 329), `MODE #chan b` lists its bans (367, 368), and an operator's MODE with changes
 * makes them in order; the members then see one MODE line with what took effect (the mirror
 * writes it). At most MODES_MAX changes with an argument are made per command, as ISUPPORT says.
 * Users may set `+i` on themselves, which changes nothing but what MODE shows; `+o` comes with OPER.
 */
import type { ModeChange, ModeLetter, ModeRefusal, ServerEvent } from '../../../core/protocol.js';
import type { IrcClient } from '../client.js';
import type { IrcMessage } from '../message.js';
import { ERR, RPL } from '../numerics.js';
import { channelName, type ChannelView } from '../channel-view.js';
import { CHANMODES, MODES_MAX } from '../welcome.js';
import { findGroup } from './channels.js';

/** The channel modes, and the member roles (PREFIX=(ov)). */
const LETTERS = new Set<string>(Object.values(CHANMODES).join('') + 'ov');

type Shown = Extract<ServerEvent, { action: 'mode'; status: 'shown' }>;

/** What a mode string and its arguments ask for. */
interface Request {
  changes: ModeChange[];
  listBans: boolean;
  unknown: string[];
  /** A letter that needs an argument came without one. */
  missing: boolean;
}

/** Whether the letter takes an argument when set (`on`) or taken off. */
function takesArg(mode: string, on: boolean): boolean {
  return mode === 'o' || mode === 'v' || mode === 'b' || mode === 'k' || (mode === 'l' && on);
}

/** Reads `+ov-k bob bob` into changes, in order; `b` without a mask asks for the ban list. */
export function readModes(modes: string, args: readonly string[]): Request {
  const request: Request = { changes: [], listBans: false, unknown: [], missing: false };
  let on = true;
  let next = 0;
  let withArgs = 0;
  for (const mode of modes) {
    if (mode === '+' || mode === '-') {
      on = mode === '+';
      continue;
    }
    if (!LETTERS.has(mode)) {
      request.unknown.push(mode);
      continue;
    }
    const arg = takesArg(mode, on) ? args[next++] : undefined;
    if (mode === 'b' && arg === undefined) {
      request.listBans = true;
      continue;
    }
    // `-k` may name the key or not; every other letter that takes one needs it.
    if (takesArg(mode, on) && arg === undefined && !(mode === 'k' && !on)) {
      request.missing = true;
      continue;
    }
    if (arg !== undefined && ++withArgs > MODES_MAX) continue;
    request.changes.push(arg === undefined || (mode === 'k' && !on) ? { mode: mode as ModeLetter, on } : { mode: mode as ModeLetter, on, arg });
  }
  return request;
}

/** 324 with the arguments of the modes that have them (the key is shown to members only), and 329. */
function showModes(s: IrcClient, name: string, shown: Shown): void {
  const args = [...(shown.key !== undefined ? [shown.key] : []), ...(shown.limit !== undefined ? [String(shown.limit)] : [])];
  s.out.numeric(RPL.CHANNELMODEIS, name, shown.modes, ...args);
  s.out.numeric(RPL.CREATIONTIME, name, String(Math.floor(Date.parse(shown.created) / 1000)));
}

function showBans(s: IrcClient, name: string, shown: Shown | undefined): void {
  for (const ban of shown?.bans ?? []) s.out.numeric(RPL.BANLIST, name, ban.mask, ban.by, String(Math.floor(Date.parse(ban.ts) / 1000)));
  s.out.numeric(RPL.ENDOFBANLIST, name, 'End of channel ban list');
}

/** The standard numeric for each refused change (482 once, however many needed it). */
function refusals(s: IrcClient, name: string, refused: readonly ModeRefusal[]): void {
  let toldOp = false;
  for (const { change, code, msg } of refused) {
    if (code === 'not-allowed') {
      if (!toldOp) s.out.numeric(ERR.CHANOPRIVSNEEDED, name, `You're not channel operator: ${msg}`);
      toldOp = true;
    } else if (code === 'no-such-member') s.out.numeric(ERR.USERNOTINCHANNEL, change.arg ?? '*', name, "They aren't on that channel");
    else s.out.numeric(ERR.INVALIDMODEPARAM, name, change.mode, change.arg ?? '*', msg);
  }
}

/** MODE on a channel the user is not in: its modes as the list shows them (no key, no bans), never a change. */
async function elsewhere(s: IrcClient, target: string, request: Request | null): Promise<void> {
  const group = await findGroup(s, target);
  if (!group) return s.out.numeric(ERR.NOSUCHCHANNEL, target, 'No such channel');
  const name = channelName(group.id, group.room);
  if (request === null) {
    const letters = new Set([...(group.modes ?? '').replace('+', ''), 'n', ...(group.locked ? ['i'] : [])]);
    return s.out.numeric(RPL.CHANNELMODEIS, name, '+' + [...letters].sort().join(''));
  }
  if (request.changes.length > 0) return s.out.numeric(ERR.NOTONCHANNEL, name, "You're not on that channel");
  if (request.listBans) showBans(s, name, undefined);
}

async function channelMode(s: IrcClient, target: string, rest: readonly string[]): Promise<void> {
  const view: ChannelView | undefined = s.mirror.find(target);
  const request = rest.length === 0 ? null : readModes(rest[0]!, rest.slice(1));
  for (const letter of request?.unknown ?? []) s.out.numeric(ERR.UNKNOWNMODE, letter, 'is unknown mode char to me');
  if (request?.missing) s.out.numeric(ERR.NEEDMOREPARAMS, 'MODE', 'Not enough parameters');
  if (!view) return elsewhere(s, target, request);
  if (request !== null && request.changes.length === 0 && !request.listBans) return;
  const changes = request?.changes ?? [];
  const answers = await s.ask(changes.length > 0 ? { action: 'mode', changes, group: view.id } : { action: 'mode', group: view.id });
  const shown = answers.find((e): e is Shown => e.action === 'mode' && e.status === 'shown');
  for (const event of answers) if (event.action === 'error') s.tellIn(view.name, event);
  if (!shown) return;
  if (request === null) return showModes(s, view.name, shown);
  refusals(s, view.name, shown.refused);
  if (request.listBans) showBans(s, view.name, shown);
}

function userMode(s: IrcClient, target: string, change: string | undefined): void {
  if (target.toLowerCase() !== s.nick!.toLowerCase()) return s.out.numeric(ERR.USERSDONTMATCH, "Can't change mode for other users");
  if (change === undefined) return s.out.numeric(RPL.UMODEIS, '+' + [...s.userModes].join(''));
  const parsed = /^([+-])([a-zA-Z]+)$/.exec(change);
  if (!parsed || [...parsed[2]!].some((c) => c !== 'i')) return s.out.numeric(ERR.UMODEUNKNOWNFLAG, 'Unknown MODE flag (only +i and -i)');
  const adding = parsed[1] === '+';
  if (adding === s.userModes.has('i')) return;
  s.setUserMode('i', adding);
  s.out.send({ source: s.mask, verb: 'MODE', params: [s.nick!, `${parsed[1]}i`] });
}

// MODE <#chan> [<modes> [<args>...]] | MODE <nick> [+i|-i]: show or change a channel's modes (b lists bans); a user's own +i
export async function mode(s: IrcClient, m: IrcMessage): Promise<void> {
  const [target, ...rest] = m.params as [string, ...string[]];
  if (target.startsWith('#')) return channelMode(s, target, rest);
  userMode(s, target, rest[0]);
}
