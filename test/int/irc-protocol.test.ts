/** The IRC gateway over real sockets: registration, ordering, line limits, liveness, nicks. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { RawIrc } from '../helpers/irc-raw.js';
import { startTestServer, type ConfigTweak, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

let srv: TestServer;
const sockets: { close(): void }[] = [];

async function start(tweak?: ConfigTweak): Promise<void> {
  srv = await startTestServer({ FRONTS: 'tcp,irc' }, undefined, tweak);
}

async function irc(nick: string, caps: string[] = []): Promise<RawIrc> {
  const c = await RawIrc.register(srv.ircPort, nick, caps);
  sockets.push(c);
  return c;
}

async function raw(): Promise<RawIrc> {
  const c = await RawIrc.open(srv.ircPort);
  sockets.push(c);
  return c;
}

async function tcp(name: string): Promise<ClassicClient> {
  const c = await ClassicClient.login(srv.tcpPort, name);
  sockets.push(c);
  return c;
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await srv.destroy();
});

describe('registration over a socket', () => {
  it('answers CAP, refuses early commands with 451, then welcomes the client', async () => {
    await start();
    const c = await raw();
    c.send('CAP LS 302', 'JOIN :', 'CAP END', 'NICK zoe', 'USER zoe 0 * :Zoe');
    expect(await c.expect(/ CAP /)).toBe(':ics-chat.local CAP * LS :account-notify account-tag away-notify batch cap-notify chghost draft/chathistory echo-message extended-join invite-notify labeled-response message-tags multi-prefix sasl=PLAIN server-time setname userhost-in-names');
    expect(await c.expect(/ 451 /)).toBe(':ics-chat.local 451 * :You have not registered');
    expect(await c.expect(/ 001 /)).toBe(':ics-chat.local 001 zoe :Welcome to the ICS chat IRC gateway, zoe!~zoe@irc');
    const burst = await c.sync();
    expect(burst.map((l) => l.split(' ')[1])).toEqual(['002', '003', '004', '005', '005', '251', '255', '265', '266', '375', '372', '372', '372', '372', '376', 'NOTICE']);
  });

  it('reassembles commands sent one byte at a time', async () => {
    await start();
    const c = await raw();
    const bytes = Buffer.from('NICK Zoë\r\nUSER z 0 * :Zoë\r\nPING :öß\r\n', 'utf8');
    for (const byte of bytes) {
      c.write(Buffer.from([byte]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await c.expect(/ 001 /)).toContain(' 001 Zoë ');
    expect(await c.expect(/PONG/)).toBe(':ics-chat.local PONG ics-chat.local :öß');
  });

  it('answers PING in order, after everything earlier commands caused', async () => {
    await start();
    const c = await irc('zoe');
    c.send('PRIVMSG ics :p 18', 'PING :one', 'WHOIS zoe', 'PING :two');
    const lines = await c.sync();
    const one = lines.findIndex((l) => l.endsWith(':one'));
    const two = lines.findIndex((l) => l.endsWith(':two'));
    expect(lines.slice(0, one).filter((l) => l.includes(' NOTICE zoe :')).length).toBe(16);
    expect(lines.slice(one + 1, two).map((l) => l.split(' ')[1])).toEqual(['311', '312', '317', '318']);
    expect(two).toBe(lines.length - 1);
  });
});

describe('the message of the day', () => {
  it('shows IRC_MOTD_FILE to every client, and refuses to start without the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ics-chat-motd-'));
    try {
      await expect(startTestServer({ FRONTS: 'irc', IRC_MOTD_FILE: join(dir, 'missing.txt') }, join(dir, 'data'))).rejects.toThrow(/cannot read the MOTD file .*missing\.txt \(IRC_MOTD_FILE\)/);
      writeFileSync(join(dir, 'motd.txt'), 'Welcome, poets.\nBe kind.\n');
      srv = await startTestServer({ FRONTS: 'tcp,irc', IRC_MOTD_FILE: join(dir, 'motd.txt') });
      const c = await irc('zoe');
      c.send('MOTD');
      const lines = await c.sync();
      expect(lines.map((l) => l.split(' ').slice(1).join(' '))).toEqual([
        '375 zoe :- ics-chat.local Message of the day -',
        '372 zoe :- Welcome, poets.',
        '372 zoe :- Be kind.',
        '376 zoe :End of /MOTD command',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('nicks', () => {
  it('sends ERROR on QUIT and frees the nick at once', async () => {
    await start();
    const c = await irc('zoe');
    c.send('QUIT :bedtime');
    expect(await c.expect(/^ERROR/)).toBe('ERROR :Closing Link: zoe (Quit: bedtime)');
    await c.waitClosed();
    const again = await irc('zoe');
    again.send('PRIVMSG ics :who');
    expect(await again.expect(/'zoe': 0/)).toBeDefined();
  });

  it('frees the nick of a client that vanishes and shows it leaving as QUIT', async () => {
    await start();
    const gone = await irc('gone');
    const ann = await irc('ann');
    ann.send('JOIN #tea');
    gone.send('JOIN #tea');
    await ann.expect(/^:gone!~gone@irc JOIN :#tea$/);
    gone.close();
    expect(await ann.expect(/ QUIT /)).toBe(':gone!~gone@irc QUIT :left the chat');
    const back = await irc('gone');
    back.send('ISON gone');
    expect(await back.expect(/ 303 /)).toBe(':ics-chat.local 303 gone :gone');
  });

  it('gives a nick used on the native front 433, and the client may pick another', async () => {
    await start();
    await tcp('peter');
    const c = await raw();
    c.send('NICK peter', 'USER p 0 * :Peter');
    expect(await c.expect(/ 433 /)).toBe(':ics-chat.local 433 * peter :Nickname is already in use (peter is already in use)');
    c.send('NICK peter_');
    expect(await c.expect(/ 001 /)).toContain(' 001 peter_ ');
  });
});

describe('line limits', () => {
  it('splits a long line from the native front into IRC lines of at most 512 bytes', async () => {
    await start();
    const c = await irc('zoe');
    const peter = await tcp('peter');
    c.send('PRIVMSG ics :c peter');
    await peter.next('connect');
    const text = Array.from({ length: 400 }, (_, i) => `wörd${i}`).join(' ');
    peter.send({ action: 'exchange', message: text });
    const lines = await waitFor('the whole line', () => {
      const got = c.lines.filter((l) => l.startsWith(':peter!peter@tcp PRIVMSG #group-1 :'));
      return got.map((l) => l.slice(l.indexOf(' :') + 2)).join(' ') === text ? got : undefined;
    });
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) expect(Buffer.byteLength(l + '\r\n')).toBeLessThanOrEqual(512);
  });

  it('answers a line over 512 bytes with 417 and reads on', async () => {
    await start();
    const c = await irc('zoe');
    c.send(`PRIVMSG ics :${'x'.repeat(600)}`, 'PING :after');
    expect(await c.expect(/ 417 /)).toBe(':ics-chat.local 417 zoe :Input line was too long (at most 512 bytes with CR LF); it was ignored');
    expect(await c.expect(/PONG/)).toBe(':ics-chat.local PONG ics-chat.local :after');
  });

  it('sends the ERROR of a labelled QUIT (a closing connection answers no label)', async () => {
    await start();
    const c = await irc('zoe', ['labeled-response']);
    c.send('@label=q QUIT :bye');
    expect(await c.expect(/^ERROR /)).toBe('ERROR :Closing Link: zoe (Quit: bye)');
  });

  it('gives tags 4096 bytes of their own beyond the 512 of the rest (message-tags), and no more', async () => {
    await start();
    const c = await irc('zoe');
    const tags = `@+x/pad=${'t'.repeat(4000)}`;
    c.send(`${tags} PING :${'p'.repeat(400)}`, `${tags} PING :${'p'.repeat(520)}`, `@+x/pad=${'t'.repeat(4200)} PING :short`, 'PING :after');
    expect(await c.expect(/PONG/)).toBe(`:ics-chat.local PONG ics-chat.local :${'p'.repeat(400)}`);
    expect(await c.expect(/ 417 /)).toContain('Input line was too long');
    expect(await c.expect(/ 417 /)).toContain('Input line was too long');
    expect(await c.expect(/PONG/)).toBe(':ics-chat.local PONG ics-chat.local :after');
  });
});

describe('liveness', () => {
  it('pings an idle client, keeps one that answers, and drops one that does not', async () => {
    // A client has two whole seconds to answer, however busy the machine.
    await start((config) => ({ ...config, irc: { ...config.irc, pingIntervalMs: 2000 } }));
    const alive = await irc('alive');
    const dead = await irc('dead');
    expect(await alive.expect(/^PING /, 15_000)).toBe('PING :ics-chat.local');
    alive.send('PONG :ics-chat.local');
    expect(await dead.expect(/^PING /, 15_000)).toBe('PING :ics-chat.local');
    expect(await dead.expect(/^ERROR /, 15_000)).toBe('ERROR :Closing Link: dead (Ping timeout: 2 seconds)');
    await dead.waitClosed();
    alive.send('ISON alive dead');
    expect(await alive.expect(/ 303 /)).toBe(':ics-chat.local 303 alive :alive');
    expect(srv.logs.some((l) => l.includes('dropping a silent irc client'))).toBe(true);
  });
});
