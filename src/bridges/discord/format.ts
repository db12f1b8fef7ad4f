/**
 * Outbound text for Discord: relayed text is escaped so it shows exactly as typed (no markdown,
 * no mention pills, no masked links), and long text is split under Discord's 2000-character
 * limit without cutting an escape, a surrogate pair or, where possible, a word.
 */

/** Discord's limit on a message's content. */
export const MESSAGE_LIMIT = 2000;

const URL_RE = /https?:\/\/[^\s<]+[^<.,:;"')\]\s]/g;
/** Characters that start markdown anywhere in a line. */
const INLINE_RE = /[\\*_~`|[\]<]/g;
/** Block syntax at the start of a line: quotes, headings, subtext, lists. */
const LINE_START_RE = /^(\s*)([>#+-]|\d+(?=[.)]))/gm;

function escapePlain(text: string): string {
  return text.replace(INLINE_RE, '\\$&').replace(LINE_START_RE, (_m, space: string, mark: string) => (/\d/.test(mark) ? `${space}${mark}\\` : `${space}\\${mark}`));
}

/** Escapes markdown in text set inside a sentence (a name, a quoted term): no line starts there. */
export function escapeInline(text: string): string {
  return text.replace(INLINE_RE, '\\$&');
}

/** Escapes Discord markdown so the text shows as typed; links stay clickable. */
export function escapeMarkdown(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    out += escapePlain(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + escapePlain(text.slice(last));
}

/** Where to cut `text` at or before `limit` UTF-16 units: never inside an escape or a surrogate pair. */
function safeCut(text: string, limit: number): number {
  let cut = limit;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  let backslashes = 0;
  while (cut - 1 - backslashes >= 0 && text[cut - 1 - backslashes] === '\\') backslashes++;
  if (backslashes % 2 === 1) cut--;
  return cut;
}

/**
 * Splits text into pieces of at most `limit` characters, cutting at the last newline or space
 * of each window when there is one (that character is dropped), otherwise anywhere safe.
 */
export function splitMessage(text: string, limit: number = MESSAGE_LIMIT): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    let at = window.lastIndexOf('\n');
    if (at <= 0) at = window.lastIndexOf(' ');
    if (at > 0 && rest[at - 1] !== '\\') {
      pieces.push(rest.slice(0, at));
      rest = rest.slice(at + 1);
    } else {
      const cut = safeCut(rest, limit);
      pieces.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
  }
  pieces.push(rest);
  return pieces.filter((p) => p.trim() !== '');
}

/** A relayed line as Discord shows it: text that would be blank on its own becomes a visible marker. */
export function visible(text: string): string {
  return text.trim() === '' ? '*(blank line)*' : text;
}

/** Webhook names may not contain these (Discord refuses the message). */
const WEBHOOK_NAME_FORBIDDEN = /discord|clyde/i;

/** The name a relayed sender is shown under through a webhook, or null when Discord would refuse it. */
export function webhookName(name: string, front: string): string | null {
  const label = `${name} (${front})`;
  return WEBHOOK_NAME_FORBIDDEN.test(label) || label.length > 80 ? null : label;
}

/** The bold prefix that names a relayed sender when no webhook can. */
export function senderPrefix(name: string, front: string): string {
  return `**[${escapeInline(name)} (${front})]** `;
}

/** The bold prefix of a private line to the reader from someone (`[bob (tcp) → you]`). */
export function privatePrefix(name: string, front: string): string {
  return `**[${escapeInline(name)} (${front}) → you]** `;
}
