/**
 * The fake's gateway (ws on the REST server's port, path /gateway): HELLO, IDENTIFY with
 * the token and privileged-intent checks real Discord makes (close 4004 / 4014), READY and
 * GUILD_CREATE, heartbeat ACKs, and RESUME with the dispatches missed meanwhile replayed.
 * Tests can drop the connection, hold the next RESUME/IDENTIFY until released, and see
 * every step in order in the shared event log.
 */
import type { Server } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { snowflake } from './payloads.js';

/** Privileged intents: GuildMembers, GuildPresences, MessageContent. */
const PRIVILEGED = (1 << 1) | (1 << 8) | (1 << 15);

export interface GatewayOptions {
  token: string;
  /** Privileged intents the application may use. */
  allowedPrivileged: number;
  /** The dispatches that follow a successful IDENTIFY (READY, GUILD_CREATE). */
  welcome(sessionId: string): { t: string; d: unknown }[];
  log(event: string): void;
}

interface Sent {
  s: number;
  t: string;
  d: unknown;
}

export class FakeGateway {
  private readonly wss: WebSocketServer;
  private conn: WebSocket | null = null;
  private session: { id: string; seq: number; history: Sent[]; live: boolean } | null = null;
  private held: (() => void)[] | null = null;
  /** Changes which privileged intents the application may use (the portal switch). */
  allowPrivileged(bits: number): void {
    this.opts.allowedPrivileged = bits;
  }

  /** Intents of the last IDENTIFY. */
  intents = 0;
  /** Answer the next RESUME with INVALID_SESSION instead. */
  refuseResume = false;

  constructor(server: Server, private readonly opts: GatewayOptions) {
    this.wss = new WebSocketServer({ server, path: '/gateway' });
    this.wss.on('connection', (ws) => this.accept(ws));
  }

  /** Sends a dispatch now, or keeps it for the replay after a RESUME when disconnected. */
  dispatch(t: string, d: unknown): void {
    const session = this.session;
    if (!session) return;
    const sent: Sent = { s: ++session.seq, t, d };
    session.history.push(sent);
    if (session.history.length > 1000) session.history.shift();
    if (session.live && this.conn?.readyState === WebSocket.OPEN) this.conn.send(JSON.stringify({ op: 0, ...sent }));
  }

  /** Closes the connection with `code` (4000: the client will resume; 1006: cut, as by a network failure). */
  drop(code = 4000): void {
    if (this.session) this.session.live = false;
    this.opts.log(`drop ${code}`);
    if (code === 1006) this.conn?.terminate();
    else this.conn?.close(code, 'dropped by the test');
    this.conn = null;
  }

  /** Holds the next IDENTIFY or RESUME until `release()`. */
  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const go of held) go();
  }

  private accept(ws: WebSocket): void {
    this.conn = ws;
    this.opts.log('connect');
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45_000 } }));
    ws.on('message', (raw: Buffer) => {
      const packet = JSON.parse(raw.toString('utf8')) as { op: number; d: Record<string, unknown> | number | null };
      if (packet.op === 1) return ws.send(JSON.stringify({ op: 11 }));
      if (packet.op === 2) this.opts.log('identify');
      if (packet.op === 6) this.opts.log('resume');
      const run = (): void => this.handle(ws, packet.op, packet.d as Record<string, unknown>);
      if ((packet.op === 2 || packet.op === 6) && this.held) this.held.push(run);
      else run();
    });
  }

  private handle(ws: WebSocket, op: number, d: Record<string, unknown>): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (op === 2) {
      if (d['token'] !== this.opts.token) return ws.close(4004, 'Authentication failed.');
      this.intents = Number(d['intents']);
      if ((this.intents & PRIVILEGED & ~this.opts.allowedPrivileged) !== 0) return ws.close(4014, 'Disallowed intent(s).');
      const id = snowflake();
      this.session = { id, seq: 0, history: [], live: true };
      for (const { t, d: data } of this.opts.welcome(id)) this.dispatch(t, data);
      this.opts.log('ready');
      return;
    }
    if (op === 6) {
      const session = this.session;
      if (!session || this.refuseResume || d['session_id'] !== session.id || d['token'] !== this.opts.token) {
        this.refuseResume = false;
        this.session = null;
        this.opts.log('invalid-session');
        return ws.send(JSON.stringify({ op: 9, d: false }));
      }
      const from = Number(d['seq']);
      session.live = true;
      for (const sent of session.history) if (sent.s > from) ws.send(JSON.stringify({ op: 0, ...sent }));
      this.dispatch('RESUMED', {});
      this.opts.log('resumed');
    }
  }

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}
