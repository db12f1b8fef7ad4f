/** Library actions: sonnets by number, sonnet lines by words, and the session's own history. */
import { classicHistoryLine, omittedLine } from '../classic.js';
import { HistoryUnavailable, type SearchPage } from '../history.js';
import type { ClientAction, HistoryLine, ServerEvent } from '../protocol.js';
import { asciiString } from '../pyjson.js';
import { parseSearchQuery } from '../search-query.js';
import { poemText } from '../sonnets.js';
import type { OnlineContext } from './context.js';

/** A serialised search reply must fit one classic frame (99,999 characters) with room to spare. */
const SEARCH_BUDGET = 90_000;

// poem <n>: sonnet n, 1..154, as a number or a Roman numeral
export function poem(ctx: OnlineContext, { target }: Extract<ClientAction, { action: 'poem' }>): void {
  const { hub } = ctx;
  const found = hub.sonnets.resolve(target);
  if (!found.ok) return ctx.reply({ action: 'poem', results: '', msg: found.msg });
  ctx.reply({ action: 'poem', results: poemText(found.sonnet), poem: found.sonnet });
}

// sonnets <words>: the sonnet lines holding every word
export function sonnets(ctx: OnlineContext, { target }: Extract<ClientAction, { action: 'sonnets' }>): void {
  const { hub } = ctx;
  const { hits, total } = hub.sonnets.search(target, hub.limits.sonnetHits);
  const lines = hits.map((h) => `Sonnet ${h.number} (${h.title}) line ${h.line}: ${h.text}`);
  if (total > hits.length) lines.push(`(${total - hits.length} more lines not shown)`);
  const msg = total === 0 ? `no sonnet line holds ${JSON.stringify(target.trim().slice(0, 60))}` : undefined;
  ctx.reply({ action: 'sonnets', results: lines.join('\n'), matches: hits, ...(msg ? { msg } : {}) });
}

/** What a search answers while the history cannot be read. */
export const SEARCH_UNAVAILABLE = 'your history cannot be searched right now: the server cannot use its database; try again later';

// search <terms>: my own history in every group I was in, every word (or "quoted phrase") must match;
// a many-group client sees each line's group named, the classic view the classic line
export function search(ctx: OnlineContext, { target }: Extract<ClientAction, { action: 'search' }>): void {
  const { hub, me } = ctx;
  hub.flushLines();
  const started = performance.now();
  let page: SearchPage;
  try {
    page = hub.history.search(me.historyKey, parseSearchQuery(target), hub.limits.searchResults);
  } catch (err) {
    if (!(err instanceof HistoryUnavailable)) throw err;
    hub.log.error('history search failed', { user: me.name, err: err.message });
    return ctx.fail('unavailable', SEARCH_UNAVAILABLE);
  }
  hub.observer.searched((performance.now() - started) / 1000);
  ctx.reply(searchReply(page, me.rooms));
}

/**
 * The reply to a search that found `page`: the newest matches that fit one classic frame, each as
 * the classic history line (named by its group for a client that shows `rooms`), and a line
 * saying how many were left out. A node that searches PostgreSQL itself answers with it too.
 */
export function searchReply(page: SearchPage, rooms: boolean): Extract<ServerEvent, { action: 'search' }> {
  const kept: { text: string; match: HistoryLine }[] = [];
  let budget = SEARCH_BUDGET;
  for (let i = page.lines.length - 1; i >= 0; i--) {
    const line = page.lines[i]!;
    const ts = new Date(line.ts);
    const text = classicHistoryLine(ts, rooms ? `${line.label} ${line.sender}` : line.sender, line.text);
    budget -= asciiString(text).length + asciiString(line.text).length + asciiString(line.sender).length + asciiString(line.label).length + 100;
    if (budget < 0) break;
    kept.push({ text, match: { id: line.id, group: line.group, seq: line.seq, label: line.label, from: line.sender, message: line.text, ts: ts.toISOString() } });
  }
  kept.reverse();
  const omitted = page.total - kept.length;
  const texts = kept.map((k) => k.text);
  if (omitted > 0) texts.push(omittedLine(omitted, page.more === true));
  return { action: 'search', results: texts.join('\n'), matches: kept.map((k) => k.match), omitted, ...(page.more && { more: page.more }) };
}
