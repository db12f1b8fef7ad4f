/**
 * The page's WebSocket to /ws: one JSON action per message out, with its label, and one event
 * per message in, with the label of the request it answers (none for a push).
 * When the connection drops it reconnects by itself, backing off from 0.25 s to 5 s, until
 * it is closed for good (log out). A server that is full (close code 1013) is retried no
 * sooner than 5 s, with its reason shown; a connection closed because nobody logged in on it
 * in time (4408: the page sat at the login form) is replaced at once.
 */
import type { ClientAction, Label, ServerEvent } from '../../../core/protocol.js';
import { backoffMs } from './format.js';

export type LinkState = 'connecting' | 'online' | 'offline';

/** What the connection indicator says: the state, and when offline, why and when the next try is. */
export function linkStatus(state: LinkState, retryInMs: number | undefined, reason: string | undefined, serverRestarting: boolean): string {
  if (state === 'online') return 'Connected';
  if (state === 'connecting') return 'Connecting…';
  const retry = `retrying in ${Math.max(1, Math.round((retryInMs ?? 0) / 1000))} s`;
  if (reason) return `The server is busy (${reason}): ${retry}`;
  return serverRestarting ? `The server is restarting: ${retry}` : `Disconnected: ${retry}`;
}

/** Close codes the server uses: it is full (try again later), or the connection idled at the login form. */
const TRY_AGAIN_LATER = 1013;
const LOGIN_TIMEOUT = 4408;
const FULL_RETRY_MS = 5000;

export interface LinkHandlers {
  /** The connection state changed; `retryInMs` while offline, with the server's `reason` when it refused us. */
  state(state: LinkState, retryInMs?: number, reason?: string): void;
  /** A connection is open; `again` when an earlier one had been open. */
  opened(again: boolean): void;
  /** An event from the server; `label` names the request it answers. */
  event(event: ServerEvent, label?: Label): void;
}

export class Link {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private everOpened = false;
  private closedForGood = false;

  constructor(
    private readonly url: string,
    private readonly on: LinkHandlers,
  ) {}

  get online(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  connect(): void {
    this.closedForGood = false;
    this.cancelRetry();
    if (this.ws) return;
    this.on.state('connecting');
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener('open', () => {
      const again = this.everOpened;
      this.everOpened = true;
      this.attempt = 0;
      this.on.state('online');
      this.on.opened(again);
    });
    ws.addEventListener('message', (message) => {
      if (typeof message.data !== 'string') return;
      let event: ServerEvent & { label?: unknown };
      try {
        event = JSON.parse(message.data) as ServerEvent & { label?: unknown };
      } catch {
        return;
      }
      this.on.event(event, typeof event.label === 'string' ? event.label : undefined);
    });
    ws.addEventListener('close', (closed) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.closedForGood) return;
      if (closed.code === LOGIN_TIMEOUT) return this.connect();
      const full = closed.code === TRY_AGAIN_LATER;
      const backoff = backoffMs(this.attempt++, Math.random());
      const delay = full ? Math.max(FULL_RETRY_MS, backoff) : backoff;
      this.on.state('offline', delay, full ? closed.reason : undefined);
      this.retry = setTimeout(() => this.connect(), delay);
    });
  }

  /** Sends one action with its label; false when there is no open connection (nothing is queued). */
  send(action: ClientAction, label: Label): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify({ ...action, label }));
    return true;
  }

  /** Skips the wait before the next attempt. */
  retryNow(): void {
    if (!this.ws && !this.closedForGood) this.connect();
  }

  /** Closes without reconnecting. */
  close(): void {
    this.closedForGood = true;
    this.cancelRetry();
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, 'bye');
  }

  private cancelRetry(): void {
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
  }
}
