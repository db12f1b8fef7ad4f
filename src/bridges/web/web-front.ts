/**
 * The web front: one HTTP server (default port 8080) serving the chat page at `/`, the
 * WebSocket endpoint `/ws` (the action protocol as JSON text messages), `/healthz` and
 * `/metrics`. A heartbeat pings every connection and drops those that stop answering.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Front, FrontState, SessionOpener } from '../../core/front.js';
import type { Session, SessionOptions } from '../../core/session.js';
import type { Logger } from '../../core/log.js';
import type { ThrottleOptions } from '../../core/throttle.js';
import { releaseOnClose, type Admission, type Verdict } from '../../net/admission.js';
import { HttpRoutes, loadPage, type StatusSource } from './http.js';
import { WsConnection } from './ws-connection.js';

export interface WebConfig {
  host: string;
  port: number;
  /** Longest WebSocket message read, in bytes; a longer one gets a too-large error and is dropped. */
  maxMessageBytes: number;
  /** Unread output after which a client that does not read is disconnected, in bytes. */
  maxOutboundBytes: number;
  /** Ping interval; a connection that has not answered the previous ping by the next is dropped. */
  heartbeatMs: number;
  /** Rate limit per connection. */
  flood: ThrottleOptions;
  /** The built page (index.html, app.js, style.css, ...). */
  pageDir: string;
}

/** How long a closing connection may take to answer the close frame before it is cut. */
const CLOSE_GRACE_MS = 1000;

/** The close code for a connection refused over the caps: 1013, try again later. */
const TRY_AGAIN_LATER = 1013;

/** ws reads a message up to this many bytes before closing the connection (1009); up to maxMessageBytes it is answered with an error instead. */
export function hardMessageCap(maxMessageBytes: number): number {
  return Math.max(4 * maxMessageBytes, 1 << 20);
}

/** True when a browser's Origin names the host it connected to (non-browser clients send none). */
function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Answers an upgrade we will not serve, then closes the socket outright (HTTP sockets are half-open capable). */
function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
}

export class WebFront implements Front {
  readonly name = 'web';
  private server: Server | null = null;
  private wss: WebSocketServer | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly connections = new Set<WsConnection>();
  /** Every connection's goodbye: one function for all of them. */
  private readonly forget = (conn: WsConnection): void => void this.connections.delete(conn);
  private current: FrontState = 'stopped';
  /** Resolves once the HTTP server has closed; set when accepting stops. */
  private closed: Promise<void> | null = null;

  constructor(
    private readonly hub: SessionOpener,
    private readonly config: WebConfig,
    private readonly status: StatusSource,
    private readonly log: Logger,
    private readonly admission: Admission,
  ) {}

  state(): FrontState {
    return this.current;
  }

  /** The bound port (the real one when configured as 0). */
  port(): number {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address.port : 0;
  }

  start(): Promise<void> {
    this.current = 'starting';
    this.closed = null;
    let routes: HttpRoutes;
    try {
      routes = new HttpRoutes(loadPage(this.config.pageDir), this.status);
    } catch (err) {
      this.current = 'failed';
      return Promise.reject(new Error(`web front: ${(err as Error).message}`));
    }
    const wss = new WebSocketServer({ noServer: true, maxPayload: hardMessageCap(this.config.maxMessageBytes), perMessageDeflate: false, clientTracking: false });
    const server = createServer((req, res) => routes.handle(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
    this.server = server;
    this.wss = wss;
    return new Promise((resolve, reject) => {
      server.once('error', (err) => {
        this.current = 'failed';
        reject(new Error(`web front cannot listen on ${this.config.host}:${this.config.port}: ${err.message}`));
      });
      server.listen({ host: this.config.host, port: this.config.port }, () => {
        this.current = 'listening';
        server.on('error', (err) => this.log.error('web front error', { err: err.message }));
        this.heartbeat = setInterval(() => {
          for (const conn of this.connections) conn.heartbeat();
        }, this.config.heartbeatMs).unref();
        this.log.info(`web front listening on http://${this.config.host}:${this.port()}`);
        resolve();
      });
    });
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const onError = (err: Error): void => this.log.debug('web upgrade socket error', { err: err.message });
    socket.on('error', onError);
    const path = new URL(req.url ?? '/', 'http://host').pathname;
    if (path !== '/ws') return refuseUpgrade(socket, '404 Not Found');
    if (!sameOrigin(req.headers.origin, req.headers.host)) {
      this.log.warn('refusing a WebSocket from another origin', { origin: req.headers.origin ?? '-' });
      return refuseUpgrade(socket, '403 Forbidden');
    }
    const wss = this.wss;
    if (!wss || this.current !== 'listening') return refuseUpgrade(socket, '503 Service Unavailable');
    // The same caps as the socket fronts. A refusal completes the handshake and closes with a
    // reason, because a browser shows the page nothing of a refused upgrade.
    const verdict = this.admission.admit(req.socket.remoteAddress);
    if (verdict.ok) releaseOnClose(socket, verdict.ticket);
    // The callback names only what it needs: a closure over `req` would keep the request (its
    // headers and streams, about 1 KB) for as long as the connection lives.
    const raw = req.socket;
    wss.handleUpgrade(req, socket, head, (ws) => {
      // ws handles the socket's errors from now on.
      socket.off('error', onError);
      this.opened(ws, raw, verdict);
    });
  }

  private opened(ws: WebSocket, raw: Socket, verdict: Verdict): void {
    if (!verdict.ok) return this.refuse(ws, `${raw.remoteAddress ?? '?'}:${raw.remotePort ?? '?'}`, verdict.why);
    const address = raw.remoteAddress;
    const open = (o: SessionOptions): Session => this.hub.open(address ? { ...o, address } : o);
    const conn = new WsConnection(ws, raw, open, this.config, this.log, verdict.ticket, this.forget);
    this.connections.add(conn);
    this.log.debug('web client connected', { peer: conn.peer });
  }

  private refuse(ws: WebSocket, peer: string, why: string): void {
    this.log.debug('web front refused a connection', { peer, why });
    ws.on('error', () => undefined);
    ws.close(TRY_AGAIN_LATER, why);
    const force = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
    ws.once('close', () => clearTimeout(force));
  }

  /** Closes the port and refuses upgrades on connections still open (503); the WebSockets open stay. */
  stopAccepting(): void {
    const server = this.server;
    if (!server || this.closed) return;
    this.current = 'stopped';
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.closed = new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Says goodbye to every client (close code 1001: they reconnect), then stops listening.
   * HTTP connections still open after the grace period are cut: a browser's preconnected
   * socket never sends a request, so it is never idle, and would hold the close forever.
   */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.stopAccepting();
    const closed = this.closed!;
    this.server = null;
    for (const conn of [...this.connections]) conn.end(1001, 'the server is restarting', CLOSE_GRACE_MS);
    server.closeIdleConnections();
    const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    await closed;
    clearTimeout(cut);
  }
}
