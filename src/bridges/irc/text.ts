/**
 * Text crossing the IRC boundary. Into the chat: IRC formatting codes and control characters
 * go (other fronts would print them raw). Out to IRC: text from any front can never become
 * IRC control data (no CR, LF, NUL or CTCP marker survives), and long text is split on UTF-8
 * character boundaries so every line fits the 512-byte limit.
 */
import { serializeMessage, type IrcMessage } from './message.js';
import { MAX_LINE_BYTES } from './line-reader.js';

// Bold, italics, underline, strikethrough, monospace, reverse, reset; colours with their digits.
const FORMATTING = /\x03(?:\d{1,2}(?:,\d{1,2})?)?|\x04(?:[0-9a-fA-F]{6}(?:,[0-9a-fA-F]{6})?)?|[\x02\x0f\x11\x16\x1d\x1e\x1f]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0a-\x1f\x7f]/g;

/** Chat text from an IRC user: formatting codes and control characters removed, tabs as spaces. */
export function plainText(text: string): string {
  return text.replace(FORMATTING, '').replace(/\t/g, ' ').replace(CONTROLS, '');
}

/** Text from another front as IRC lines: one per line of the text, with no control data left. */
export function safeLines(text: string): string[] {
  const lines = text
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/[\x00\x01]/g, ''))
    .filter((line) => line.trim() !== '');
  return lines.length > 0 ? lines : [''];
}

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * Cuts text into pieces of at most `maxBytes` UTF-8 bytes, never inside a character, at the last
 * space of a piece when there is one in its second half (that space is dropped).
 */
export function splitBytes(text: string, maxBytes: number): string[] {
  if (utf8(text) <= maxBytes) return [text];
  const pieces: string[] = [];
  let rest = text;
  while (utf8(rest) > maxBytes) {
    let end = 0;
    let bytes = 0;
    for (const char of rest) {
      const size = utf8(char);
      if (bytes + size > maxBytes) break;
      bytes += size;
      end += char.length;
    }
    const space = rest.lastIndexOf(' ', end);
    const cut = space > end / 2 ? space : end;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut === space ? cut + 1 : cut);
  }
  pieces.push(rest);
  return pieces;
}

/** The message once per piece of its last parameter, so each line fits 512 bytes with CR LF (tags aside). */
export function fitLine(message: IrcMessage): IrcMessage[] {
  const params = message.params;
  if (params.length === 0) return [message];
  const head = params.slice(0, -1);
  const overhead = utf8(serializeMessage({ ...(message.source !== undefined ? { source: message.source } : {}), verb: message.verb, params: [...head, ''] }));
  const budget = Math.max(MAX_LINE_BYTES - overhead, 32);
  const pieces = splitBytes(params.at(-1)!, budget);
  return pieces.length === 1 ? [message] : pieces.map((piece) => ({ ...message, params: [...head, piece] }));
}
