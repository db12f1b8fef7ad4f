/** The classic protocol over real sockets, byte for byte (../shared/PROTOCOL.md is the contract): logging in, requests, groups, history search. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSonnets, poemText } from '../../src/core/sonnets.js';
import type { ClassicClient } from '../helpers/classic-client.js';
import { classicSuite, waitAll } from '../helpers/classic-suite.js';
import { ROOT } from '../helpers/server.js';

const suite = classicSuite();
const { login, open } = suite;

describe('login', () => {
  it('answers ok with the exact classic bytes', async () => {
    const c = await open();
    const bytes: Buffer[] = [];
    c.socket.on('data', (b: Buffer) => bytes.push(b));
    c.write('00033{"action": "login", "name": "zz"}');
    await c.next('login');
    expect(Buffer.concat(bytes).toString('latin1')).toBe('00035{"action": "login", "status": "ok"}');
    bytes.length = 0;
    c.send({ action: 'time' });
    await c.next('time');
    const time = Buffer.concat(bytes).toString('latin1');
    expect(time).toMatch(/^\d{5}\{"action": "time", "results": "\d\d\.\d\d\.\d\d,\d\d:\d\d", "iso": "[^"]+"\}$/);
    expect(Number(time.slice(0, 5))).toBe(time.length - 5);
  });

  it('refuses a name in use (any case) and lets the same connection retry', async () => {
    await login('peter');
    const c = await open();
    c.send({ action: 'login', name: 'PETER' });
    expect(await c.next('login')).toMatchObject({ status: 'duplicate' });
    expect(c.raw[0]).toMatch(/^\{"action": "login", "status": "duplicate"/);
    c.send({ action: 'login', name: 'paul' });
    expect(await c.next('login')).toEqual({ action: 'login', status: 'ok' });
  });

  it('refuses a malformed name with status invalid and a reason', async () => {
    const c = await open();
    for (const name of ['', '9lives', 'a b', 'x'.repeat(25), '[zz]']) {
      c.send({ action: 'login', name });
      const reply = await c.next('login');
      expect(reply.status, name).toBe('invalid');
      expect(typeof reply.msg).toBe('string');
    }
  });

  it('accepts Unicode names and escapes them as Python does', async () => {
    const zoe = await login('Zoë');
    await login('李雷');
    zoe.send({ action: 'list' });
    await zoe.next('list');
    expect(zoe.lastRaw).toContain("{'Zo\\u00eb': 0, '\\u674e\\u96f7': 0}");
  });

  it('tells a client that acts before logging in to log in first', async () => {
    const c = await open();
    c.send({ action: 'time' });
    expect(await c.next()).toEqual({ action: 'error', code: 'not-logged-in', msg: 'log in first', for: 'time' });
  });
});

describe('requests', () => {
  it('lists users and groups in the classic 4-line text', async () => {
    const wen = await login('Wen');
    const joyce = await login('Joyce');
    await login('zz');
    joyce.send({ action: 'connect', target: 'Wen' });
    await joyce.next('connect');
    await wen.next('connect');
    joyce.send({ action: 'list' });
    const list = await joyce.next('list');
    expect(list.results).toBe("Users: ------------\n{'Wen': 1, 'Joyce': 1, 'zz': 0}\nGroups: -----------\n{1: ['Joyce', 'Wen']}\n");
    expect(joyce.lastRaw).toMatch(/^\{"action": "list", "results": "Users: ------------\\n/);
    expect(list.users).toEqual([
      { name: 'Wen', front: 'tcp', state: 1, group: 1 },
      { name: 'Joyce', front: 'tcp', state: 1, group: 1 },
      { name: 'zz', front: 'tcp', state: 0 },
    ]);
    expect(list.groups).toEqual([{ id: 1, members: ['Joyce', 'Wen'] }]);
  });

  it('serves every sonnet as title, blank line and verse', async () => {
    const sonnets = parseSonnets(readFileSync(`${ROOT}data/sonnets.txt`, 'utf8'));
    const c = await login('reader');
    for (let n = 1; n <= 154; n++) c.send({ action: 'poem', target: String(n) });
    for (let n = 1; n <= 154; n++) {
      const reply = await c.next('poem');
      expect(reply.results).toBe(poemText(sonnets[n - 1]!));
    }
    c.send({ action: 'poem', target: '18' });
    const raw = await c.nextRaw();
    expect(raw.startsWith('{"action": "poem", "results": "XVIII.\\n\\nShall I compare thee to a summer\'s day?\\n')).toBe(true);
    const p18 = JSON.parse(raw) as { results: string; poem: { number: number; lines: string[] } };
    expect(p18.results.split('\n')).toHaveLength(16);
    expect(p18.poem.number).toBe(18);
  });

  it.each(['0', '155', '1000', '-1', 'three', '', '3.5', ' ', '99999999999999999999999'])('answers poem %j with empty results', async (target) => {
    const c = await login('reader');
    c.send({ action: 'poem', target });
    const reply = await c.next('poem');
    expect(reply.results).toBe('');
    expect(typeof reply.msg).toBe('string');
    expect(c.lastRaw).toMatch(/^\{"action": "poem", "results": "", "msg": /);
  });

  it('accepts Roman numerals', async () => {
    const c = await login('reader');
    c.send({ action: 'poem', target: 'xviii' });
    expect(String((await c.next('poem')).results).startsWith('XVIII.\n\nShall I compare')).toBe(true);
  });

  it('finds sonnet lines by word', async () => {
    const c = await login('reader');
    c.send({ action: 'sonnets', target: "summer's day" });
    const reply = await c.next('sonnets');
    expect(reply.results).toContain("Sonnet 18 (XVIII.) line 1: Shall I compare thee to a summer's day?");
  });

  it('answers ping with pong', async () => {
    const c = await login('zz');
    c.send({ action: 'ping', message: 'blah blah' });
    expect(await c.next()).toEqual({ action: 'pong', message: 'blah blah' });
  });
});

describe('groups', () => {
  it('connects: pushes to the other members before the reply, classic keys first', async () => {
    const wen = await login('Wen');
    const joyce = await login('Joyce');
    const zz = await login('zz');
    joyce.send({ action: 'connect', target: 'Wen' });
    expect(await joyce.next('connect')).toMatchObject({ status: 'success', group: 1, members: [{ name: 'Joyce', front: 'tcp' }, { name: 'Wen', front: 'tcp' }] });
    expect(joyce.lastRaw).toMatch(/^\{"action": "connect", "status": "success"/);
    expect(await wen.next('connect')).toMatchObject({ status: 'request', from: 'Joyce' });
    expect(wen.lastRaw).toMatch(/^\{"action": "connect", "status": "request", "from": "Joyce"/);

    const order: string[] = [];
    wen.socket.on('data', () => order.push('wen'));
    joyce.socket.on('data', () => order.push('joyce'));
    zz.socket.on('data', () => order.push('zz'));
    zz.send({ action: 'connect', target: 'joyce' });
    expect(await zz.next('connect')).toMatchObject({ status: 'success', peer: 'Joyce', members: ['Joyce', 'Wen', 'zz'].map((name) => ({ name, front: 'tcp' })) });
    expect(await wen.next('connect')).toMatchObject({ status: 'request', from: 'zz' });
    expect(await joyce.next('connect')).toMatchObject({ status: 'request', from: 'zz' });
    expect(order.indexOf('zz')).toBeGreaterThan(Math.max(order.indexOf('wen'), order.indexOf('joyce')));
  });

  it('refuses self, absent users and a second group', async () => {
    const a = await login('alice');
    await login('bob');
    await login('carol');
    a.send({ action: 'connect', target: 'ALICE' });
    expect(await a.next('connect')).toMatchObject({ status: 'self' });
    a.send({ action: 'connect', target: 'nobody' });
    expect(await a.next('connect')).toMatchObject({ status: 'no-user' });
    a.send({ action: 'connect', target: 'bob' });
    expect(await a.next('connect')).toMatchObject({ status: 'success' });
    a.send({ action: 'connect', target: 'carol' });
    expect(await a.next('connect')).toMatchObject({ status: 'busy', group: 1 });
    a.send({ action: 'list' });
    expect((await a.next('list')).groups).toEqual([{ id: 1, members: ['alice', 'bob'] }]);
  });

  it('forwards chat lines to the rest of the group with the server-set sender', async () => {
    const a = await login('alice');
    const b = await login('bob');
    const c = await login('carol');
    a.send({ action: 'connect', target: 'bob' });
    await a.next('connect');
    c.send({ action: 'connect', target: 'bob' });
    await c.next('connect');
    a.send({ action: 'exchange', from: '[mallory]', message: 'hi all' });
    for (const peer of [b, c]) {
      const line = await peer.next('exchange');
      expect(line).toMatchObject({ from: '[alice]', message: 'hi all', name: 'alice', front: 'tcp', group: 1, seq: 1 });
      expect(peer.lastRaw).toMatch(/^\{"action": "exchange", "from": "\[alice\]", "message": "hi all", /);
      expect(new Date(String(line.ts)).getTime()).not.toBeNaN();
    }
    await a.sync();
    expect(a.pending().map((f) => f.action)).toEqual(['connect']);
    expect(a.pending()[0]).toMatchObject({ status: 'request', from: 'carol' });
  });

  it('dissolves a group of two when one leaves and tells the other', async () => {
    const a = await login('alice');
    const b = await login('bob');
    a.send({ action: 'connect', target: 'bob' });
    await a.next('connect');
    await b.next('connect');
    a.send({ action: 'disconnect' });
    await b.nextRaw();
    expect(b.lastRaw).toBe('{"action": "disconnect", "msg": "everyone left, you are alone", "group": 1}');
    await a.sync();
    expect(a.pending()).toEqual([]);
    b.send({ action: 'list' });
    expect((await b.next('list')).groups).toEqual([]);
  });

  it('keeps a group of three when one leaves, and never reuses ids', async () => {
    const a = await login('alice');
    const b = await login('bob');
    const c = await login('carol');
    a.send({ action: 'connect', target: 'bob' });
    await a.next('connect');
    c.send({ action: 'connect', target: 'alice' });
    await c.next('connect');
    c.send({ action: 'disconnect' });
    await a.sync();
    await b.sync();
    expect(a.pending().filter((f) => f.action === 'disconnect')).toEqual([]);
    c.send({ action: 'connect', target: 'bob' });
    expect(await c.next('connect')).toMatchObject({ group: 1 });
    a.send({ action: 'disconnect' });
    b.send({ action: 'disconnect' });
    expect(await c.next('disconnect')).toMatchObject({ msg: 'everyone left, you are alone', group: 1 });
    a.send({ action: 'connect', target: 'carol' });
    expect(await a.nextWhere('connect success', (f) => f.action === 'connect' && f.status === 'success')).toMatchObject({ group: 2 });
  });

  it.each(['close', 'reset'] as const)('treats a vanished user (%s) like disconnect', async (how) => {
    const a = await login('alice');
    const b = await login('bob');
    a.send({ action: 'connect', target: 'bob' });
    await a.next('connect');
    if (how === 'close') a.socket.end();
    else a.socket.resetAndDestroy();
    expect(await b.next('disconnect')).toMatchObject({ msg: 'everyone left, you are alone' });
    b.send({ action: 'list' });
    expect((await b.next('list')).users).toEqual([{ name: 'bob', front: 'tcp', state: 0 }]);
    const again = await login('alice');
    again.send({ action: 'connect', target: 'bob' });
    expect(await again.next('connect')).toMatchObject({ status: 'success' });
  });

  it('flips a _flip_ line and the flip action', async () => {
    const a = await login('zz');
    const b = await login('bob');
    a.send({ action: 'connect', target: 'bob' });
    await a.next('connect');
    a.send({ action: 'exchange', from: '[zz]', message: '_flip_ what said is true' });
    expect(await b.next('exchange')).toMatchObject({ from: '[zz]', message: '_flip_ true is said what', flip: true });
    a.send({ action: 'flip', message: 'one two three' });
    expect(await b.next('exchange')).toMatchObject({ message: '_flip_ three two one' });
  });

  it('tells a user outside any group that a chat line went nowhere', async () => {
    const a = await login('alice');
    a.send({ action: 'exchange', from: '[alice]', message: 'anyone?' });
    expect(await a.next()).toMatchObject({ action: 'error', code: 'not-chatting', for: 'exchange' });
    a.send({ action: 'disconnect' });
    await a.sync();
    expect(a.pending()).toEqual([]);
  });
});

describe('history search', () => {
  async function chatting(...names: string[]): Promise<ClassicClient[]> {
    const cs: ClassicClient[] = [];
    for (const n of names) cs.push(await login(n));
    for (const c of cs.slice(1)) {
      c.send({ action: 'connect', target: names[0]! });
      await c.next('connect');
    }
    return cs;
  }

  it('returns my lines and the lines I received, in the classic format, oldest first', async () => {
    const [a, b] = await chatting('alice', 'bob');
    a!.send({ action: 'exchange', message: 'I love ICS' });
    await b!.next('exchange');
    b!.send({ action: 'exchange', message: 'I do not LOVE ICS, honestly.' });
    await a!.next('exchange');
    b!.send({ action: 'exchange', message: 'unrelated' });
    await a!.next('exchange');
    for (const c of [a!, b!]) {
      c.send({ action: 'search', target: 'love' });
      const reply = await c.next('search');
      const lines = String(reply.results).split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^\(\d\d\.\d\d\.\d\d,\d\d:\d\d\) alice : I love ICS$/);
      expect(lines[1]).toMatch(/^\(\d\d\.\d\d\.\d\d,\d\d:\d\d\) bob : I do not LOVE ICS, honestly\.$/);
      expect(reply.matches).toHaveLength(2);
    }
    b!.send({ action: 'search', target: 'honestly!' });
    expect(String((await b!.next('search')).results)).toContain('honestly.');
    b!.send({ action: 'search', target: 'love honestly' });
    expect(String((await b!.next('search')).results).split('\n')).toHaveLength(1);
    b!.send({ action: 'search', target: '"love not"' });
    expect((await b!.next('search')).results).toBe('');
    b!.send({ action: 'search', target: '"NOT love"' });
    expect(String((await b!.next('search')).results).split('\n')).toHaveLength(1);
    b!.send({ action: 'search', target: 'alice' });
    expect(String((await b!.next('search')).results)).toContain('alice : I love ICS');
    b!.send({ action: 'search', target: 'nothing-like-this' });
    expect(await b!.next('search')).toEqual({ action: 'search', results: '', matches: [], omitted: 0 });
  });

  it('hides lines sent before I joined and after I left, and other groups\' lines', async () => {
    const [a, b] = await chatting('alice', 'bob');
    a!.send({ action: 'exchange', message: 'secret before carol' });
    await b!.next('exchange');
    const carol = await login('carol');
    carol.send({ action: 'connect', target: 'alice' });
    await carol.next('connect');
    a!.send({ action: 'exchange', message: 'secret with carol' });
    await carol.next('exchange');
    carol.send({ action: 'disconnect' });
    await a!.sync();
    a!.send({ action: 'exchange', message: 'secret after carol' });
    await b!.next('exchange');
    const dave = await login('dave');
    const eve = await login('eve');
    dave.send({ action: 'connect', target: 'eve' });
    await eve.next('connect');
    dave.send({ action: 'exchange', message: 'secret elsewhere' });
    await eve.next('exchange');
    carol.send({ action: 'search', target: 'secret' });
    expect(String((await carol.next('search')).results)).toMatch(/^\([^)]*\) alice : secret with carol$/);
    a!.send({ action: 'search', target: 'secret' });
    expect(String((await a!.next('search')).results).split('\n')).toHaveLength(3);
  });

  it('caps a reply at the newest 100 matches and says how many older ones were left out', async () => {
    const [a, b] = await chatting('alice', 'bob');
    for (let i = 1; i <= 130; i++) a!.send({ action: 'exchange', message: `spam number ${i}` });
    await b!.next('exchange');
    await waitAll(b!, 129);
    a!.send({ action: 'search', target: 'spam' });
    const reply = await a!.next('search');
    const lines = String(reply.results).split('\n');
    expect(lines).toHaveLength(101);
    expect(lines[0]).toMatch(/spam number 31$/);
    expect(lines[99]).toMatch(/spam number 130$/);
    expect(lines[100]).toBe('(30 older matches not shown)');
    expect(reply.omitted).toBe(30);
  });

  it('keeps a reply within one frame however long the lines are', async () => {
    const [a, b] = await chatting('alice', 'bob');
    const long = 'ü'.repeat(7000);
    for (let i = 0; i < 40; i++) a!.send({ action: 'exchange', message: `${long} needle ${i}` });
    await waitAll(b!, 40);
    a!.send({ action: 'search', target: 'needle' });
    const reply = await a!.next('search');
    expect(a!.lastRaw!.length).toBeLessThan(99_999);
    expect(Number(reply.omitted)).toBeGreaterThan(0);
    expect(String(reply.results)).toMatch(/\(\d+ older matches not shown\)$/);
  });
});
