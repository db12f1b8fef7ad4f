/**
 * A test client speaking the classic framing byte for byte as the course's Python client
 * does (`json.dumps` spacing, character-count headers), recording every frame it receives.
 */
import { connect, type Socket } from 'node:net';
import { FrameDecoder } from '../../src/core/framing.js';
import { waitFor } from './wait.js';

export type Frame = Record<string, unknown> & { action: string };

/** `mysend`: the payload's character count, zero-padded to 5, then the payload. */
export function classicFrame(payload: string): Buffer {
  return Buffer.from(String([...payload].length).padStart(5, '0').slice(-5) + payload, 'utf8');
}

/** `json.dumps` of a flat object with default separators (ASCII escaping included). */
export function dumps(obj: Record<string, unknown>): string {
  return '{' + Object.entries(obj).map(([k, v]) => `${JSON.stringify(k)}: ${pyValue(v)}`).join(', ') + '}';
}

function pyValue(v: unknown): string {
  return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

export class ClassicClient {
  readonly raw: string[] = [];
  /** The raw text of the frame `next` returned last. */
  lastRaw = '';
  readonly frames: Frame[] = [];
  private readonly decoder = new FrameDecoder();
  private cursor = 0;
  closed = false;
  errorCode: string | null = null;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const text of this.decoder.push(chunk).frames) {
        this.raw.push(text);
        this.frames.push(JSON.parse(text) as Frame);
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => (this.errorCode = err.code ?? err.message));
    socket.on('close', () => (this.closed = true));
  }

  static async open(port: number): Promise<ClassicClient> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new ClassicClient(socket);
  }

  /** Logs in and waits for ok; with `features` (e.g. `['events', 'rooms']`) it is a JSON client that shows many groups, not the classic one. */
  static async login(port: number, name: string, features?: string[]): Promise<ClassicClient> {
    const client = await ClassicClient.open(port);
    client.send(features ? { action: 'login', name, features } : { action: 'login', name });
    const reply = await client.next('login');
    if (reply['status'] !== 'ok') throw new Error(`login as ${name} failed: ${JSON.stringify(reply)}`);
    return client;
  }

  send(obj: Record<string, unknown>): void {
    this.socket.write(classicFrame(dumps(obj)));
  }

  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** The next frame not yet consumed, optionally of one action; frames skipped over stay unconsumed. */
  async next(action?: string, timeoutMs = 5000): Promise<Frame> {
    return this.nextWhere(`a ${action ?? 'any'} frame`, (f) => action === undefined || f.action === action, timeoutMs);
  }

  /** The next unconsumed frame that satisfies `match`. */
  async nextWhere(what: string, match: (frame: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    return waitFor(what, () => {
      const at = this.frames.findIndex((f, i) => i >= this.cursor && match(f));
      return at < 0 ? undefined : this.take(at);
    }, timeoutMs);
  }

  /** Consumes the frame at `at`; frames before it stay unconsumed, in order. */
  private take(at: number): Frame {
    const frame = this.frames[at]!;
    this.lastRaw = this.raw[at]!;
    if (at === this.cursor) {
      this.cursor++;
    } else {
      this.frames.splice(at, 1);
      this.raw.splice(at, 1);
    }
    return frame;
  }

  /** The raw text of the next frame. */
  async nextRaw(timeoutMs = 5000): Promise<string> {
    await this.next(undefined, timeoutMs);
    return this.lastRaw;
  }

  /** Frames received but not consumed yet. */
  pending(): Frame[] {
    return this.frames.slice(this.cursor);
  }

  /** Round-trips a `time` request: every frame the server sent before it has arrived by then. */
  async sync(): Promise<void> {
    const before = this.frames.length;
    this.send({ action: 'time' });
    await waitFor('the time reply', () => this.frames.slice(before).some((f) => f.action === 'time'));
    this.take(this.frames.findIndex((f, i) => i >= before && f.action === 'time'));
  }

  async waitClosed(timeoutMs = 5000): Promise<void> {
    await waitFor('the connection to close', () => this.closed, timeoutMs);
  }

  close(): void {
    this.socket.end();
  }
}
