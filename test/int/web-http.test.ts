/** The web front's HTTP side: the page, /healthz and /metrics, over real sockets. */
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClassicClient, classicFrame } from '../helpers/classic-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { WsClient } from '../helpers/ws-client.js';

let srv: TestServer;
const closers: (() => void)[] = [];

beforeEach(async () => {
  srv = await startTestServer({ FRONTS: 'tcp,web' });
});

afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await srv.destroy();
});

const url = (path: string): string => `http://127.0.0.1:${srv.webPort}${path}`;

async function web(name: string): Promise<WsClient> {
  const c = await WsClient.login(srv.webPort, name);
  closers.push(() => c.ws.terminate());
  return c;
}

async function tcp(name: string): Promise<ClassicClient> {
  const c = await ClassicClient.login(srv.tcpPort, name);
  closers.push(() => c.socket.destroy());
  return c;
}

/** The value of one sample line of the Prometheus text, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the page', () => {
  it('serves the page, its script and styles, with a strict CSP and ETags', async () => {
    const page = await fetch(url('/'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/app.js"></script>');
    expect(html).toContain('<label for="name">Your name</label>');

    const script = await fetch(url('/app.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await script.text()).length).toBeGreaterThan(1000);
    expect((await fetch(url('/style.css'))).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(url('/chat.css'))).headers.get('content-type')).toBe('text/css; charset=utf-8');

    const etag = page.headers.get('etag')!;
    expect((await fetch(url('/'), { headers: { 'If-None-Match': etag } })).status).toBe(304);
    const head = await fetch(url('/'), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers 404, 405 and 426 where nothing is served', async () => {
    expect((await fetch(url('/nope'))).status).toBe(404);
    expect((await fetch(url('/../package.json'))).status).toBe(404);
    const post = await fetch(url('/'), { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(url('/ws'))).status).toBe(426);
  });
});

describe('stopping', () => {
  it('stops even while a browser holds a preconnected socket that never sends a request', async () => {
    const idle = connect({ host: '127.0.0.1', port: srv.webPort });
    await new Promise((resolve) => idle.once('connect', resolve));
    const halfSent = connect({ host: '127.0.0.1', port: srv.webPort });
    await new Promise((resolve) => halfSent.once('connect', resolve));
    halfSent.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    closers.push(() => idle.destroy(), () => halfSent.destroy());
    let stopped = false;
    void srv.stop().then(() => (stopped = true));
    await waitFor('the server to stop', () => stopped);
  });
});

describe('/healthz', () => {
  it('reports fronts, users per front, groups and the database, with 200 while all is up', async () => {
    const alice = await web('alice');
    await tcp('bob');
    await tcp('carol');
    alice.send({ action: 'connect', target: 'bob' });
    await alice.next('connect');
    alice.send({ action: 'exchange', message: 'hello' });
    await alice.sync();

    const res = await fetch(url('/healthz'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const report = (await res.json()) as { uptimeSeconds: number; startedAt: string };
    expect(report).toMatchObject({
      status: 'ok',
      fronts: { tcp: { state: 'listening', up: true, users: 2 }, web: { state: 'listening', up: true, users: 1 } },
      users: 3,
      groups: 1,
      database: { ok: true, lines: 1 },
    });
    expect(report.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(Date.parse(report.startedAt)).not.toBeNaN();
  });

  it('counts a front left off (Discord without a token) as neither up nor down', async () => {
    await srv.destroy();
    srv = await startTestServer({ FRONTS: 'tcp,discord,web' });
    const res = await fetch(url('/healthz'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', fronts: { discord: { state: 'off', up: false }, tcp: { up: true }, web: { up: true } } });
    const metrics = await (await fetch(url('/metrics'))).text();
    expect(sample(metrics, 'ics_chat_front_up{front="web"}')).toBe(1);
    expect(sample(metrics, 'ics_chat_front_up{front="discord"}')).toBeUndefined();
  });

  it('answers 503 when a configured front is down', async () => {
    await srv.server.fronts.get('tcp')!.stop();
    const res = await fetch(url('/healthz'));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'degraded', fronts: { tcp: { state: 'stopped', up: false }, web: { up: true } } });
  });

  it('answers 503 when the database cannot serve', async () => {
    await srv.server.hub.history.close();
    const res = await fetch(url('/healthz'));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'degraded', database: { ok: false, problem: 'the database is closed' } });
  });
});

describe('/metrics', () => {
  it('counts users, groups, messages per front, errors by kind, latencies and history rows', async () => {
    const alice = await web('alice');
    const bob = await tcp('bob');
    alice.send({ action: 'connect', target: 'bob' });
    await alice.next('connect');
    for (const m of ['one', 'two', 'three']) alice.send({ action: 'exchange', message: m });
    bob.send({ action: 'exchange', from: '[bob]', message: 'four' });
    await bob.nextWhere('three', (f) => f['message'] === 'three');
    await alice.nextWhere('four', (f) => f['message'] === 'four');
    alice.send({ action: 'search', target: 'two' });
    await alice.next('search');
    alice.sendRaw('not json');
    await alice.next('error');
    bob.write(classicFrame('not json'));
    await bob.next('error');

    const res = await fetch(url('/metrics'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(sample(text, 'ics_chat_front_up{front="web"}')).toBe(1);
    expect(sample(text, 'ics_chat_users{front="web"}')).toBe(1);
    expect(sample(text, 'ics_chat_users{front="tcp"}')).toBe(1);
    expect(sample(text, 'ics_chat_groups')).toBe(1);
    expect(sample(text, 'ics_chat_history_lines')).toBe(4);
    expect(sample(text, 'ics_chat_messages_in_total{front="web",action="exchange"}')).toBe(3);
    expect(sample(text, 'ics_chat_messages_in_total{front="tcp",action="exchange"}')).toBe(1);
    expect(sample(text, 'ics_chat_messages_out_total{front="tcp",event="exchange"}')).toBe(3);
    expect(sample(text, 'ics_chat_messages_out_total{front="web",event="exchange"}')).toBe(1);
    expect(sample(text, 'ics_chat_messages_out_total{front="web",event="search"}')).toBe(1);
    expect(sample(text, 'ics_chat_errors_total{front="web",kind="bad-json"}')).toBe(1);
    expect(sample(text, 'ics_chat_errors_total{front="tcp",kind="bad-json"}')).toBe(1);
    expect(sample(text, 'ics_chat_fanout_seconds_count')).toBe(4);
    expect(sample(text, 'ics_chat_fanout_seconds_bucket{le="+Inf"}')).toBe(4);
    expect(sample(text, 'ics_chat_search_seconds_count')).toBe(1);
  });
});
