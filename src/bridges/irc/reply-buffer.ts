/**
 * Where everything for one IRC client is written: command handlers and hub events alike put
 * messages here, never on the socket, so the client sees them in the order they were caused.
 * Every message is made safe (no line breaks inside) and split to fit 512 bytes as it is
 * written; the connection takes the text once per event-loop turn. While a labelled command
 * runs, what it writes is held apart (`capture`) so that it can be labelled as its reply; pushes
 * from the hub meanwhile (`asPush`) go out as they come. The notices answering a command typed
 * in a channel go to that channel (`answeringIn`), where the user is looking.
 */
import { serializeMessage, withTags, type IrcMessage } from './message.js';
import { MAX_LINE_BYTES } from './line-reader.js';
import { fitLine } from './text.js';

export interface BufferOwner {
  /** The server's name, the source of numerics and server notices. */
  readonly serverName: string;
  /** The mask of the service user `ics`. */
  readonly serviceMask: string;
  /** Whom numerics address: the nick once registered, `*` before. */
  target(): string;
  /** Called after each write so the owner can schedule a flush. */
  written(): void;
}

const UNSAFE = /[\r\n\0]/;

/** A UTF-16 code unit takes at most 3 bytes of UTF-8: a line this short fits without being measured. */
const SURELY_FITS = Math.floor(MAX_LINE_BYTES / 3);

/**
 * The message as one line with CR LF when it is safe and fits as it is, as most are (a welcome
 * is some 25 of them, at every registration); null otherwise. Made with as little garbage as
 * can be: no arrays, and the line is measured only when it could be too long.
 */
function oneLine(message: IrcMessage): string | null {
  if (message.tags !== undefined) return null;
  for (const p of message.params) if (UNSAFE.test(p)) return null;
  const line = serializeMessage(message);
  if (line.length > SURELY_FITS && Buffer.byteLength(line, 'utf8') > MAX_LINE_BYTES) return null;
  return line + '\r\n';
}

/** A message's lines as written: safe (no line breaks inside) and split to fit, each with CR LF. */
function serialized(message: IrcMessage): string[] {
  const line = oneLine(message);
  return line !== null ? [line] : fitted(message);
}

/** The lines of a message that is not safe or does not fit as it is. */
function fitted(message: IrcMessage): string[] {
  const safe = { ...message, params: message.params.map((p) => p.replace(/[\r\n\0]/g, ' ')) };
  return fitLine(safe).map((piece) => serializeMessage(piece) + '\r\n');
}

/** The last message `sendCommon` made, and its lines: the members of a channel are sent the same JOIN, PART, QUIT or KICK one after another. */
let common: { key: string; lines: string[] } | null = null;

export class ReplyBuffer {
  /** What waits for the next write; none while idle. */
  private lines: string[] | null = null;
  /** The reply of the labelled command under way, when there is one. */
  private captured: string[] | null = null;
  private pushing = false;
  /** The channel a command under way was typed in: the service's answers to it go there. */
  private window: string | null = null;

  constructor(private readonly owner: BufferOwner) {}

  private push(line: string): void {
    if (this.captured !== null && !this.pushing) this.captured.push(line);
    else (this.lines ??= []).push(line);
    this.owner.written();
  }

  /** Holds what is written from now on apart, as the reply of a labelled command. */
  capture(): void {
    this.captured = [];
  }

  /** Ends the capture: the lines written since `capture`, one per entry (with CR LF). */
  captures(): string[] {
    const lines = (this.captured ?? []).flatMap((text) => text.split(/(?<=\r\n)/));
    this.captured = null;
    return lines;
  }

  /**
   * Writes what `write` writes (given `arg`, called on `self`) as pushes, never as the reply of a
   * command under way. `self` lets a session pass a method of its own for every hub event, where
   * a closure would cost each connection one held for its whole life.
   */
  asPush<A, T = undefined>(write: (this: T, arg: A) => void, arg: A, self?: T): void {
    const was = this.pushing;
    this.pushing = true;
    try {
      write.call(self as T, arg);
    } finally {
      this.pushing = was;
    }
  }

  /** Runs a command typed in channel `window`: the notices answering it (not pushes) are shown there, not in the service's window. */
  async answeringIn(window: string, run: () => Promise<void>): Promise<void> {
    const was = this.window;
    this.window = window;
    try {
      await run();
    } finally {
      this.window = was;
    }
  }

  /** Whom a notice answering the command under way goes to. */
  private noticeTarget(): string {
    return this.window !== null && !this.pushing ? this.window : this.owner.target();
  }

  /** Writes a message; no parameter can end the line early (CR, LF and NUL become spaces). */
  send(message: IrcMessage): void {
    const line = oneLine(message);
    if (line !== null) return this.push(line);
    for (const piece of fitted(message)) this.push(piece);
  }

  /**
   * As `send`, for a message without tags that many clients are sent in a row (a JOIN, PART,
   * QUIT or KICK as a room's members see it): made once while the same message follows, not
   * once per member.
   */
  sendCommon(message: IrcMessage): void {
    const key = `${message.source ?? ''}\n${message.verb}\n${message.params.join('\n')}`;
    if (common?.key !== key) common = { key, lines: serialized(message) };
    for (const line of common.lines) this.push(line);
  }

  /** Lines serialised already (with CR LF), e.g. one chat line shared by many recipients. */
  raw(text: string): void {
    this.push(text);
  }

  /** Writes lines serialised already, each given the tags (a label, a batch). */
  tagged(lines: readonly string[], tags: Record<string, string>): void {
    for (const line of lines) this.push(withTags(line, tags));
  }

  numeric(code: string, ...params: string[]): void {
    this.send({ source: this.owner.serverName, verb: code, params: [this.owner.target(), ...params] });
  }

  /** A notice from the server itself (flood, encoding and similar complaints). */
  serverNotice(text: string): void {
    this.send({ source: this.owner.serverName, verb: 'NOTICE', params: [this.noticeTarget(), text] });
  }

  /** Text from the service `ics`, one notice per line, to `to` (the user, or the channel a command was typed in or names); blank lines inside the text are kept as a space. */
  service(text: string, to = this.noticeTarget()): void {
    const lines = text.split(/\r\n|\r|\n/).map((l) => l.replace(/[\x00\x01]/g, ''));
    while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
    while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
    for (const line of lines) this.send({ source: this.owner.serviceMask, verb: 'NOTICE', params: [to, line === '' ? ' ' : line] });
  }

  /** Everything written since the last call, as one text. */
  take(): string {
    const text = this.lines?.join('') ?? '';
    this.lines = null;
    return text;
  }
}
