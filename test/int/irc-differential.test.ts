/**
 * Differential tests: the same client sessions against our IRC gateway and against ngircd, a
 * real IRC server, compared after normalisation (test/helpers/irc-diff.ts: server names, hosts,
 * timestamps and prose are taken out; numerics, parameters and relayed commands stay). Every
 * difference that remains is deliberate and named below with its reason; an allowance that no
 * longer changes anything fails the test, so the list stays true.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ISUPPORT } from '../../src/bridges/irc/welcome.js';
import { compare, DiffSession, dropping, mapping, type Allowance, type Target } from '../helpers/irc-diff.js';
import { describeNeeds } from '../helpers/needs.js';
import { NGIRCD_NEED, startNgircd, type Ngircd } from '../helpers/ngircd.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

type Scenario = (s: DiffSession) => Promise<void>;

/** Differences every scenario may meet. */
const COMMON: Record<string, Allowance> = {
  isupport: {
    name: 'isupport',
    why: 'each server advertises its own features in 005 (ours are checked token by token below)',
    side: 'ours',
    rewrite: mapping((l) => l.replace(/ 005 (\S+) .*/, ' 005 $1 <tokens>')),
  },
  isupportThere: {
    name: 'isupport (ngircd)',
    why: 'as above, for ngircd',
    side: 'ngircd',
    rewrite: mapping((l) => l.replace(/ 005 (\S+) .*/, ' 005 $1 <tokens>')),
  },
  myinfo: {
    name: 'myinfo',
    why: '004 names each server\'s version and the user and channel modes it has',
    side: 'ours',
    rewrite: mapping((l) => l.replace(/ 004 (\S+) <server> .*/, ' 004 $1 <server> <version and modes>')),
  },
  myinfoThere: {
    name: 'myinfo (ngircd)',
    why: 'as above, for ngircd',
    side: 'ngircd',
    rewrite: mapping((l) => l.replace(/ 004 (\S+) <server> .*/, ' 004 $1 <server> <version and modes>')),
  },
  greeting: {
    name: 'service greeting',
    why: 'after the MOTD our service user ics says hello and how to get help (an extra of ours)',
    side: 'ours',
    rewrite: dropping((l) => l.includes(' :ics!ics@') && l.includes(' NOTICE ')),
  },
  highest: {
    name: 'ngircd 250',
    why: 'ngircd adds 250 (highest connection count) to LUSERS; it is not in the modern protocol',
    side: 'ngircd',
    rewrite: dropping((l) => / 250 /.test(l)),
  },
  serverChannel: {
    name: 'ngircd &SERVER',
    why: 'ngircd has a channel of its own, &SERVER: it counts it in 254 and lists it; we have no such channel',
    side: 'ngircd',
    rewrite: (lines) =>
      lines
        .filter((l) => !l.includes(' 322 ') || !l.includes(' &SERVER '))
        .flatMap((l) => {
          const count = / 254 \S+ (\d+) /.exec(l);
          if (!count) return [l];
          const n = Number(count[1]) - 1;
          return n === 0 ? [] : [l.replace(/ 254 (\S+) \d+ /, ` 254 $1 ${n} `)];
        }),
  },
  namesOrder: {
    name: 'names order',
    why: 'ngircd lists a channel\'s members newest first; we list them in the order they joined (both are allowed)',
    side: 'ngircd',
    rewrite: mapping((l) => l.replace(/( 353 \S+ = \S+ :)(.*)/, (_, head: string, names: string) => head + names.split(' ').reverse().join(' '))),
  },
  whoOrder: {
    name: 'who order',
    why: 'the same for WHO on a channel: one 352 per member, ngircd newest first, ours in join order',
    side: 'ngircd',
    rewrite: (lines) => {
      const out: string[] = [];
      let run: string[] = [];
      for (const l of [...lines, '']) {
        if (/ 352 \S+ #/.test(l)) run.push(l);
        else {
          out.push(...run.reverse(), ...(l === '' ? [] : [l]));
          run = [];
        }
      }
      return out;
    },
  },
};

let ngircd: Ngircd;
let ours: TestServer;
let motdDir: string;

/** Runs the scenario on both servers; the sessions, for checks beyond the comparison. */
async function differential(scenario: Scenario, allowances: Allowance[]): Promise<[DiffSession, DiffSession]> {
  const targets: Target[] = [
    { side: 'ours', port: ours.ircPort, serverName: 'ics-chat.local', clientHost: 'irc' },
    { side: 'ngircd', port: ngircd.port, serverName: ngircd.serverName, clientHost: '127.0.0.1' },
  ];
  const sessions = targets.map((t) => new DiffSession(t));
  try {
    await Promise.all(sessions.map((s) => scenario(s)));
  } finally {
    for (const s of sessions) s.closeAll();
  }
  const [mine, theirs] = sessions as [DiffSession, DiffSession];
  expect(mine.badLines(), 'lines we sent that are not UTF-8 or over 512 bytes').toEqual([]);
  const result = compare(mine.steps, theirs.steps, allowances);
  expect(result.ours).toEqual(result.ngircd);
  expect(result.unused, 'allowances that changed nothing').toEqual([]);
  return [mine, theirs];
}

describeNeeds(NGIRCD_NEED)('our IRC gateway against ngircd', () => {
  beforeAll(async () => {
    // The same one-line MOTD on both sides (the shipped default has four).
    motdDir = mkdtempSync(join(tmpdir(), 'ics-motd-'));
    writeFileSync(join(motdDir, 'motd.txt'), 'Hello from the oracle\n');
    [ngircd, ours] = await Promise.all([startNgircd(), startTestServer({ FRONTS: 'irc', IRC_MOTD_FILE: join(motdDir, 'motd.txt') })]);
  });
  afterAll(async () => {
    await Promise.all([ngircd?.stop(), ours?.destroy()]);
    rmSync(motdDir, { recursive: true, force: true });
  });

  it('registers with the same burst: 001-005, LUSERS, the MOTD; a realname that is not UTF-8 too', async () => {
    const [, theirs] = await differential(
      async (s) => {
        const ann = await s.client('ann', 'ann', 'an', 'Ann A');
        // `Café Crème` in Latin-1: both register it; we read it lossily (U+FFFD for each bad byte).
        await s.client('lat', 'lat', 'la', Buffer.from('Caf\xe9 Cr\xe8me', 'latin1'));
        await s.step('whois of a Latin-1 realname', ann, 'WHOIS lat');
      },
      [COMMON.isupport!, COMMON.isupportThere!, COMMON.myinfo!, COMMON.myinfoThere!, COMMON.greeting!, COMMON.highest!, COMMON.serverChannel!],
    );
    // A difference the comparison's decoding hides: ngircd relays the realname's bytes as they came,
    // so its 311 is not UTF-8 (though its ISUPPORT says CHARSET=UTF-8); ours is (checked above for
    // every line we send). Asserted, so the difference stays known.
    expect(theirs.badLines()).toEqual([expect.stringMatching(/^ann: :\S+ 311 ann lat /)]);
  });

  it('advertises in ISUPPORT what the gateway does', () => {
    for (const token of ['AWAYLEN=300', 'CASEMAPPING=rfc8265', 'CHANLIMIT=#:', 'CHANTYPES=#', 'ELIST=MU', 'NICKLEN=24', 'TOPICLEN=300', 'KICKLEN=300', 'UTF8ONLY', 'WHOX']) {
      expect(ISUPPORT).toContain(token);
    }
    expect(ISUPPORT.some((t) => t.startsWith('TARGMAX=') && t.includes('PRIVMSG:4'))).toBe(true);
  });

  it('answers WHO, WHOIS, AWAY, USERHOST, ISON, LUSERS and the server queries alike', async () => {
    await differential(
      async (s) => {
        const alice = await s.client('alice', 'alice', 'al', 'Alice A');
        const bob = await s.client('bob', 'bob', 'bo', 'Bob B');
        await s.step('join', alice, 'JOIN #tea');
        await s.step('bob joins', bob, 'JOIN #tea');
        await s.step('who', alice, 'WHO #tea', 'WHO bob', 'WHO nob*');
        await s.step('whois', alice, 'WHOIS bob', 'WHOIS nobody');
        await s.step('away', alice, 'AWAY :lunch');
        await s.step('message to one away', bob, 'PRIVMSG alice :hi');
        await s.step('whois of one away', bob, 'WHOIS alice');
        await s.step('userhost and ison', bob, 'USERHOST alice bob', 'ISON alice nobody BOB');
        await s.step('lusers', bob, 'LUSERS');
        await s.step('back', alice, 'AWAY');
        await s.step('names and list', alice, 'NAMES #tea', 'LIST', 'LIST #tea');
        await s.step('server queries', alice, 'TIME', 'ADMIN', 'MOTD', 'VERSION');
        await s.step('whowas', alice, 'WHOWAS nobody');
      },
      [
        COMMON.highest!,
        COMMON.serverChannel!,
        COMMON.namesOrder!,
        COMMON.whoOrder!,
        COMMON.isupport!,
        COMMON.isupportThere!,
        COMMON.myinfo!,
        COMMON.myinfoThere!,
        COMMON.greeting!,
        {
          name: 'version string',
          why: '351 names each server\'s own version',
          side: 'ngircd',
          rewrite: mapping((l) => l.replace(/ 351 (\S+) \S+ /, ' 351 $1 <version> ')),
        },
        {
          name: 'version string (ours)',
          why: 'as above',
          side: 'ours',
          rewrite: mapping((l) => l.replace(/ 351 (\S+) \S+ /, ' 351 $1 <version> ')),
        },
      ],
    );
  });

  it('changes nicks alike: 433, 432, a change of case, a new nick seen by a peer; QUIT tells the reason', async () => {
    await differential(
      async (s) => {
        const cy = await s.client('cy', 'cy', 'cy', 'Cy C');
        const dee = await s.client('dee', 'dee', 'de', 'Dee D');
        await s.step('join', cy, 'JOIN #nicks');
        await s.step('dee joins', dee, 'JOIN #nicks');
        await s.step('same nick', dee, 'NICK dee');
        await s.step('change of case', dee, 'NICK Dee');
        await s.step('refused nicks', dee, 'NICK cy', 'NICK 9x', 'NICK');
        await s.step('new nick', dee, 'NICK deedee');
        await s.step('peer sees it', cy, 'WHOIS deedee');
        await s.leave('quit', dee, 'QUIT :bye now');
        await s.step('whowas of one just gone', cy, 'WHOWAS deedee');
      },
      [
        COMMON.isupport!,
        COMMON.isupportThere!,
        COMMON.myinfo!,
        COMMON.myinfoThere!,
        COMMON.greeting!,
        COMMON.highest!,
        COMMON.serverChannel!,
        COMMON.namesOrder!,
        {
          name: 'NICK without a nick',
          why: 'ngircd answers 461 (need more parameters); the modern protocol, and we, answer 431 (no nickname given)',
          side: 'ngircd',
          rewrite: mapping((l) => l.replace(/ 461 (\S+) NICK :/, ' 431 $1 :')),
        },
        {
          name: 'quit reason',
          why: 'ngircd quotes a QUIT\'s reason ("bye now"); we show it as modern servers do (Quit: bye now)',
          side: 'ngircd',
          rewrite: mapping((l) => l.replace(/ QUIT :"(.*)"$/, ' QUIT :Quit: $1')),
        },
        {
          name: 'ngircd parting statistics',
          why: 'ngircd tells a quitting client its connection statistics in a NOTICE before the ERROR',
          side: 'ngircd',
          rewrite: dropping((l) => l.includes(' NOTICE ') && l.includes('Connection statistics')),
        },
        {
          name: 'whowas of a short stay',
          why: 'ngircd keeps no WHOWAS record of a nick held for less than 30 seconds; we keep every nick given up (the last 200)',
          step: 'whowas of one just gone',
          ours: ['cy< :<server> 314 cy deedee ~de <host> * :Dee D', 'cy< :<server> 312 cy deedee <server> :<text>', 'cy< :<server> 369 cy deedee :<text>'],
          ngircd: ['cy< :<server> 406 cy deedee :<text>', 'cy< :<server> 369 cy deedee :<text>'],
        },
      ],
    );
  });

  it('relays a line of 512 bytes ending in multi-byte characters, as valid UTF-8 within 512 bytes', async () => {
    // PRIVMSG #long :xxx...€é, exactly 512 bytes with CR LF, its last characters multi-byte.
    const head = 'PRIVMSG #long :';
    const tail = '€é€';
    const text = 'x'.repeat(510 - Buffer.byteLength(head) - Buffer.byteLength(tail)) + tail;
    expect(Buffer.byteLength(head + text) + 2).toBe(512);
    await differential(
      async (s) => {
        const eve = await s.client('eve', 'eve', 'ev', 'Eve E');
        const fay = await s.client('fay', 'fay', 'fa', 'Fay F');
        await s.step('join', eve, 'JOIN #long');
        await s.step('fay joins', fay, 'JOIN #long');
        await s.step('long line', eve, head + text);
      },
      [
        COMMON.isupport!,
        COMMON.isupportThere!,
        COMMON.myinfo!,
        COMMON.myinfoThere!,
        COMMON.greeting!,
        COMMON.highest!,
        COMMON.serverChannel!,
        COMMON.namesOrder!,
        {
          name: 'over-long relay',
          why: 'relayed with its sender\'s prefix the line passes 512 bytes: ngircd cuts it and marks it [CUT], losing its end; we split it at a character boundary into two PRIVMSGs, losing nothing',
          side: 'ours',
          rewrite: (lines) => {
            const joined: string[] = [];
            for (const l of lines) {
              const prev = joined.at(-1);
              const [prefix, said] = l.split(' PRIVMSG #long :');
              if (prev !== undefined && said !== undefined && prev.startsWith(`${prefix} PRIVMSG #long :`)) joined[joined.length - 1] = prev + said;
              else joined.push(l);
            }
            return joined;
          },
        },
        {
          name: 'ngircd [CUT]',
          why: 'the same difference seen from ngircd\'s side: what it cut is put back for the comparison, so the rest of the line is still compared',
          side: 'ngircd',
          rewrite: mapping((l) => (l.endsWith('[CUT]') && l.includes(' PRIVMSG #long :') ? l.split(' PRIVMSG #long :')[0] + ' PRIVMSG #long :' + text : l)),
        },
      ],
    );
  });
});
