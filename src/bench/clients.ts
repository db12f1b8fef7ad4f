/**
 * The load generator's clients, one per protocol: native (classic frames), IRC and WebSocket.
 * Each logs in, joins its group, sends batches of chat lines in one write, and reports the
 * send timestamp embedded at the start of every chat line it receives. Receiving is parsed
 * just enough to find that timestamp: the generator must not be the bottleneck.
 */
import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import { encodeFrame, FrameDecoder } from '../core/framing.js';
import { LineSplitter, openSocket, openWebSocket, waitFor } from './wire.js';

export type Protocol = 'native' | 'irc' | 'ws';

export interface Target {
  protocol: Protocol;
  host: string;
  port: number;
}

export interface BenchClient {
  readonly name: string;
  /** Connects and logs in; resolves once the server accepted the name. */
  login(): Promise<void>;
  /** Joins the group: `leader` is the group's first member (native/ws connect to them; IRC joins `room`). */
  join(room: string, leader: string | null): Promise<void>;
  /** Sends chat lines in one write. */
  send(lines: readonly string[]): void;
  close(): void;
}

/** Called with the send timestamp (performance.now() of the sender) of each chat line received. */
export type OnLine = (sentAt: number) => void;

const TS_WIDTH = 14;

/** A chat line: the send time, fixed width, then padding text up to about `bytes`. */
export function benchLine(now: number, bytes: number): string {
  const ts = now.toFixed(3).padStart(TS_WIDTH, '0');
  return ts + ' ' + 'the quick brown fox jumps over the lazy dog again and again and again'.slice(0, Math.max(0, bytes - TS_WIDTH - 1));
}

function readTs(text: string, at: number): number {
  return Number(text.slice(at, at + TS_WIDTH));
}

const MESSAGE_KEY = /"message": ?"/g;

class NativeClient implements BenchClient {
  private socket!: Socket;
  private readonly decoder = new FrameDecoder();
  private waiting: ((frame: string) => boolean) | null = null;

  constructor(readonly name: string, private readonly target: Target, private readonly onLine: OnLine) {}

  async login(): Promise<void> {
    this.socket = await openSocket(this.target);
    this.socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk).frames) this.frame(frame);
    });
    this.socket.on('error', () => undefined);
    await this.request({ action: 'login', name: this.name }, (f) => f.includes('"login"') && f.includes('"ok"'));
  }

  private frame(text: string): void {
    if (text.startsWith('{"action": "exchange"')) {
      MESSAGE_KEY.lastIndex = 0;
      if (MESSAGE_KEY.exec(text)) this.onLine(readTs(text, MESSAGE_KEY.lastIndex));
      return;
    }
    if (this.waiting?.(text)) this.waiting = null;
  }

  private request(action: object, done: (frame: string) => boolean): Promise<void> {
    return waitFor(`a reply to ${JSON.stringify(action)} for ${this.name}`, 30_000, (resolve) => {
      this.waiting = (f) => (done(f) ? (resolve(), true) : false);
      this.socket.write(encodeFrame(JSON.stringify(action)));
    });
  }

  async join(_room: string, leader: string | null): Promise<void> {
    if (leader === null) return;
    await this.request({ action: 'connect', target: leader }, (f) => f.includes('"connect"') && f.includes('"success"'));
  }

  send(lines: readonly string[]): void {
    this.socket.write(Buffer.concat(lines.map((message) => encodeFrame(JSON.stringify({ action: 'exchange', message })))));
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The IRC client, which alone can be in several rooms at once (the flat-cost scenarios' rooms). */
export class IrcClient implements BenchClient {
  private socket!: Socket;
  private readonly lines = new LineSplitter((line) => this.line(line));
  private room = '';
  private waiting: ((line: string) => boolean) | null = null;

  constructor(readonly name: string, private readonly target: Target, private readonly onLine: OnLine) {}

  async login(): Promise<void> {
    this.socket = await openSocket(this.target);
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => this.lines.push(chunk));
    this.socket.on('error', () => undefined);
    await waitFor<void>(`registration of ${this.name}`, 30_000, (resolve, reject) => {
      this.waiting = (line) => {
        if (/^:\S+ 001 /.test(line)) return resolve(), true;
        if (/^:\S+ 4\d\d /.test(line) || line.startsWith('ERROR')) return reject(new Error(`${this.name}: ${line}`)), true;
        return false;
      };
      this.socket.write(`NICK ${this.name}\r\nUSER ${this.name} 0 * :bench\r\n`);
    });
  }

  private line(line: string): void {
    const privmsg = line.indexOf(' PRIVMSG ');
    if (privmsg > 0) {
      const colon = line.indexOf(' :', privmsg + 9);
      if (colon > 0) this.onLine(readTs(line, colon + 2));
      return;
    }
    if (line.startsWith('PING')) {
      this.socket.write(`PONG${line.slice(4)}\r\n`);
      return;
    }
    if (this.waiting?.(line)) this.waiting = null;
  }

  async join(room: string): Promise<void> {
    this.room = room;
    await waitFor<void>(`${this.name} joining ${room}`, 30_000, (resolve, reject) => {
      this.waiting = (line) => {
        if (/^:\S+ 366 /.test(line)) return resolve(), true;
        if (/^:\S+ 4\d\d /.test(line)) return reject(new Error(`${this.name}: ${line}`)), true;
        return false;
      };
      this.socket.write(`JOIN ${room}\r\n`);
    });
  }

  send(lines: readonly string[]): void {
    this.sendTo(this.room, lines);
  }

  /** Sends chat lines to a channel this client joined, in one write. */
  sendTo(room: string, lines: readonly string[]): void {
    this.socket.write(lines.map((l) => `PRIVMSG ${room} :${l}\r\n`).join(''));
  }

  close(): void {
    this.socket.destroy();
  }
}

class WsClient implements BenchClient {
  private ws!: WebSocket;
  private waiting: ((text: string) => boolean) | null = null;

  constructor(readonly name: string, private readonly target: Target, private readonly onLine: OnLine) {}

  async login(): Promise<void> {
    this.ws = await openWebSocket(this.target);
    this.ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text.includes('"action":"exchange"') || text.includes('"action": "exchange"')) {
        MESSAGE_KEY.lastIndex = 0;
        if (MESSAGE_KEY.exec(text)) this.onLine(readTs(text, MESSAGE_KEY.lastIndex));
        return;
      }
      if (this.waiting?.(text)) this.waiting = null;
    });
    await this.request({ action: 'login', name: this.name }, (t) => t.includes('"login"') && t.includes('"ok"'));
  }

  private request(action: object, done: (text: string) => boolean): Promise<void> {
    return waitFor(`a reply to ${JSON.stringify(action)} for ${this.name}`, 30_000, (resolve) => {
      this.waiting = (t) => (done(t) ? (resolve(), true) : false);
      this.ws.send(JSON.stringify(action));
    });
  }

  async join(_room: string, leader: string | null): Promise<void> {
    if (leader === null) return;
    await this.request({ action: 'connect', target: leader }, (t) => t.includes('"connect"') && t.includes('"success"'));
  }

  send(lines: readonly string[]): void {
    for (const message of lines) this.ws.send(JSON.stringify({ action: 'exchange', message }));
  }

  close(): void {
    this.ws.terminate();
  }
}

export function makeClient(name: string, target: Target, onLine: OnLine): BenchClient {
  switch (target.protocol) {
    case 'native':
      return new NativeClient(name, target, onLine);
    case 'irc':
      return new IrcClient(name, target, onLine);
    case 'ws':
      return new WsClient(name, target, onLine);
  }
}
