/** Clients that misbehave: the gateway answers each clearly, stays up, and nobody else notices. */
import { afterEach, describe, expect, it } from 'vitest';
import { ClassicClient, type Frame } from '../helpers/classic-client.js';
import { RawIrc } from '../helpers/irc-raw.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

let srv: TestServer;
const sockets: { close(): void }[] = [];

async function start(env: Record<string, string> = {}): Promise<void> {
  srv = await startTestServer({ FRONTS: 'tcp,irc', ...env });
}

async function irc(nick: string): Promise<RawIrc> {
  const c = await RawIrc.register(srv.ircPort, nick);
  sockets.push(c);
  return c;
}

async function tcp(name: string): Promise<ClassicClient> {
  const c = await ClassicClient.login(srv.tcpPort, name);
  sockets.push(c);
  return c;
}

/** Two native users chatting beside the abuse: they must not notice it. */
async function bystanders(): Promise<() => Promise<void>> {
  const ann = await tcp('ann');
  const bob = await tcp('bob');
  ann.send({ action: 'connect', target: 'bob' });
  await bob.next('connect');
  return async () => {
    ann.send({ action: 'exchange', message: 'still fine?' });
    expect(await bob.next('exchange')).toMatchObject({ name: 'ann', message: 'still fine?' });
  };
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await srv.destroy();
});

describe('abuse', () => {
  /** Sends 60 numbered lines at once as `command N`; checks that each was delivered to `peter` once, in order, or refused with a notice. */
  async function flood(zoe: RawIrc, peter: ClassicClient, command: string): Promise<void> {
    zoe.send(...Array.from({ length: 60 }, (_, i) => `${command}${i}`));
    const refused = () => zoe.lines.filter((l) => l.includes('You are sending too fast'));
    await waitFor('the refusals', () => refused().length > 0);
    const sent = (f: Frame) => f.action === 'exchange';
    await waitFor('every accepted line', () => peter.pending().filter(sent).length + refused().length === 60);
    const got = peter.pending().filter(sent).map((f) => Number(String(f['message']).split(' ')[1]));
    expect(got.length).toBeGreaterThanOrEqual(5);
    expect(got).toEqual([...got].sort((a, b) => a - b));
    expect(new Set(got).size).toBe(got.length);
    const refusedNumbers = refused().map((l) => Number(/line (\d+)/.exec(l)![1]));
    expect([...got, ...refusedNumbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(refused()[0]).toMatch(new RegExp(`^:ics-chat\\.local NOTICE zoe :You are sending too fast: this line was dropped: ${command}\\d+ \\.\\.\\. Wait a moment and send it again\\.$`));
    zoe.send('PING :later');
    await zoe.expect(/PONG ics-chat.local :later/);
  }

  it('refuses a flood line by line with a notice, delivers the rest once and in order', async () => {
    await start({ FLOOD_BURST: '5', FLOOD_RATE: '50' });
    const check = await bystanders();
    const zoe = await irc('zoe');
    const peter = await tcp('peter');
    zoe.send('PRIVMSG ics :c peter');
    await peter.next('connect');
    await flood(zoe, peter, 'PRIVMSG #group-2 :line ');
    await check();
  });

  it('limits a flood of private lines like any other', async () => {
    await start({ FLOOD_BURST: '5', FLOOD_RATE: '50' });
    const check = await bystanders();
    const zoe = await irc('zoe');
    const peter = await tcp('peter');
    await flood(zoe, peter, 'PRIVMSG peter :line ');
    // The classic client is shown the first private line as a connect request, the rest as its lines.
    expect(peter.pending()[0]).toMatchObject({ action: 'connect', status: 'request', from: 'zoe', kind: 'direct' });
    await check();
  });

  it('survives 10 KB without a newline: 417, and the connection reads on', async () => {
    await start();
    const check = await bystanders();
    const zoe = await irc('zoe');
    zoe.write('PRIVMSG ics :' + 'A'.repeat(10_240));
    expect(await zoe.expect(/ 417 /)).toContain('Input line was too long');
    zoe.write('B'.repeat(10_240));
    zoe.write('\r\nPING :alive\r\n');
    expect(await zoe.expect(/PONG/)).toBe(':ics-chat.local PONG ics-chat.local :alive');
    expect(zoe.lines.filter((l) => l.includes(' 417 '))).toEqual([]);
    await check();
  });

  it('refuses invalid UTF-8 with a notice and passes nothing of it on', async () => {
    await start();
    const check = await bystanders();
    const zoe = await irc('zoe');
    const peter = await tcp('peter');
    zoe.send('PRIVMSG ics :c peter');
    await peter.next('connect');
    zoe.write(Buffer.concat([Buffer.from('PRIVMSG #group-2 :caf'), Buffer.from([0xe9, 0xff, 0xc3]), Buffer.from('\r\nPRIVMSG #group-2 :café\r\n')]));
    expect(await zoe.expect(/not valid UTF-8/)).toBe(':ics-chat.local NOTICE zoe :Your line was not valid UTF-8 and was ignored: this server speaks UTF-8 only');
    expect(await peter.next('exchange')).toMatchObject({ name: 'zoe', message: 'café' });
    await check();
  });

  it('disconnects a client that stops reading; it leaves its group like anyone who vanishes', async () => {
    await start({ MAX_OUTBOUND_BYTES: '65536', FLOOD_BURST: '1000000', FLOOD_RATE: '1000000' });
    const check = await bystanders();
    const sloth = await irc('sloth');
    const alice = await tcp('alice');
    const carl = await tcp('carl');
    sloth.send('JOIN #den');
    await sloth.expect(/ 366 /);
    for (const c of [alice, carl]) {
      c.send({ action: 'connect', target: '#den' });
      await c.next('connect');
    }
    sloth.socket.pause();
    const line = 'z'.repeat(4000);
    const cutOff = () => srv.logs.some((l) => l.includes('disconnecting an irc client that does not read'));
    // Kernel buffers absorb a few MB before the server sees unread output; 50 rounds bound the test at 20 MB.
    for (let round = 0; round < 50 && !cutOff(); round++) {
      for (let i = 0; i < 100; i++) alice.send({ action: 'exchange', message: `${round}.${i} ${line}` });
      await carl.nextWhere('the round', (f) => f.action === 'exchange' && String(f['message']).startsWith(`${round}.99 `));
    }
    expect(cutOff()).toBe(true);
    carl.send({ action: 'list' });
    expect((await carl.next('list'))['groups']).toEqual([{ id: 1, members: ['ann', 'bob'] }, { id: 2, members: ['alice', 'carl'], room: '#den', owner: 'alice' }]);
    await check();
    const fresh = await irc('sloth');
    fresh.send('JOIN #den');
    expect(await fresh.expect(/ 353 /)).toBe(':ics-chat.local 353 sloth = #den :@alice carl sloth');
  });
});
