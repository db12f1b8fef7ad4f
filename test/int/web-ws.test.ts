/** The WebSocket front over real sockets: the action protocol as JSON messages, across fronts, under bad input. */
import { afterEach, describe, expect, it } from 'vitest';
import { hardMessageCap } from '../../src/bridges/web/web-front.js';
import { ClassicClient, type Frame } from '../helpers/classic-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { WsClient } from '../helpers/ws-client.js';

let srv: TestServer | null = null;
const sockets: { close(): void }[] = [];

/** Some tests script bursts; the rate limits have tests of their own (limits.test.ts). */
async function start(env: Record<string, string> = {}): Promise<TestServer> {
  srv = await startTestServer({ FRONTS: 'tcp,web', FLOOD_BURST: '1000000', FLOOD_RATE: '1000000', ...env });
  return srv;
}

async function web(name: string, options = {}): Promise<WsClient> {
  const c = await WsClient.login(srv!.webPort, name, options);
  sockets.push({ close: () => c.ws.terminate() });
  return c;
}

async function tcp(name: string): Promise<ClassicClient> {
  const c = await ClassicClient.login(srv!.tcpPort, name);
  sockets.push({ close: () => c.socket.destroy() });
  return c;
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await srv?.destroy();
  srv = null;
});

describe('the WebSocket front', () => {
  it('speaks the action protocol as one JSON object per message', async () => {
    await start();
    const alice = await web('alice');
    alice.send({ action: 'time' });
    expect(await alice.next('time')).toMatchObject({ results: expect.stringMatching(/^\d\d\.\d\d\.\d\d,\d\d:\d\d$/) });
    alice.send({ action: 'poem', target: 18 });
    const poem = await alice.next('poem');
    expect((poem['poem'] as { lines: string[] }).lines[0]).toBe("Shall I compare thee to a summer's day?");
    alice.send({ action: 'list' });
    expect((await alice.next('list'))['users']).toEqual([{ name: 'alice', front: 'web', state: 0 }]);
  });

  it('puts a web user and a TCP user in one group: lines both ways, exactly once, in order', async () => {
    await start();
    const alice = await web('alice');
    const bob = await tcp('bob');
    alice.send({ action: 'connect', target: 'bob' });
    expect(await bob.next('connect')).toMatchObject({ status: 'request', from: 'alice', front: 'web' });
    expect(await alice.next('connect')).toMatchObject({ status: 'success', peer: 'bob', members: [{ name: 'alice', front: 'web' }, { name: 'bob', front: 'tcp' }] });

    const n = 60;
    for (let i = 0; i < n; i++) {
      alice.send({ action: 'exchange', from: '[alice]', message: `a${i} héllo` });
      bob.send({ action: 'exchange', from: '[bob]', message: `b${i} 你好` });
    }
    alice.send({ action: 'exchange', message: 'a-done' });
    bob.send({ action: 'exchange', from: '[bob]', message: 'b-done' });
    await waitFor('b-done at alice', () => alice.events.some((f) => f['message'] === 'b-done'));
    await waitFor('a-done at bob', () => bob.frames.some((f) => f['message'] === 'a-done'));
    await alice.sync();
    await bob.sync();

    const lines = (frames: Frame[]) => frames.filter((f) => f.action === 'exchange');
    const atAlice = lines(alice.events);
    const atBob = lines(bob.frames);
    expect(atAlice.map((f) => f['message'])).toEqual([...Array.from({ length: n }, (_, i) => `b${i} 你好`), 'b-done']);
    expect(atBob.map((f) => f['message'])).toEqual([...Array.from({ length: n }, (_, i) => `a${i} héllo`), 'a-done']);
    expect(atAlice[0]).toMatchObject({ from: '[bob]', name: 'bob', front: 'tcp', seq: expect.any(Number) });
    expect(atBob[0]).toMatchObject({ from: '[alice]', name: 'alice', front: 'web' });

    bob.close();
    expect(await alice.next('disconnect')).toMatchObject({ msg: 'everyone left, you are alone' });
  });

  it('pushes presence: a web user sees TCP users come and go, with their front', async () => {
    await start();
    const alice = await web('alice');
    const bob = await tcp('bob');
    expect(await alice.next('presence')).toEqual({ action: 'presence', name: 'bob', front: 'tcp', status: 'online' });
    bob.close();
    expect(await alice.next('presence')).toEqual({ action: 'presence', name: 'bob', front: 'tcp', status: 'offline' });
  });

  it('labels each answer, refusals included, with its request\'s label; pushes carry none', async () => {
    await start();
    const alice = await web('alice');
    const bob = await tcp('bob');
    alice.send({ action: 'time', label: 't1' });
    expect(await alice.next('time')).toMatchObject({ label: 't1' });
    alice.send({ action: 'poem', target: 200, label: 7 });
    expect(await alice.next('poem')).toMatchObject({ results: '', label: '7' });
    alice.send({ action: 'fly', label: 'f' });
    expect(await alice.next('error')).toMatchObject({ code: 'unknown-action', label: 'f' });
    alice.send({ action: 'poem', label: 'p' });
    expect(await alice.next('error')).toMatchObject({ code: 'bad-request', for: 'poem', label: 'p' });
    alice.send({ action: 'topic', label: 'nothing-to-talk-about' });
    expect(await alice.next('error')).toMatchObject({ code: 'not-chatting', label: 'nothing-to-talk-about' });

    alice.send({ action: 'connect', target: 'bob', label: 'c' });
    expect(await alice.next('connect')).toMatchObject({ status: 'success', peer: 'bob', label: 'c' });
    bob.send({ action: 'exchange', from: '[bob]', message: 'a push' });
    const line = await alice.next('exchange');
    expect(line).toMatchObject({ message: 'a push' });
    expect(line).not.toHaveProperty('label');
    // The direct answer's own `label` field (the conversation's name, also its `target`) gives way to the request's.
    const carol = await tcp('carol');
    alice.send({ action: 'direct', target: 'carol', message: 'psst', label: 'd' });
    expect(await alice.next('direct')).toMatchObject({ status: 'sent', target: 'carol', label: 'd' });
    await carol.next('connect');
    bob.close();
    const alone = await alice.next('disconnect');
    expect(alone).toMatchObject({ msg: 'everyone left, you are alone' });
    expect(alone).not.toHaveProperty('label');
  });

  it('refuses a malformed label as a bad request, and answers a request without one unlabelled', async () => {
    await start();
    const alice = await web('alice');
    alice.send({ action: 'time', label: 'x'.repeat(65) });
    const tooLong = await alice.next('error');
    expect(tooLong).toMatchObject({ code: 'bad-request', for: 'time', msg: expect.stringContaining('"label"') });
    expect(tooLong).not.toHaveProperty('label');
    alice.send({ action: 'time', label: { nested: true } });
    expect(await alice.next('error')).toMatchObject({ code: 'bad-request', for: 'time' });
    alice.send({ action: 'time' });
    expect(await alice.next('time')).not.toHaveProperty('label');
  });

  it('answers bad input with an error event and keeps the connection', async () => {
    await start({ WEB_MAX_MESSAGE_BYTES: '2048' });
    const c = await WsClient.open(srv!.webPort);
    sockets.push(c.ws);
    c.send({ action: 'time' });
    expect(await c.next('error')).toMatchObject({ code: 'not-logged-in' });
    c.sendRaw('{"action": "login", "name": ');
    expect(await c.next('error')).toMatchObject({ code: 'bad-json' });
    c.sendRaw('{"action": "fly"}');
    expect(await c.next('error')).toMatchObject({ code: 'unknown-action', for: 'fly' });
    c.sendRaw('{"action": "login", "name": 7}');
    expect(await c.next('error')).toMatchObject({ code: 'bad-request', for: 'login' });
    c.sendRaw('[]');
    expect(await c.next('error')).toMatchObject({ code: 'bad-request' });
    c.sendRaw(Buffer.from('{"action": "time"}'));
    expect(await c.next('error')).toMatchObject({ code: 'bad-request', msg: expect.stringContaining('text message') });
    c.send({ action: 'login', name: 'x'.repeat(3000) });
    expect(await c.next('error')).toMatchObject({ code: 'too-large', msg: expect.stringContaining('2048 bytes') });
    c.send({ action: 'login', name: 'zz' });
    expect(await c.next('login')).toEqual({ action: 'login', status: 'ok' });
    expect(c.closed).toBe(false);
  });

  it('closes a connection that sends a message over the hard cap (1009) and serves everyone else', async () => {
    await start({ WEB_MAX_MESSAGE_BYTES: '2048' });
    const bob = await web('bob');
    const c = await web('mallory');
    c.sendRaw('x'.repeat(hardMessageCap(2048) + 1));
    await c.waitClosed();
    expect(c.closeCode).toBe(1009);
    await bob.nextWhere('mallory going offline', (f) => f.action === 'presence' && f['name'] === 'mallory' && f['status'] === 'offline');
    await bob.sync();
  });

  it('disconnects a client that does not read; its user leaves the group', async () => {
    await start({ MAX_OUTBOUND_BYTES: '65536' });
    const bob = await tcp('bob');
    const slow = await web('slow');
    slow.send({ action: 'connect', target: 'bob' });
    await slow.next('connect');
    slow.ws.pause();
    const big = 'p'.repeat(60_000);
    for (let batch = 0; batch < 60 && !bob.frames.some((f) => f.action === 'disconnect'); batch++) {
      for (let i = 0; i < 20; i++) slow.send({ action: 'ping', message: big });
      await new Promise((resolve) => setImmediate(resolve));
      await bob.sync();
    }
    expect(await bob.next('disconnect')).toMatchObject({ msg: 'everyone left, you are alone' });
    await waitFor('the slow-consumer log line', () => srv!.logs.some((l) => l.includes('disconnecting a web client that does not read')));
  });

  it('drops a connection that stops answering pings; its user leaves the group, live clients stay', async () => {
    // A live client has a whole beat to answer each ping, however busy the machine.
    await start({ WEB_HEARTBEAT_MS: '1500' });
    const bob = await tcp('bob');
    const carol = await web('carol');
    let carolPings = 0;
    carol.ws.on('ping', () => carolPings++);
    const dead = await web('dead', { autoPong: false });
    dead.send({ action: 'connect', target: 'bob' });
    await dead.next('connect');
    expect(await bob.next('disconnect', 20_000)).toMatchObject({ msg: 'everyone left, you are alone' });
    await dead.waitClosed();
    await waitFor('carol to answer a few pings', () => carolPings >= 3, 20_000);
    await carol.sync();
    expect(carol.closed).toBe(false);
  });

  it('refuses WebSocket upgrades on other paths and from other origins', async () => {
    await start();
    await expect(WsClient.open(srv!.webPort, {}, '/elsewhere')).rejects.toThrow(/404/);
    await expect(WsClient.open(srv!.webPort, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    const same = await WsClient.open(srv!.webPort, { origin: `http://127.0.0.1:${srv!.webPort}` });
    sockets.push(same.ws);
    // Served, not merely upgraded: a login answered, and the connection still open after it.
    same.send({ action: 'login', name: 'sam' });
    expect(await same.next('login')).toEqual({ action: 'login', status: 'ok' });
    expect(same.closed).toBe(false);
  });

  it('says goodbye with close code 1001 when the server stops', async () => {
    await start();
    const alice = await web('alice');
    await srv!.stop();
    await alice.waitClosed();
    expect(alice.closeCode).toBe(1001);
  });
});
