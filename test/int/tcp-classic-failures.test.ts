/** The classic server's failures over real sockets (../shared/PROTOCOL.md lists them), restarts, persistence, and labelled requests. */
import { describe, expect, it } from 'vitest';
import { classicFrame, dumps } from '../helpers/classic-client.js';
import { classicSuite, frame, UNLIMITED, waitAll } from '../helpers/classic-suite.js';
import { startTestServer } from '../helpers/server.js';

const suite = classicSuite();
const { login, open } = suite;

describe('the classic server\'s failures', () => {
  it('reassembles a frame sent one byte at a time, and one split inside a multi-byte character', async () => {
    const c = await open();
    const bytes = classicFrame('{"action": "login", "name": "Zoë"}');
    for (const b of bytes) c.write(Buffer.from([b]));
    expect(await c.next('login')).toEqual({ action: 'login', status: 'ok' });
    const other = await login('bob');
    c.send({ action: 'connect', target: 'bob' });
    await c.next('connect');
    const utf8 = classicFrame('{"action":"exchange","message":"héllo 😀 wörld"}');
    const cut = utf8.indexOf(0xc3) + 1;
    await new Promise((resolve) => c.socket.write(utf8.subarray(0, cut), resolve));
    c.write(utf8.subarray(cut));
    expect(await other.next('exchange')).toMatchObject({ message: 'héllo 😀 wörld' });
  });

  it('answers invalid JSON, unknown actions and wrong types with an error and keeps the connection', async () => {
    const c = await login('zz');
    c.write(frame('{"action": "time"'));
    expect(await c.next()).toMatchObject({ action: 'error', code: 'bad-json' });
    c.write(frame('{"action": "dance"}'));
    expect(await c.next()).toMatchObject({ action: 'error', code: 'unknown-action', for: 'dance' });
    c.write(frame('{"action": "poem", "target": {"n": 3}}'));
    expect(await c.next()).toMatchObject({ action: 'error', code: 'bad-request', for: 'poem' });
    c.write(frame('[]'));
    expect(await c.next()).toMatchObject({ action: 'error', code: 'bad-request' });
    c.send({ action: 'ping', message: 'still here' });
    expect(await c.next()).toEqual({ action: 'pong', message: 'still here' });
  });

  it('closes a stream with a bad header, after saying why, and serves everyone else', async () => {
    const bystander = await login('bob');
    const c = await login('zz');
    c.write('hello there');
    expect(await c.next()).toMatchObject({ action: 'error', code: 'bad-frame' });
    await c.waitClosed();
    bystander.send({ action: 'ping', message: 'ok' });
    expect(await bystander.next()).toEqual({ action: 'pong', message: 'ok' });
    expect(suite.srv.logs.some((l) => l.includes('cannot be framed'))).toBe(true);
  });

  it('survives a 100,000-character payload sent as the classic mysend would (header wraps to 00000)', async () => {
    const bystander = await login('bob');
    const c = await login('zz');
    const payload = dumps({ action: 'exchange', message: 'x'.repeat(100_000 - dumps({ action: 'exchange', message: '' }).length) });
    expect(payload.length).toBe(100_000);
    c.write(('00000' + String(payload.length)).slice(-5) + payload);
    expect(await c.next()).toMatchObject({ action: 'error', code: 'bad-json' });
    expect(await c.next()).toMatchObject({ action: 'error', code: 'bad-frame' });
    await c.waitClosed();
    bystander.send({ action: 'ping', message: 'ok' });
    expect(await bystander.next()).toEqual({ action: 'pong', message: 'ok' });
  });

  it('refuses an over-long chat line with a clear error and delivers nothing', async () => {
    const a = await login('alice');
    const b = await login('bob');
    a.send({ action: 'connect', target: 'bob' });
    await a.next('connect');
    a.send({ action: 'exchange', message: 'y'.repeat(8001) });
    expect(await a.next()).toMatchObject({ action: 'error', code: 'too-large', for: 'exchange' });
    a.send({ action: 'exchange', message: 'short' });
    expect(await b.next('exchange')).toMatchObject({ message: 'short' });
  });

  it('forgets a peer that closes in the middle of a frame', async () => {
    const a = await login('alice');
    const b = await login('bob');
    a.send({ action: 'connect', target: 'bob' });
    await a.next('connect');
    a.write('00050{"action": "exch');
    a.socket.end();
    expect(await b.next('disconnect')).toMatchObject({ msg: 'everyone left, you are alone' });
    b.send({ action: 'ping', message: 'alive' });
    expect(await b.next('pong')).toMatchObject({ message: 'alive' });
  });

  it('disconnects a client that stops reading, and the others keep chatting', async () => {
    await suite.srv.destroy();
    suite.srv = await startTestServer({ ...UNLIMITED, MAX_OUTBOUND_BYTES: '262144' });
    const sloth = await login('sloth');
    const a = await login('alice');
    const b = await login('bob');
    a.send({ action: 'connect', target: 'bob' });
    await a.next('connect');
    sloth.send({ action: 'connect', target: 'alice' });
    await sloth.next('connect');
    sloth.socket.pause();
    const line = 'z'.repeat(4000);
    const cutOff = () => suite.srv.logs.some((l) => l.includes('does not read'));
    // Kernel buffers absorb a few MB before the server sees unread output; 50 rounds bound the test at 20 MB.
    for (let round = 0; round < 50 && !cutOff(); round++) {
      for (let i = 0; i < 100; i++) a.send({ action: 'exchange', message: `${round}.${i} ${line}` });
      await waitAll(b, 100);
    }
    expect(cutOff()).toBe(true);
    a.send({ action: 'list' });
    expect((await a.next('list')).users).toEqual([
      { name: 'alice', front: 'tcp', state: 1, group: 1 },
      { name: 'bob', front: 'tcp', state: 1, group: 1 },
    ]);
  });
});

describe('restarts', () => {
  it('listens again on the same port at once, with connections of the old run in TIME_WAIT', async () => {
    const port = suite.srv.tcpPort;
    const a = await login('alice');
    const b = await login('bob');
    a.send({ action: 'connect', target: 'bob' });
    await a.next('connect');
    await suite.srv.stop();
    await a.waitClosed();
    await b.waitClosed();
    const again = await startTestServer({ CHAT_PORT: String(port) }, suite.srv.dataDir);
    suite.srv = again;
    expect(again.tcpPort).toBe(port);
    await login('alice');
  });
});

describe('persistence', () => {
  it('keeps history and group ids across a restart', async () => {
    const a = await login('alice');
    const b = await login('bob');
    a.send({ action: 'connect', target: 'bob' });
    await a.next('connect');
    a.send({ action: 'exchange', message: 'remember the alamo' });
    await b.next('exchange');
    suite.closeClients();
    suite.srv = await suite.srv.restart();
    const b2 = await login('BOB');
    b2.send({ action: 'search', target: 'alamo' });
    expect(String((await b2.next('search')).results)).toMatch(/\) alice : remember the alamo$/);
    const a2 = await login('alice');
    a2.send({ action: 'connect', target: 'bob' });
    expect(await a2.next('connect')).toMatchObject({ group: 2 });
  });
});

describe('labelled requests (never sent by the classic client)', () => {
  it('answers carry the request\'s label last; pushes carry none', async () => {
    const a = await login('alice');
    const b = await login('bob');
    a.send({ action: 'time', label: 't1' });
    await a.next('time');
    expect(a.lastRaw).toMatch(/^\{"action": "time", "results": "[^"]+", "iso": "[^"]+", "label": "t1"\}$/);
    a.send({ action: 'connect', target: 'bob', label: 7 });
    expect(await a.next('connect')).toMatchObject({ status: 'success', label: '7' });
    expect(await b.next('connect')).not.toHaveProperty('label');
    a.send({ action: 'focus', target: '1', label: 'f' });
    expect(await a.next('focus')).toMatchObject({ group: 1, title: '#group-1', label: 'f' });
    a.send({ action: 'search', target: 3, label: 's' });
    expect(await a.next('error')).toMatchObject({ code: 'bad-request', for: 'search', label: 's' });
  });
});
