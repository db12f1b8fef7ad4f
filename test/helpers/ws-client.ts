/** A WebSocket test client (the `ws` package) for the web front: JSON in, every event recorded. */
import WebSocket from 'ws';
import { waitFor } from './wait.js';
import type { Frame } from './classic-client.js';

export class WsClient {
  readonly events: Frame[] = [];
  private cursor = 0;
  closed = false;
  closeCode: number | null = null;
  closeReason = '';

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.events.push(JSON.parse(String(data)) as Frame);
    });
    ws.on('error', () => {});
    ws.on('close', (code, reason) => {
      this.closed = true;
      this.closeCode = code;
      this.closeReason = reason.toString('utf8');
    });
  }

  static async open(port: number, options: WebSocket.ClientOptions = {}, path = '/ws'): Promise<WsClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, options);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new WsClient(ws);
  }

  /** Opens a connection and logs in (with the events and presence features), waiting for ok. */
  static async login(port: number, name: string, options: WebSocket.ClientOptions = {}): Promise<WsClient> {
    const client = await WsClient.open(port, options);
    client.send({ action: 'login', name, features: ['events', 'presence'] });
    const reply = await client.next('login');
    if (reply['status'] !== 'ok') throw new Error(`login as ${name} failed: ${JSON.stringify(reply)}`);
    return client;
  }

  send(obj: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(obj));
  }

  /** Sends raw text, or bytes as a binary message. */
  sendRaw(data: string | Buffer): void {
    this.ws.send(data, { binary: typeof data !== 'string' });
  }

  /** The next event not yet consumed, optionally of one action; events skipped over stay unconsumed. */
  async next(action?: string, timeoutMs = 5000): Promise<Frame> {
    return this.nextWhere(`a ${action ?? 'any'} event`, (f) => action === undefined || f.action === action, timeoutMs);
  }

  async nextWhere(what: string, match: (event: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    return waitFor(what, () => {
      const at = this.events.findIndex((f, i) => i >= this.cursor && match(f));
      if (at < 0) return undefined;
      const event = this.events[at]!;
      if (at === this.cursor) this.cursor++;
      else this.events.splice(at, 1);
      return event;
    }, timeoutMs);
  }

  /** Events received but not consumed yet. */
  pending(): Frame[] {
    return this.events.slice(this.cursor);
  }

  /** Round-trips a `ping`: every event the server sent before it has arrived by then. */
  async sync(): Promise<void> {
    const token = `sync-${Math.random()}`;
    this.send({ action: 'ping', message: token });
    await this.nextWhere('the sync pong', (f) => f.action === 'pong' && f['message'] === token);
  }

  async waitClosed(timeoutMs = 5000): Promise<void> {
    await waitFor('the WebSocket to close', () => this.closed, timeoutMs);
  }

  close(): void {
    this.ws.close();
  }
}
