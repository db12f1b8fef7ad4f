/**
 * The IRCv3 tags a chat line carries, per client: which ones a client took (LineTag bits, kept
 * from its capabilities) and their values for one stored line; a line's `msgid` names its group
 * and its seq there.
 */

/**
 * Tags of a chat line, as bits: the time it was said (`server-time`), its id (`msgid`, with
 * `message-tags`, which also passes on the sender's client-only tags), the sender's account
 * (`account-tag`, when they hold one).
 */
export const LineTag = { time: 1, msgid: 2, account: 4 } as const;

/** A stored line's IRC message id: its group and its seq there, stable across restarts. */
export const msgidOf = (group: number, seq: number): string => `${group}-${seq}`;

/** The group and seq a message id names, or null when it is none of ours. */
export function parseMsgid(id: string): { group: number; seq: number } | null {
  const m = /^(\d{1,15})-(\d{1,15})$/.exec(id);
  return m ? { group: Number(m[1]), seq: Number(m[2]) } : null;
}

/** The tags a line with this group, seq and time carries under `mask` (LineTag bits). */
export function lineTagsOf(line: { group: number; seq: number; ts: string; account?: string; tags?: Record<string, string> }, mask: number): Record<string, string> | undefined {
  if (mask === 0) return undefined;
  const tags: Record<string, string> = {};
  if (mask & LineTag.time) tags['time'] = line.ts;
  if (mask & LineTag.msgid) {
    tags['msgid'] = msgidOf(line.group, line.seq);
    // Client-only tags go to clients that take message-tags, as they came.
    if (line.tags) Object.assign(tags, line.tags);
  }
  if (mask & LineTag.account && line.account !== undefined) tags['account'] = line.account;
  return tags;
}
