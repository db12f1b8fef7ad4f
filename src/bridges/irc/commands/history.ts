/**
 * CHATHISTORY (IRCv3 draft/chathistory) served from the durable history through the hub's
 * `history` and `conversations` actions, so a client reads only what search would show it: the
 * lines said while it was in the channel or the conversation. A page is one `chathistory` batch
 * of PRIVMSGs, tagged with their time and msgid for clients that take them. Also the plain replay
 * on JOIN for registered users whose client cannot ask (IRC_JOIN_REPLAY), and what a returning
 * registered user missed (`resume`, after the welcome).
 */
import { nameKey } from '../../../core/names.js';
import type { ClientAction, HistoryLine, HistoryMark, ServerEvent } from '../../../core/protocol.js';
import type { IrcClient } from '../client.js';
import { serializeMessage, type IrcMessage } from '../message.js';
import { lineTagsOf, parseMsgid } from '../line-tags.js';
import { privmsgs } from '../chat-lines.js';

/** The host history lines come from: the front a line was said on is not stored. */
const HISTORY_HOST = 'history';

const SUBCOMMANDS: ReadonlySet<string> = new Set(['LATEST', 'BEFORE', 'AFTER', 'AROUND', 'BETWEEN', 'TARGETS']);

type Answer<K extends ServerEvent['action']> = Extract<ServerEvent, { action: K }>;

/** `timestamp=...`, `msgid=...`, or null when it is neither (or a date that is none). */
function mark(param: string | undefined): HistoryMark | null {
  const [kind, value = ''] = (param ?? '').split(/=(.*)/s) as [string, string?];
  if (kind === 'timestamp') return Number.isNaN(Date.parse(value)) ? null : { ts: value };
  if (kind === 'msgid') return parseMsgid(value);
  return null;
}

/** The moment just before a mark's, so that a page after it holds the mark itself. */
function justBefore(m: HistoryMark): HistoryMark {
  return 'ts' in m ? { ts: new Date(Date.parse(m.ts) - 1).toISOString() } : { group: m.group, seq: m.seq - 1 };
}

/** Whether mark `a` comes before mark `b` (a line's place, or a moment; a line before a moment counts as before). */
function ascending(a: HistoryMark, b: HistoryMark): boolean {
  if ('ts' in a && 'ts' in b) return Date.parse(a.ts) <= Date.parse(b.ts);
  if (!('ts' in a) && !('ts' in b)) return a.group < b.group || (a.group === b.group && a.seq <= b.seq);
  return !('ts' in a);
}

function fail(s: IrcClient, code: string, ...context: string[]): void {
  const text = context.pop() ?? '';
  s.out.send({ source: s.serverName, verb: 'FAIL', params: ['CHATHISTORY', code, ...context, text] });
}

async function page(s: IrcClient, action: Extract<ClientAction, { action: 'history' }>): Promise<HistoryLine[] | null> {
  const answers = await s.ask(action);
  const found = answers.find((e): e is Answer<'history'> => e.action === 'history');
  if (found) return found.lines;
  for (const e of answers) s.tell(e);
  return null;
}

/** History lines as PRIVMSGs to the channel or, in a direct conversation, between the user and `target`. */
function historyLines(s: IrcClient, target: string, lines: readonly HistoryLine[]): string[] {
  const channel = target.startsWith('#') ? (s.mirror.find(target)?.name ?? target) : undefined;
  return lines.map((line) => {
    const mine = nameKey(line.from) === nameKey(s.nick!);
    const to = channel ?? (mine ? target : s.nick!);
    return privmsgs(`${line.from}!${line.from}@${HISTORY_HOST}`, to, line.message, lineTagsOf(line, s.lineTags));
  });
}

/** Runs one page request, or AROUND's two, and sends the lines as one batch. */
async function pages(s: IrcClient, target: string, requests: Extract<ClientAction, { action: 'history' }>[]): Promise<void> {
  const lines: HistoryLine[] = [];
  for (const request of requests) {
    const found = await page(s, request);
    if (found === null) return;
    lines.push(...found);
  }
  s.batch('chathistory', [target], historyLines(s, target, lines));
}

// CHATHISTORY TARGETS <timestamp=> <timestamp=> <limit>: my conversations with lines between the two moments
async function targets(s: IrcClient, m: IrcMessage, limit: number): Promise<void> {
  const [a, b] = [mark(m.params[1]), mark(m.params[2])];
  if (a === null || b === null || !('ts' in a) || !('ts' in b)) return fail(s, 'INVALID_PARAMS', 'TARGETS', 'TARGETS takes two timestamp= bounds');
  const answers = await s.ask({ action: 'conversations', after: a.ts, before: b.ts, limit });
  const found = answers.find((e): e is Answer<'conversations'> => e.action === 'conversations');
  if (!found) return answers.forEach((e) => s.tell(e));
  const lines = [...found.conversations].reverse().map((c) => serializeMessage({ source: s.serverName, verb: 'CHATHISTORY', params: ['TARGETS', c.target, c.ts] }) + '\r\n');
  s.batch('draft/chathistory-targets', [], lines);
}

// CHATHISTORY LATEST|BEFORE|AFTER|AROUND <target> <mark|*> <limit> | BETWEEN <target> <mark> <mark> <limit> | TARGETS <ts> <ts> <limit>
export async function chathistory(s: IrcClient, m: IrcMessage): Promise<void> {
  const sub = m.params[0]!.toUpperCase();
  if (!SUBCOMMANDS.has(sub)) return fail(s, 'INVALID_PARAMS', sub.slice(0, 20), 'Unknown subcommand');
  if (m.params.length < (sub === 'BETWEEN' ? 5 : 4)) return fail(s, 'NEED_MORE_PARAMS', sub.slice(0, 20), 'Missing parameters');
  const limit = Number(m.params.at(-1));
  if (!Number.isInteger(limit) || limit < 0) return fail(s, 'INVALID_PARAMS', sub.slice(0, 20), 'the last parameter is the number of messages wanted');
  // A limit of 0 asks for as many as the server gives (ISUPPORT CHATHISTORY).
  const most = limit === 0 ? {} : { limit };
  if (sub === 'TARGETS') return targets(s, m, limit || Number.MAX_SAFE_INTEGER);
  const target = m.params[1]!;
  const ref = m.params[2]!;
  const at = mark(ref);
  if (at === null && !(sub === 'LATEST' && ref === '*')) return fail(s, 'INVALID_PARAMS', sub, ref.slice(0, 60), 'a message is named by msgid= or timestamp=');
  const base = { action: 'history' as const, target, ...most };
  switch (sub) {
    case 'LATEST':
      return pages(s, target, [{ ...base, newest: true, ...(at ? { after: at } : {}) }]);
    case 'BEFORE':
      return pages(s, target, [{ ...base, before: at!, newest: true }]);
    case 'AFTER':
      return pages(s, target, [{ ...base, after: at! }]);
    case 'AROUND': {
      const half = Math.floor((limit || Number.MAX_SAFE_INTEGER) / 2);
      const before = half > 0 ? [{ ...base, before: at!, newest: true, limit: half }] : [];
      return pages(s, target, [...before, { ...base, after: justBefore(at!), ...(limit ? { limit: limit - half } : {}) }]);
    }
    case 'BETWEEN': {
      const end = mark(m.params[3]);
      if (end === null) return fail(s, 'INVALID_PARAMS', sub, m.params[3]!.slice(0, 60), 'a message is named by msgid= or timestamp=');
      // Counted from the first bound: forwards when it is the earlier one, backwards otherwise.
      const request = ascending(at!, end) ? { ...base, after: at!, before: end } : { ...base, after: end, before: at!, newest: true };
      return pages(s, target, [request]);
    }
  }
}

/** After a JOIN: the channel's last lines for a registered user whose client cannot ask for them (IRC_JOIN_REPLAY). */
export async function joinReplay(s: IrcClient, channel: string): Promise<void> {
  const count = s.shared.config.joinReplay;
  if (count === 0 || s.account === null || s.caps.has('draft/chathistory')) return;
  await pages(s, channel, [{ action: 'history', target: channel, newest: true, limit: count }]);
}

/** What a returning user missed in one conversation, for a client that cannot ask for it: a notice, then the lines with their times. */
function missedReplay(s: IrcClient, event: Answer<'missed'>): void {
  if (s.caps.has('draft/chathistory')) return;
  const target = event.kind === 'direct' ? event.title : s.mirror.get(event.group)?.name;
  if (target === undefined) return;
  s.out.service(`${event.msg}:`);
  s.batch('chathistory', [target], historyLines(s, target, event.lines));
}

/**
 * After the welcome: a registered user is back in the rooms they kept, each a JOIN burst, and
 * shown what they missed there and in their direct conversations (a client with
 * draft/chathistory fetches it itself).
 */
export async function resume(s: IrcClient): Promise<void> {
  for (const e of await s.ask({ action: 'resume' })) {
    if (e.action === 'connect') s.mirror.apply(e);
    else if (e.action === 'missed') missedReplay(s, e);
    else if (e.action !== 'resume') s.tell(e);
  }
}
