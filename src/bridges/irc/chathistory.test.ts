import { describe, expect, it } from 'vitest';
import { ircHarness, turn, type TestSession } from '../../../test/helpers/irc-session.js';

/** A clock a second further on at each reading, so that lines have distinct times. */
function ticking(): () => Date {
  let at = Date.UTC(2026, 10, 25, 14, 30);
  return () => new Date((at += 1000));
}

/** The texts of the PRIVMSGs among the lines. */
const said = (lines: string[]): string[] => lines.filter((l) => l.includes(' PRIVMSG ')).map((l) => l.slice(l.lastIndexOf(' :') + 2));

/**
 * #tea: ann alone says l0; zoe joins; ann says l1 and l2; zoe leaves, ann says l3; zoe is back, ann
 * says l4 and l5. zoe may read l1, l2, l4, l5 (msgids 1-2, 1-3, 1-5, 1-6).
 */
async function tea(env: Record<string, string> = {}) {
  const h = ircHarness([], [], { now: ticking(), env });
  const ann = await h.irc('ann');
  const zoe = await h.irc('zoe');
  const say = async (text: string): Promise<void> => {
    await ann.send(`PRIVMSG #tea :${text}`);
    await turn();
  };
  await ann.send('JOIN #tea');
  await say('l0');
  await zoe.send('JOIN #tea');
  await say('l1');
  await say('l2');
  await zoe.send('PART #tea');
  await say('l3');
  await zoe.send('JOIN #tea');
  await say('l4');
  await say('l5');
  zoe.take();
  ann.take();
  return { ...h, ann, zoe };
}

async function ask(t: TestSession, line: string): Promise<string[]> {
  await t.send(line);
  return t.take();
}

describe('CHATHISTORY', () => {
  it('gives a page as a chathistory batch of lines tagged with time and msgid, of the lines the user was entitled to', async () => {
    const { zoe } = await tea();
    await zoe.send('CAP REQ :batch server-time message-tags draft/chathistory');
    zoe.take();
    const page = await ask(zoe, 'CHATHISTORY LATEST #tea * 10');
    expect(page[0]).toBe(':ics-chat.local BATCH +1 chathistory :#tea');
    expect(page.at(-1)).toBe(':ics-chat.local BATCH :-1');
    expect(page.slice(1, -1).map((l) => l.replace(/time=[^;]+/, 'time=T'))).toEqual([
      '@batch=1;time=T;msgid=1-2 :ann!ann@history PRIVMSG #tea :l1',
      '@batch=1;time=T;msgid=1-3 :ann!ann@history PRIVMSG #tea :l2',
      '@batch=1;time=T;msgid=1-5 :ann!ann@history PRIVMSG #tea :l4',
      '@batch=1;time=T;msgid=1-6 :ann!ann@history PRIVMSG #tea :l5',
    ]);
  });

  it('puts the label of a labelled request on its batch, and answers an empty page with an empty batch', async () => {
    const { zoe } = await tea();
    await zoe.send('CAP REQ :batch labeled-response');
    zoe.take();
    expect(await ask(zoe, '@label=h1 CHATHISTORY LATEST #tea * 1')).toEqual([
      '@label=h1 :ics-chat.local BATCH +1 chathistory :#tea',
      '@batch=1 :ann!ann@history PRIVMSG #tea :l5',
      ':ics-chat.local BATCH :-1',
    ]);
    expect(await ask(zoe, '@label=h2 CHATHISTORY AFTER #tea msgid=1-6 5')).toEqual(['@label=h2 :ics-chat.local BATCH +2 chathistory :#tea', ':ics-chat.local BATCH :-2']);
  });

  it('reads before, after, around and between msgids and timestamps, never past what the user saw', async () => {
    const { zoe } = await tea();
    expect(said(await ask(zoe, 'CHATHISTORY LATEST #TEA * 2'))).toEqual(['l4', 'l5']);
    expect(said(await ask(zoe, 'CHATHISTORY LATEST #tea msgid=1-5 0'))).toEqual(['l5']);
    expect(said(await ask(zoe, 'CHATHISTORY BEFORE #tea msgid=1-5 2'))).toEqual(['l1', 'l2']);
    expect(said(await ask(zoe, 'CHATHISTORY AFTER #tea msgid=1-2 2'))).toEqual(['l2', 'l4']);
    expect(said(await ask(zoe, 'CHATHISTORY AROUND #tea msgid=1-5 3'))).toEqual(['l2', 'l4', 'l5']);
    expect(said(await ask(zoe, 'CHATHISTORY BETWEEN #tea msgid=1-1 msgid=1-6 2'))).toEqual(['l1', 'l2']);
    expect(said(await ask(zoe, 'CHATHISTORY BETWEEN #tea msgid=1-6 msgid=1-1 2'))).toEqual(['l2', 'l4']);
    await zoe.send('CAP REQ :server-time');
    zoe.take();
    const [l2] = await ask(zoe, 'CHATHISTORY BEFORE #tea msgid=1-4 1');
    const at = /time=([^ ;]+)/.exec(l2 ?? '')![1]!;
    expect(said(await ask(zoe, `CHATHISTORY AFTER #tea timestamp=${at} 5`))).toEqual(['l4', 'l5']);
    expect(said(await ask(zoe, `CHATHISTORY BEFORE #tea timestamp=${at} 5`))).toEqual(['l1']);
    expect(said(await ask(zoe, `CHATHISTORY AROUND #tea timestamp=${at} 2`))).toEqual(['l1', 'l2']);
    expect(said(await ask(zoe, 'CHATHISTORY LATEST #elsewhere * 5'))).toEqual([]);
  });

  it('reads a private conversation by the other nick, and lists the conversations with lines between two moments', async () => {
    const { zoe, ann } = await tea();
    await zoe.send('PRIVMSG ann :psst');
    await ann.send('PRIVMSG zoe :yes?');
    await turn();
    await ann.send('QUIT');
    zoe.take();
    expect(await ask(zoe, 'CHATHISTORY LATEST ann * 5')).toEqual([':zoe!zoe@history PRIVMSG ann :psst', ':ann!ann@history PRIVMSG zoe :yes?']);
    await zoe.send('CAP REQ :batch');
    zoe.take();
    expect(await ask(zoe, 'CHATHISTORY TARGETS timestamp=2026-01-01T00:00:00.000Z timestamp=2027-01-01T00:00:00.000Z 10')).toEqual([
      ':ics-chat.local BATCH +1 :draft/chathistory-targets',
      expect.stringMatching(/^@batch=1 :ics-chat.local CHATHISTORY TARGETS #tea :2026-11-25T14:3\d:\d\d.000Z$/),
      expect.stringMatching(/^@batch=1 :ics-chat.local CHATHISTORY TARGETS ann :2026-11-25T14:3\d:\d\d.000Z$/),
      ':ics-chat.local BATCH :-1',
    ]);
  });

  it('answers a malformed request with FAIL', async () => {
    const { zoe } = await tea();
    expect(await ask(zoe, 'CHATHISTORY LATEST #tea *')).toEqual([':ics-chat.local FAIL CHATHISTORY NEED_MORE_PARAMS LATEST :Missing parameters']);
    expect(await ask(zoe, 'CHATHISTORY BEFORE #tea yesterday 5')).toEqual([':ics-chat.local FAIL CHATHISTORY INVALID_PARAMS BEFORE yesterday :a message is named by msgid= or timestamp=']);
    expect(await ask(zoe, 'CHATHISTORY AFTER #tea msgid=1-2 many')).toEqual([':ics-chat.local FAIL CHATHISTORY INVALID_PARAMS AFTER :the last parameter is the number of messages wanted']);
    expect(await ask(zoe, 'CHATHISTORY SIDEWAYS #tea * 5')).toEqual([':ics-chat.local FAIL CHATHISTORY INVALID_PARAMS SIDEWAYS :Unknown subcommand']);
    expect(await ask(zoe, 'CHATHISTORY TARGETS msgid=1-1 timestamp=2027-01-01T00:00:00.000Z 5')).toEqual([':ics-chat.local FAIL CHATHISTORY INVALID_PARAMS TARGETS :TARGETS takes two timestamp= bounds']);
  });
});

describe('the replay on JOIN (IRC_JOIN_REPLAY)', () => {
  it("shows a registered user without draft/chathistory the channel's last lines they may read, after the JOIN burst", async () => {
    const { zoe } = await tea({ IRC_JOIN_REPLAY: '2' });
    await zoe.send('CAP REQ :server-time', 'PART #tea', 'JOIN #tea');
    expect(said(zoe.take())).toEqual([]);
    await zoe.send('PRIVMSG ics :register zoes-password', 'PART #tea', 'JOIN #tea');
    const lines = zoe.take();
    const join = lines.findIndex((l) => l.endsWith(' JOIN :#tea'));
    expect(join).toBeGreaterThan(-1);
    expect(lines.slice(join + 1).filter((l) => / 35[03] | 366 /.test(l)).length).toBe(2);
    const replay = lines.slice(lines.findIndex((l) => / 366 /.test(l)) + 1);
    expect(replay.map((l) => l.replace(/^@time=\S+ /, '@time=T '))).toEqual(['@time=T :ann!ann@history PRIVMSG #tea :l4', '@time=T :ann!ann@history PRIVMSG #tea :l5']);
    await zoe.send('CAP REQ :draft/chathistory', 'PART #tea', 'JOIN #tea');
    expect(said(zoe.take())).toEqual([]);
  });
});
