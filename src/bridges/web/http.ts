/**
 * The web front's plain HTTP side: the built page (held in memory, served with ETags and a
 * strict Content-Security-Policy), /healthz and /metrics. Everything else is a 404.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';

/** What the server reports about itself: the front only serves it. */
export interface StatusSource {
  /** The health report, and whether every configured front and the database are up. */
  health(): { ok: boolean; report: object };
  /** Every metric in the Prometheus text format. */
  metrics(): Promise<{ contentType: string; body: string }>;
}

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** The files `npm run build` puts in the page directory, by URL path. */
const PAGE_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.js.map': { file: 'app.js.map', type: 'application/json; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
  '/chat.css': { file: 'chat.css', type: 'text/css; charset=utf-8' },
  '/sidebar.css': { file: 'sidebar.css', type: 'text/css; charset=utf-8' },
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

/** Same-origin only: scripts, styles, images and the WebSocket; no framing. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Reads the built page into memory; a missing file means the page was not built. */
export function loadPage(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const [path, { file, type }] of Object.entries(PAGE_FILES)) {
    let body: Buffer;
    try {
      body = readFileSync(join(dir, file));
    } catch (err) {
      throw new Error(`the web page is not built (${(err as Error).message}); run npm run build`);
    }
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(path, { body, type, etag });
  }
  return assets;
}

export class HttpRoutes {
  constructor(
    private readonly assets: ReadonlyMap<string, Asset>,
    private readonly status: StatusSource,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://host').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return this.plain(res, 405, 'only GET and HEAD are served here\n', { Allow: 'GET, HEAD' });
    }
    if (path === '/healthz') return this.health(res);
    if (path === '/metrics') return void this.metrics(res);
    if (path === '/ws') return this.plain(res, 426, 'this is the WebSocket endpoint: connect with a WebSocket client\n', { Upgrade: 'websocket' });
    const asset = this.assets.get(path === '/index.html' ? '/' : path);
    if (!asset) return this.plain(res, 404, 'not found\n');
    const headers: Record<string, string> = { ...COMMON_HEADERS, 'Content-Type': asset.type, 'Cache-Control': 'no-cache', ETag: asset.etag };
    if (path === '/' || path === '/index.html') headers['Content-Security-Policy'] = CSP;
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, headers).end();
      return;
    }
    headers['Content-Length'] = String(asset.body.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  }

  private health(res: ServerResponse): void {
    const { ok, report } = this.status.health();
    const body = JSON.stringify(report, null, 2) + '\n';
    res.writeHead(ok ? 200 : 503, { ...COMMON_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(body);
  }

  private async metrics(res: ServerResponse): Promise<void> {
    try {
      const { contentType, body } = await this.status.metrics();
      res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': contentType, 'Cache-Control': 'no-store' });
      res.end(body);
    } catch (err) {
      this.plain(res, 500, `metrics failed: ${(err as Error).message}\n`);
    }
  }

  private plain(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
    res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...extra });
    res.end(text);
  }
}
