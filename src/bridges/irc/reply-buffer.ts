/**
 * Where everything for one IRC client is written: command handlers and hub events alike put
 * messages here, never on the socket, so the client sees them in the order they were caused.
 * Every message is made safe (no line breaks inside) and split to fit 512 bytes as it is
 * written; the connection takes the text once per event-loop turn.
 */
import { serializeMessage, type IrcMessage } from './message.js';
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

export class ReplyBuffer {
  private lines: string[] = [];

  constructor(private readonly owner: BufferOwner) {}

  /** Writes a message; no parameter can end the line early (CR, LF and NUL become spaces). */
  send(message: IrcMessage): void {
    const safe = { ...message, params: message.params.map((p) => p.replace(/[\r\n\0]/g, ' ')) };
    for (const piece of fitLine(safe)) this.lines.push(serializeMessage(piece) + '\r\n');
    this.owner.written();
  }

  /** Lines serialised already (with CR LF), e.g. one chat line shared by many recipients. */
  raw(text: string): void {
    this.lines.push(text);
    this.owner.written();
  }

  numeric(code: string, ...params: string[]): void {
    this.send({ source: this.owner.serverName, verb: code, params: [this.owner.target(), ...params] });
  }

  /** A notice from the server itself (flood, encoding and similar complaints). */
  serverNotice(text: string): void {
    this.send({ source: this.owner.serverName, verb: 'NOTICE', params: [this.owner.target(), text] });
  }

  /** Text from the service `ics`, one notice per line; blank lines inside the text are kept as a space. */
  service(text: string): void {
    const lines = text.split(/\r\n|\r|\n/).map((l) => l.replace(/[\x00\x01]/g, ''));
    while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
    while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
    for (const line of lines) this.send({ source: this.owner.serviceMask, verb: 'NOTICE', params: [this.owner.target(), line === '' ? ' ' : line] });
  }

  /** Everything written since the last call, as one text. */
  take(): string {
    const text = this.lines.join('');
    this.lines = [];
    return text;
  }
}
