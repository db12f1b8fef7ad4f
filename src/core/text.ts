/**
 * User text as the hub keeps and relays it, whatever front it came from. Every front can carry
 * the result and none can mistake it for control data: line breaks are one kind (LF), other
 * control characters become visible symbols (a NUL shows as ␀, ESC as ␛), lone surrogates
 * (which no front can encode) become U+FFFD, and a bidirectional override or isolate left
 * open is closed at the end of its line, so it cannot reorder what a client shows after it.
 * Everything else, zero-width joiners and right-to-left marks included, passes unchanged:
 * scripts and emoji need them.
 */

// CR LF, lone CR, NEL and the Unicode line and paragraph separators are line breaks.
const LINE_BREAKS = /\r\n?|[\u0085\u2028\u2029]/g;
// C0 controls but TAB and LF, DEL, and the C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;
const HAS_BIDI = /[\u202a-\u202e\u2066-\u2069]/;

const PDF = '\u202c';
const PDI = '\u2069';

/** A control character as the symbol that depicts it (U+2400 block), or U+FFFD for C1 controls. */
function picture(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return '\ufffd';
}

/** Closes the embeddings, overrides and isolates a line leaves open (Unicode bidi rules X1-X8). */
function closeBidi(line: string): string {
  if (!HAS_BIDI.test(line)) return line;
  const open: string[] = [];
  for (const [c] of line.matchAll(BIDI)) {
    if (c === PDF) {
      if (open.at(-1) === PDF) open.pop();
    } else if (c === PDI) {
      const at = open.lastIndexOf(PDI);
      if (at >= 0) open.length = at;
    } else {
      open.push(c >= '\u2066' ? PDI : PDF);
    }
  }
  return open.length === 0 ? line : line + open.reverse().join('');
}

/** A chat line: line breaks kept (as LF), every other control made visible, bidi closed per line. */
export function chatText(text: string): string {
  const clean = text.replace(LONE_SURROGATES, '\ufffd').replace(LINE_BREAKS, '\n').replace(CONTROLS, picture);
  return clean.includes('\n') ? clean.split('\n').map(closeBidi).join('\n') : closeBidi(clean);
}

/** Text shown on one line (a topic, a reason): as a chat line, with line breaks as spaces. */
export function lineText(text: string): string {
  return chatText(text).replace(/\n/g, ' ');
}
