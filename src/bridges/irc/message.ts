/**
 * IRC lines as data: one parsed message (tags, source, verb, params) and its serialisation.
 * Pure and byte-agnostic: the line reader hands over decoded text without its CR LF, and the
 * writer appends CR LF. Follows the modern IRC client protocol grammar (tags, `:source`,
 * runs of spaces between atoms, a `:trailing` last parameter).
 */
import { isClientTag } from '../../core/validate.js';

export interface IrcMessage {
  /** IRCv3 message tags; a tag without a value has the value `''`. */
  tags?: Record<string, string>;
  /** The prefix without its colon (`nick!user@host` or a server name). */
  source?: string;
  /** The command or three-digit numeric, as written. */
  verb: string;
  params: string[];
}

const TAG_UNESCAPES: Record<string, string> = { ':': ';', s: ' ', '\\': '\\', r: '\r', n: '\n' };
const TAG_ESCAPES: Record<string, string> = { ';': '\\:', ' ': '\\s', '\\': '\\\\', '\r': '\\r', '\n': '\\n' };

function unescapeTag(value: string): string {
  // A backslash before an unknown character drops the backslash; a lone trailing one is dropped.
  return value.replace(/\\(.?)/gs, (_, c: string) => TAG_UNESCAPES[c] ?? c);
}

function escapeTag(value: string): string {
  return value.replace(/[; \\\r\n]/g, (c) => TAG_ESCAPES[c]!);
}

function parseTags(text: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const item of text.split(';')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    if (key !== '') tags[key] = eq < 0 ? '' : unescapeTag(item.slice(eq + 1));
  }
  return tags;
}

/** Takes the atom up to the next space, skipping the spaces after it. */
function takeAtom(line: string, at: number): [atom: string, next: number] {
  const space = line.indexOf(' ', at);
  if (space < 0) return [line.slice(at), line.length];
  let next = space;
  while (line[next] === ' ') next++;
  return [line.slice(at, space), next];
}

/** Parses one line (without CR LF); null when it holds no command. */
export function parseMessage(line: string): IrcMessage | null {
  let at = 0;
  while (line[at] === ' ') at++;
  const message: IrcMessage = { verb: '', params: [] };
  if (line[at] === '@') {
    const [tags, next] = takeAtom(line, at + 1);
    message.tags = parseTags(tags);
    at = next;
  }
  if (line[at] === ':') {
    const [source, next] = takeAtom(line, at + 1);
    message.source = source;
    at = next;
  }
  const [verb, next] = takeAtom(line, at);
  if (verb === '') return null;
  message.verb = verb;
  at = next;
  while (at < line.length) {
    if (line[at] === ':') {
      message.params.push(line.slice(at + 1));
      break;
    }
    const [param, after] = takeAtom(line, at);
    message.params.push(param);
    at = after;
  }
  return message;
}

/**
 * Serialises a message without CR LF. The last parameter is always written as a trailing
 * parameter (`:text`), which every client reads and which keeps spaces and empty text intact;
 * the other parameters must be non-empty, hold no space and not start with a colon.
 */
export function serializeMessage(message: IrcMessage): string {
  // Built by concatenation: this runs for every line sent, and an array of parts joined cost
  // several times the line in garbage.
  let line = '';
  if (message.tags) {
    const tags = Object.entries(message.tags).map(([k, v]) => (v === '' ? k : `${k}=${escapeTag(v)}`));
    if (tags.length > 0) line = '@' + tags.join(';') + ' ';
  }
  if (message.source !== undefined) line += ':' + message.source + ' ';
  line += message.verb;
  const { params } = message;
  for (let i = 0; i < params.length; i++) line += (i === params.length - 1 ? ' :' : ' ') + params[i]!;
  return line;
}

/** A serialised line (with or without its CR LF) with more tags, put before any it has. */
export function withTags(line: string, tags: Record<string, string>): string {
  const added = Object.entries(tags)
    .map(([k, v]) => (v === '' ? k : `${k}=${escapeTag(v)}`))
    .join(';');
  if (added === '') return line;
  return line.startsWith('@') ? `@${added};${line.slice(1)}` : `@${added} ${line}`;
}

/** The most bytes the client-only tags of one message may take (IRCv3 message-tags). */
const CLIENT_TAG_BYTES = 4094;

/** The message's client-only tags (`+name`), to pass on; undefined when it has none or too many bytes of them. */
export function clientTags(message: IrcMessage): Record<string, string> | undefined {
  if (message.tags === undefined) return undefined;
  let found: Record<string, string> | undefined;
  let bytes = 0;
  for (const [key, value] of Object.entries(message.tags)) {
    if (!isClientTag(key)) continue;
    bytes += Buffer.byteLength(key) + Buffer.byteLength(escapeTag(value)) + 2;
    (found ??= {})[key] = value;
  }
  return bytes > CLIENT_TAG_BYTES ? undefined : found;
}
