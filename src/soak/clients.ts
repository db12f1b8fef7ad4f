/**
 * The soak's users, one kind per front. Unlike the benchmark's clients they read everything the
 * server says: each keeps its own view of its group from the events it hears (the barrier the
 * churn waits on), hands every chat line to the ledger, and reports any error event, unexpected
 * event or unexpected disconnect as a problem. The native and web clients share one JSON client;
 * the IRC client is in irc-client.ts.
 */
import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import { encodeFrame, FrameDecoder } from '../core/framing.js';
import type { ClientAction, ServerEvent } from '../core/protocol.js';
import { openSocket, openWebSocket, waitFor, type Endpoint } from '../bench/wire.js';
import type { ProblemKind } from './problems.js';

export type SoakFront = 'tcp' | 'irc' | 'web';

/** What a client tells the soak. */
export interface SoakHooks {
  /** A chat line reached `receiver`: its sender and front as the server gave them. */
  line(receiver: string, from: string, front: string, message: string): void;
  problem(kind: ProblemKind, who: string, detail: string): void;
}

export interface SoakClient {
  readonly name: string;
  readonly front: SoakFront;
  /** The members of this client's group as the server has told it, itself included; empty when in none. */
  readonly members: ReadonlySet<string>;
  /** Connects and logs in (IRC: registers). */
  login(): Promise<void>;
  /** Opens or joins a room. */
  joinRoom(room: string): Promise<void>;
  /** Connects to a user: forms a group with them, or joins theirs. */
  connectTo(peer: string): Promise<void>;
  say(message: string): void;
  /** Leaves the group (`bye`); the others hear of it, the leaver's view empties. */
  leave(): void;
  /** Searches the user's history; resolves with the matching lines' text. */
  search(word: string): Promise<string[]>;
  /** Asks for sonnet `n`; resolves with its title. */
  poem(n: number): Promise<string>;
  /** Closes the connection on purpose (IRC: QUIT). */
  logout(): void;
}

/** How long one request may wait for its answer on a loaded machine. */
export const REPLY_MS = 30_000;

interface Pending {
  what: string;
  take(event: ServerEvent): boolean;
  fail(error: Error): void;
}

/** The native and web clients: the same JSON actions and events, over frames or WebSocket messages. */
abstract class JsonClient implements SoakClient {
  abstract readonly front: SoakFront;
  members: ReadonlySet<string> = new Set();
  private pending: Pending | null = null;
  /** Requests wait their turn: each reply is matched to the one request outstanding. */
  private queue: Promise<unknown> = Promise.resolve();
  protected closing = false;

  constructor(
    readonly name: string,
    protected readonly target: Endpoint,
    protected readonly hooks: SoakHooks,
  ) {}

  protected abstract open(): Promise<void>;
  protected abstract write(action: ClientAction): void;
  protected abstract close(): void;

  protected text(text: string): void {
    let event: ServerEvent;
    try {
      event = JSON.parse(text) as ServerEvent;
    } catch {
      return this.hooks.problem('protocol', this.name, `not JSON: ${text.slice(0, 120)}`);
    }
    this.event(event);
  }

  protected dropped(why: string): void {
    if (!this.closing) this.hooks.problem('disconnect', this.name, why);
    this.closing = true;
    this.pending?.fail(new Error(`${this.name} was disconnected`));
    this.pending = null;
  }

  private event(event: ServerEvent): void {
    if (event.action === 'exchange') return this.hooks.line(this.name, event.name, event.front, event.message);
    if (event.action === 'error') this.hooks.problem('error', this.name, `${event.code}: ${event.msg}`);
    if (this.pending?.take(event)) {
      this.pending = null;
      return;
    }
    switch (event.action) {
      case 'connect':
        // A large group's notice names only who came (or went, below).
        if (event.status === 'request') this.members = new Set(event.members?.map((m) => m.name) ?? [...this.members, event.from]);
        else this.hooks.problem('protocol', this.name, `connect ${event.status} nobody asked for`);
        return;
      case 'leave':
        this.members = new Set(event.members?.map((m) => m.name) ?? [...this.members].filter((n) => n !== event.name));
        return;
      case 'disconnect':
        this.members = new Set();
        return;
      case 'error':
        return;
      default:
        this.hooks.problem('protocol', this.name, `unexpected ${event.action} event`);
    }
  }

  private request<T>(action: ClientAction, what: string, answer: (event: ServerEvent) => T | undefined): Promise<T> {
    const run = (): Promise<T> =>
      waitFor<T>(`${what} for ${this.name}`, REPLY_MS, (resolve, reject) => {
        if (this.closing) return reject(new Error(`${this.name} is closed`));
        this.pending = {
          what,
          take: (event) => {
            if (event.action === 'error') return reject(new Error(`${what} for ${this.name}: ${event.code}`)), true;
            const value = answer(event);
            return value === undefined ? false : (resolve(value), true);
          },
          fail: reject,
        };
        this.write(action);
      }).finally(() => {
        if (this.pending?.what === what) this.pending = null;
      });
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async login(): Promise<void> {
    await this.open();
    const status = await this.request({ action: 'login', name: this.name, features: ['events'] }, 'login', (e) => (e.action === 'login' ? e.status : undefined));
    if (status !== 'ok') throw new Error(`${this.name} could not log in: ${status}`);
  }

  private async join(target: string): Promise<void> {
    const reply = await this.request({ action: 'connect', target }, `connect ${target}`, (e) => (e.action === 'connect' && e.status !== 'request' ? e : undefined));
    if (reply.status !== 'success') throw new Error(`${this.name} could not connect to ${target}: ${reply.status}`);
    this.members = new Set((reply.members ?? []).map((m) => m.name));
  }

  joinRoom(room: string): Promise<void> {
    return this.join(room);
  }

  connectTo(peer: string): Promise<void> {
    return this.join(peer);
  }

  say(message: string): void {
    this.write({ action: 'exchange', message });
  }

  leave(): void {
    this.members = new Set();
    this.write({ action: 'disconnect' });
  }

  async search(word: string): Promise<string[]> {
    const reply = await this.request({ action: 'search', target: word }, `search ${word}`, (e) => (e.action === 'search' ? e : undefined));
    return reply.matches.map((m) => m.message);
  }

  async poem(n: number): Promise<string> {
    const reply = await this.request({ action: 'poem', target: String(n) }, `poem ${n}`, (e) => (e.action === 'poem' ? e : undefined));
    return reply.poem?.title ?? '';
  }

  logout(): void {
    this.closing = true;
    this.close();
  }
}

/** The native front: classic length-prefixed frames over TCP. */
class NativeClient extends JsonClient {
  readonly front = 'tcp';
  private socket: Socket | null = null;
  private readonly decoder = new FrameDecoder();

  protected async open(): Promise<void> {
    const socket = await openSocket(this.target);
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      const { frames, error } = this.decoder.push(chunk);
      for (const frame of frames) this.text(frame);
      if (error) this.hooks.problem('protocol', this.name, `unframeable output: ${error.msg}`);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.dropped('the server closed the connection'));
  }

  protected write(action: ClientAction): void {
    this.socket?.write(encodeFrame(JSON.stringify(action)));
  }

  protected close(): void {
    this.socket?.end();
  }
}

/** The web front: one JSON text message per action or event. */
class WebClient extends JsonClient {
  readonly front = 'web';
  private ws: WebSocket | null = null;

  protected async open(): Promise<void> {
    const ws = await openWebSocket(this.target);
    this.ws = ws;
    ws.on('message', (data: Buffer, binary: boolean) => {
      if (binary) return this.hooks.problem('protocol', this.name, 'a binary message');
      this.text(data.toString());
    });
    ws.on('error', () => undefined);
    ws.on('close', (code: number) => this.dropped(`the server closed the WebSocket (${code})`));
  }

  protected write(action: ClientAction): void {
    this.ws?.send(JSON.stringify(action));
  }

  protected close(): void {
    this.ws?.close(1000);
  }
}

export function makeJsonClient(front: 'tcp' | 'web', name: string, target: Endpoint, hooks: SoakHooks): SoakClient {
  return front === 'tcp' ? new NativeClient(name, target, hooks) : new WebClient(name, target, hooks);
}
