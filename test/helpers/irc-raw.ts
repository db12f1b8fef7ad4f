/**
 * A bare IRC client over a real socket for protocol tests: writes raw lines, records every line
 * the server sends, and waits (with a deadline) for lines matching a pattern.
 */
import { connect, type Socket } from 'node:net';
import { waitFor } from './wait.js';

export class RawIrc {
  readonly lines: string[] = [];
  private partial = '';
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      const parts = (this.partial + text).split('\r\n');
      this.partial = parts.pop()!;
      this.lines.push(...parts);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => (this.closed = true));
  }

  static async open(port: number): Promise<RawIrc> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawIrc(socket);
  }

  /** Connects and registers as `nick`, and consumes the whole welcome. */
  static async register(port: number, nick: string, caps: string[] = []): Promise<RawIrc> {
    const c = await RawIrc.open(port);
    if (caps.length > 0) c.send('CAP LS 302', `CAP REQ :${caps.join(' ')}`);
    c.send(`NICK ${nick}`, `USER ${nick} 0 * :${nick} tester`);
    if (caps.length > 0) c.send('CAP END');
    await c.expect(/ 001 /);
    await c.expect(/^:ics!\S+ NOTICE \S+ :Hi /);
    await c.sync();
    return c;
  }

  send(...lines: string[]): void {
    this.socket.write(lines.map((l) => l + '\r\n').join(''));
  }

  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** The next unconsumed line matching `pattern`; lines skipped over stay unconsumed. */
  async expect(pattern: RegExp, timeoutMs = 5000): Promise<string> {
    return waitFor(`a line matching ${pattern}`, () => {
      const at = this.lines.findIndex((l) => pattern.test(l));
      if (at < 0) return undefined;
      const [line] = this.lines.splice(at, 1);
      return line!;
    }, timeoutMs);
  }

  /** Consumes and returns every line up to and including the PONG for a fresh PING: all earlier output has arrived. */
  async sync(): Promise<string[]> {
    const token = `sync-${Math.random().toString(36).slice(2)}`;
    this.send(`PING ${token}`);
    const at = await waitFor(`the PONG ${token}`, () => {
      const i = this.lines.findIndex((l) => l.endsWith(`:${token}`));
      return i < 0 ? undefined : i + 1;
    });
    return this.lines.splice(0, at).slice(0, -1);
  }

  async waitClosed(timeoutMs = 5000): Promise<void> {
    await waitFor('the connection to close', () => this.closed, timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }
}
