/**
 * Connection plumbing the load tools share (the benchmark's generator and the soak): bounded
 * waits, loopback sockets and WebSockets, and IRC's CR LF lines reassembled across chunks.
 */
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';

export interface Endpoint {
  host: string;
  port: number;
}

/** Resolves with the first value a handler produces, or rejects after `ms`. */
export function waitFor<T>(what: string, ms: number, setup: (resolve: (v: T) => void, reject: (e: Error) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    setup(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** A TCP connection with Nagle off, once connected. */
export function openSocket(target: Endpoint): Promise<Socket> {
  return waitFor('a connection', 30_000, (resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port });
    socket.setNoDelay(true);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** A WebSocket to the web front's `/ws`, once open. */
export function openWebSocket(target: Endpoint): Promise<WebSocket> {
  return waitFor<WebSocket>('a WebSocket', 30_000, (resolve, reject) => {
    const ws = new WebSocket(`ws://${target.host}:${target.port}/ws`, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Splits a stream of text into lines (LF or CR LF), however it was chunked. */
export class LineSplitter {
  private rest = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    const text = this.rest + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      this.onLine(text.slice(start, text[end - 1] === '\r' ? end - 1 : end));
      start = end + 1;
    }
    this.rest = text.slice(start);
  }
}
