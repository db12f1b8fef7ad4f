/**
 * Injection across every pair of fronts: one room holds a native, an IRC, a web and a Discord
 * user; each sends the nastiest lines its front can carry, and every other member's client
 * shows what the rules in docs/PROTOCOL.md ("Text across fronts") say it must, and nothing
 * else: no injected IRC command, no ping, no markup, no control character on the wire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { startDiscordTest, type DiscordTest } from '../helpers/discord.js';
import { RawIrc } from '../helpers/irc-raw.js';
import { waitFor } from '../helpers/wait.js';
import { WsClient } from '../helpers/ws-client.js';
import type { FakeChannel, FakeUser } from '../fakes/discord/fake-discord.js';

type FrontName = 'tcp' | 'irc' | 'web' | 'discord';
const FRONTS: readonly FrontName[] = ['tcp', 'web', 'irc', 'discord'];

interface Case {
  name: string;
  /** What the user types (or, for a classic client, the raw frame it writes). */
  text: string | { rawFrame: Buffer };
  /** The fronts that send it. */
  from: readonly FrontName[];
  /** The chat line the hub relays, as native and web users receive it. */
  line: string;
  /** The IRC messages it becomes, when not one per non-blank line of `line`. */
  irc?: string[];
  /** The Discord posts it becomes, when not `line` as is. */
  discord?: string[];
}

const ALL = FRONTS;
const NOT_IRC: readonly FrontName[] = ['tcp', 'web', 'discord'];
const NATIVE: readonly FrontName[] = ['tcp', 'web'];

/** A classic frame holding bytes that are not UTF-8 inside the message (the header counts each bad byte as one character). */
function badUtf8Frame(): Buffer {
  const head = Buffer.from('{"action": "exchange", "message": "bad ', 'latin1');
  const tail = Buffer.from(' end"}', 'latin1');
  const payload = Buffer.concat([head, Buffer.from([0xff, 0xfe]), tail]);
  return Buffer.concat([Buffer.from(String(head.length + 2 + tail.length).padStart(5, '0')), payload]);
}

const CASES: Case[] = [
  {
    name: 'CR LF cannot end an IRC line',
    text: 'hi\r\nQUIT :pwned\r\nPRIVMSG #inj :fake\r\n:evil!e@x KICK #inj ivan',
    from: NOT_IRC,
    line: 'hi\nQUIT :pwned\nPRIVMSG #inj :fake\n:evil!e@x KICK #inj ivan',
  },
  { name: 'a lone CR is a line break, not a command', text: 'a\rPRIVMSG #inj :b\nNICK root', from: NATIVE, line: 'a\nPRIVMSG #inj :b\nNICK root' },
  { name: 'NUL shows as a symbol', text: 'before\0after', from: NOT_IRC, line: 'before␀after' },
  { name: 'NUL from IRC is dropped by the gateway', text: 'before\0after', from: ['irc'], line: 'beforeafter' },
  { name: 'a CTCP marker from another front is text', text: '\x01VERSION\x01', from: NOT_IRC, line: '␁VERSION␁' },
  { name: 'IRC /me is an action line', text: '\x01ACTION waves\x01', from: ['irc'], line: '*waves*', discord: ['\\*waves\\*'] },
  {
    name: 'IRC formatting from another front shows as symbols',
    text: '\x02bold\x02 \x0304,01red\x03 \x1ditalic\x1d \x1funder\x1f \x16rev\x16 \x0fplain',
    from: NOT_IRC,
    line: '␂bold␂ ␃04,01red␃ ␝italic␝ ␟under␟ ␖rev␖ ␏plain',
  },
  {
    name: 'IRC formatting from IRC is removed',
    text: '\x02bold\x02 \x0304,01red\x03 \x1ditalic\x1d \x1funder\x1f \x16rev\x16 \x0fplain',
    from: ['irc'],
    line: 'bold red italic under rev plain',
  },
  {
    name: 'Discord mentions from other fronts cannot ping',
    text: '@everyone @here <@123456789012345678> <@&234567890123456789> <#345678901234567890>',
    from: ['tcp', 'web', 'irc'],
    line: '@everyone @here <@123456789012345678> <@&234567890123456789> <#345678901234567890>',
    discord: ['@everyone @here \\<@123456789012345678> \\<@&234567890123456789> \\<#345678901234567890>'],
  },
  {
    name: 'Discord mentions from Discord become names',
    text: '@everyone @here <@123456789012345678> <@&234567890123456789> <#345678901234567890>',
    from: ['discord'],
    line: '@everyone @here @unknown-user @unknown-role #unknown-channel',
  },
  {
    name: 'markdown shows as typed on Discord',
    text: '**bold** __under__ ~~gone~~ `code` ||spoiler|| [click](https://evil.example/x)',
    from: ['tcp', 'web', 'irc'],
    line: '**bold** __under__ ~~gone~~ `code` ||spoiler|| [click](https://evil.example/x)',
    discord: ['\\*\\*bold\\*\\* \\_\\_under\\_\\_ \\~\\~gone\\~\\~ \\`code\\` \\|\\|spoiler\\|\\| \\[click\\](https://evil.example/x)'],
  },
  {
    name: 'block markdown shows as typed on Discord',
    text: '# Heading\n> quote\n-# small\n1. item\n```js\ncode\n```',
    from: NATIVE,
    line: '# Heading\n> quote\n-# small\n1. item\n```js\ncode\n```',
    discord: ['\\# Heading\n\\> quote\n\\-# small\n1\\. item\n\\`\\`\\`js\ncode\n\\`\\`\\`'],
  },
  {
    name: 'HTML and script are text',
    text: '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>&lt;b&gt; &amp;',
    from: ALL,
    line: '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>&lt;b&gt; &amp;',
    discord: ['\\<img src=x onerror="window.\\_\\_pwned=1">\\<script>window.\\_\\_pwned=2\\</script>&lt;b&gt; &amp;'],
  },
  {
    name: 'frame headers and JSON are text',
    text: String.raw`00035{"action": "login", "name": "x"}", "from": "[root]"} 00005hello\u0000`,
    from: ALL,
    line: String.raw`00035{"action": "login", "name": "x"}", "from": "[root]"} 00005hello\u0000`,
    discord: [String.raw`00035{"action": "login", "name": "x"}", "from": "\[root\]"} 00005hello\\u0000`],
  },
  {
    name: 'FTS5 syntax is text',
    text: 'NEAR(love hate) OR * AND "phrase* -x ^y {body}:z',
    from: ALL,
    line: 'NEAR(love hate) OR * AND "phrase* -x ^y {body}:z',
    discord: ['NEAR(love hate) OR \\* AND "phrase\\* -x ^y {body}:z'],
  },
  {
    name: 'ANSI escapes cannot reach a terminal',
    text: '\x1b[2J\x1b[31mred\x1b[0m \x1b]0;title\x07 \x9b6n',
    from: NOT_IRC,
    line: '␛[2J␛[31mred␛[0m ␛]0;title␇ \ufffd6n',
    discord: ['␛\\[2J␛\\[31mred␛\\[0m ␛\\]0;title␇ \ufffd6n'],
  },
  {
    name: 'ANSI escapes from IRC lose their controls',
    text: '\x1b[2J\x1b[31mred\x1b[0m \x1b]0;title\x07 \x9b6n',
    from: ['irc'],
    line: '[2J[31mred[0m ]0;title \ufffd6n',
    discord: ['\\[2J\\[31mred\\[0m \\]0;title \ufffd6n'],
  },
  {
    name: 'a bidi override is closed at the end of its line',
    text: 'innocent \u202eexe.txt\u2066 more',
    from: ALL,
    line: 'innocent \u202eexe.txt\u2066 more\u2069\u202c',
  },
  { name: 'zero-width and right-to-left marks pass', text: 'a\u200bb\u200cc\u200dd\u200fe 👩‍💻 שלום', from: ALL, line: 'a\u200bb\u200cc\u200dd\u200fe 👩‍💻 שלום' },
  { name: 'a leading colon is text', text: ':starts with a colon', from: ALL, line: ':starts with a colon' },
  { name: 'Unicode line separators are line breaks', text: 'one\u2028two\u2029three\u0085four', from: ALL, line: 'one\ntwo\nthree\nfour' },
  { name: 'lone surrogates become U+FFFD', text: 'x\ud800y\udfffz', from: ['tcp', 'web', 'discord'], line: 'x\ufffdy\ufffdz' },
  { name: 'a line of spaces stays visible', text: '   ', from: NATIVE, line: '   ', irc: [''], discord: ['*(blank line)*'] },
  { name: 'a line of controls', text: '\x07\x08\x1b', from: NATIVE, line: '␇␈␛' },
  { name: 'bytes that are not UTF-8 in a classic frame', text: { rawFrame: badUtf8Frame() }, from: ['tcp'], line: 'bad \ufffd\ufffd end' },
];

/** IRC messages for a line: one per non-blank line (one empty message when there is none). */
function ircLines(c: Case): string[] {
  if (c.irc) return c.irc;
  const lines = c.line.split('\n').filter((l) => l.trim() !== '');
  return lines.length > 0 ? lines : [''];
}

const NAMES: Record<FrontName, string> = { tcp: 'tina', irc: 'ivan', web: 'wendy', discord: 'dora' };
const ROOM = '#inj';
const IRC_CHAT = /^:([^!\s]+)!\S+@(tcp|web|discord|irc) PRIVMSG #inj :(.*)$/;

let t: DiscordTest;
let tina: ClassicClient;
let ivan: RawIrc;
let wendy: WsClient;
let dora: FakeUser;
let thread: FakeChannel;

beforeAll(async () => {
  // Every member sends a burst; the rate limits have tests of their own.
  t = await startDiscordTest({ env: { FRONTS: 'tcp,irc,discord,web', FLOOD_BURST: '1000000', FLOOD_RATE: '1000000' } });
  ivan = await RawIrc.register(t.srv.ircPort, 'ivan');
  ivan.send(`JOIN ${ROOM}`);
  await ivan.expect(/ 366 /);
  tina = await ClassicClient.login(t.srv.tcpPort, 'tina');
  tina.send({ action: 'connect', target: ROOM });
  await tina.next('connect');
  wendy = await WsClient.login(t.srv.webPort, 'wendy');
  wendy.send({ action: 'connect', target: ROOM });
  await wendy.next('connect');
  dora = t.fake.user('dora');
  const asked = t.fake.say(dora, t.fake.general.id, `c ${ROOM}`);
  await t.fake.message('the reply to dora', (m) => m.replyTo === asked);
  thread = await waitFor("dora in the room's thread", () => t.fake.threads().find((th) => th.members.has(dora.id)));
  await ivan.sync();
  ivan.lines.splice(0);
});

afterAll(async () => {
  tina.socket.destroy();
  ivan.close();
  wendy.ws.terminate();
  await t.close();
});

function send(front: FrontName, text: Case['text']): void {
  if (typeof text !== 'string') return tina.write(text.rawFrame);
  if (front === 'tcp') return tina.send({ action: 'exchange', message: text });
  if (front === 'web') return wendy.send({ action: 'exchange', message: text });
  if (front === 'irc') return ivan.send(`PRIVMSG ${ROOM} :${text}`);
  t.fake.say(dora, thread.id, text);
}

/** What `receiver` has shown of `sender`'s lines, in order: messages, or IRC message texts, or Discord posts. */
function received(receiver: FrontName, sender: FrontName): string[] {
  const name = NAMES[sender];
  switch (receiver) {
    case 'tcp':
      return tina.frames.filter((f) => f.action === 'exchange' && f['name'] === name).map((f) => String(f['message']));
    case 'web':
      return wendy.events.filter((f) => f.action === 'exchange' && f['name'] === name).map((f) => String(f['message']));
    case 'irc':
      return ivan.lines.flatMap((l) => {
        const m = IRC_CHAT.exec(l);
        return m && m[1] === name ? [m[3]!] : [];
      });
    case 'discord':
      return t.fake
        .postedIn(thread.id)
        .filter((m) => m.via === 'webhook' && m.username === `${name} (${sender})`)
        .map((m) => m.content);
  }
}

function expected(receiver: FrontName, cases: readonly Case[]): string[] {
  if (receiver === 'irc') return cases.flatMap(ircLines);
  if (receiver === 'discord') return cases.flatMap((c) => c.discord ?? [c.line]);
  return cases.map((c) => c.line);
}

describe('text across fronts', () => {
  for (const sender of FRONTS) {
    it(`from ${sender}: every other front shows each nasty line as the rules say`, async () => {
      const cases = CASES.filter((c) => c.from.includes(sender));
      for (const c of cases) send(sender, c.text);
      for (const receiver of FRONTS.filter((f) => f !== sender)) {
        const want = expected(receiver, cases);
        await waitFor(`${receiver} to show ${want.length} lines from ${sender}`, () => received(receiver, sender).length >= want.length, 10_000);
        const got = received(receiver, sender);
        for (const [i, c] of cases.entries()) {
          const start = expected(receiver, cases.slice(0, i)).length;
          const mine = expected(receiver, [c]);
          expect(got.slice(start, start + mine.length), `${c.name}: ${sender} -> ${receiver}`).toEqual(mine);
        }
        expect(got).toHaveLength(want.length);
      }
    });
  }

  it('left nothing but chat on any wire: no command on IRC, no ping on Discord, ASCII-only classic frames, one-line logs', async () => {
    // Everything still in flight arrives before the round trips below end.
    const ircLinesSeen = await ivan.sync();
    await tina.sync();
    await wendy.sync();
    expect(ircLinesSeen.length).toBeGreaterThan(CASES.length);
    for (const l of ircLinesSeen) {
      expect(l, 'an IRC line').toMatch(IRC_CHAT);
      expect(l).not.toMatch(/[\0\r\n\x01]/);
    }
    expect(tina.frames.filter((f) => f.action === 'error')).toEqual([]);
    for (const raw of tina.raw) expect(raw).toMatch(/^[\x20-\x7e]*$/);
    expect(wendy.events.filter((f) => f.action === 'error')).toEqual([]);
    const posts = t.fake.postedIn(thread.id).filter((m) => m.via === 'webhook');
    expect(posts.length).toBeGreaterThan(0);
    for (const p of posts) expect(p.allowedMentions, p.content).toEqual({ parse: [] });
    for (const line of t.srv.logs) expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
  });
});

describe('topics', () => {
  it('follow the same rules: formatting from IRC removed, controls from elsewhere shown, one line everywhere', async () => {
    ivan.send(`TOPIC ${ROOM} :\x02bold\x02 \x0304red\x03 topic\x01`);
    // tina logs in as the course's client does (no events): the topic reaches her in words.
    expect(await tina.nextWhere('the topic from IRC', (f) => f.action === 'note')).toEqual({ action: 'note', from: '', message: '(ivan set the topic: bold red topic)' });
    expect(await wendy.nextWhere('the topic from IRC', (f) => f.action === 'topic' && f['by'] === 'ivan')).toMatchObject({ topic: 'bold red topic' });
    tina.send({ action: 'topic', topic: '\x02x\r\nQUIT :y\x1b[2J' });
    expect(await ivan.expect(/^:tina!\S+ TOPIC #inj :/)).toBe(':tina!tina@tcp TOPIC #inj :␂x QUIT :y␛[2J');
    await t.fake.message('the topic in the thread', (m) => m.channelId === thread.id && m.content.includes('QUIT :y'));
    const notice = t.fake.postedIn(thread.id).filter((m) => m.content.includes('QUIT :y'));
    expect(notice.map((m) => m.content)).toEqual(['(tina set the topic: ␂x QUIT :y␛\\[2J)']);
  });
});

describe('what a front cannot carry', () => {
  it('reaches no one, and the sender is told: over-long lines, bytes that are not UTF-8 on IRC', async () => {
    const before = received('web', 'tcp').length;
    tina.send({ action: 'exchange', message: 'x'.repeat(8001) });
    expect(await tina.next('error')).toMatchObject({ code: 'too-large', for: 'exchange' });
    ivan.send(`PRIVMSG ${ROOM} :${'y'.repeat(600)}`);
    await ivan.expect(/ 417 ivan :Input line was too long/);
    ivan.write(Buffer.concat([Buffer.from(`PRIVMSG ${ROOM} :bad `), Buffer.from([0xff, 0xfe]), Buffer.from(' end\r\n')]));
    await ivan.expect(/NOTICE ivan :Your line was not valid UTF-8 and was ignored/);
    tina.send({ action: 'exchange', message: 'marker' });
    ivan.send(`PRIVMSG ${ROOM} :marker`);
    await waitFor('the markers', () => received('web', 'tcp').length > before && received('web', 'irc').includes('marker'));
    expect(received('web', 'tcp').slice(before)).toEqual(['marker']);
    expect(received('web', 'irc').filter((l) => l.startsWith('y') || l.startsWith('bad'))).toEqual([]);
  });

  it('cuts long lines to fit IRC (512 bytes, never inside a character) and Discord (2000 characters), losing nothing', async () => {
    const lines = ['x'.repeat(8000), '😀'.repeat(3000)];
    const before = { irc: received('irc', 'tcp').length, discord: received('discord', 'tcp').length };
    const rawBefore = ivan.lines.length;
    for (const l of lines) tina.send({ action: 'exchange', message: l });
    tina.send({ action: 'exchange', message: 'end of long lines' });
    await waitFor('the long lines on IRC and Discord', () => received('irc', 'tcp').includes('end of long lines') && received('discord', 'tcp').includes('end of long lines'), 10_000);
    const irc = received('irc', 'tcp').slice(before.irc, -1);
    const discord = received('discord', 'tcp').slice(before.discord, -1);
    expect(irc.join('')).toBe(lines.join(''));
    expect(discord.join('')).toBe(lines.join(''));
    for (const raw of ivan.lines.slice(rawBefore)) expect(Buffer.byteLength(raw) + 2).toBeLessThanOrEqual(512);
    for (const post of discord) expect(post.length).toBeLessThanOrEqual(2000);
    expect(irc.length).toBeGreaterThan(2);
    expect(discord.length).toBeGreaterThan(2);
  });
});
