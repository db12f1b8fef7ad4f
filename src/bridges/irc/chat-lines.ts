/**
 * A chat line as IRC text: PRIVMSGs from the sender's mask, split to fit 512 bytes, tagged as the
 * client negotiated. A channel line is serialised once per set of tags and shared by every
 * member it reaches (the fan-out's hot path).
 */
import type { ServerEvent } from '../../core/protocol.js';
import { lineTagsOf } from './line-tags.js';
import { MAX_LINE_BYTES } from './line-reader.js';
import { serializeMessage, type IrcMessage } from './message.js';
import { fitLine, safeLines } from './text.js';

/** One chat line's IRC text, serialised once per set of tags and shared by every recipient. */
const sharedLines = new WeakMap<ServerEvent, (string | undefined)[]>();

export type LineEvent = Extract<ServerEvent, { action: 'exchange' }>;

/** A line's text as PRIVMSGs from `source` to `target`, split to fit, each with the tags. */
export function privmsgs(source: string, target: string, text: string, tags: Record<string, string> | undefined): string {
  let out = '';
  for (const line of safeLines(text)) {
    const message: IrcMessage = { source, verb: 'PRIVMSG', params: [target, line] };
    const whole = serializeMessage(message);
    // A line that fits, as most do, is serialised once; only a longer one is measured and split.
    if (Buffer.byteLength(whole) <= MAX_LINE_BYTES) out += `${tags ? serializeMessage({ ...message, tags }) : whole}\r\n`;
    else for (const m of fitLine(message)) out += `${serializeMessage(tags ? { ...m, tags } : m)}\r\n`;
  }
  return out;
}

export function serialize(event: LineEvent, source: string, target: string, tags: number): string {
  return privmsgs(source, target, event.message, lineTagsOf(event, tags));
}

/** Whose masks a line's source is made from (the front's shared idents). */
export interface MaskSource {
  maskOf(name: string, front: string): string;
}

/** A channel line as every member with the same tags gets it, made (its source mask too) once per line and tag set. */
export function chatLines(event: LineEvent, masks: MaskSource, channel: string, tags: number): string {
  let cached = sharedLines.get(event);
  if (!cached) sharedLines.set(event, (cached = []));
  return (cached[tags] ??= serialize(event, masks.maskOf(event.name, event.front), channel, tags));
}
