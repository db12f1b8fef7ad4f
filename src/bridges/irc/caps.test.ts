import { describe, expect, it } from 'vitest';
import { ircHarness, turn } from '../../../test/helpers/irc-session.js';
import { lsReplies } from './commands/cap.js';

const LS = 'account-notify account-tag away-notify batch cap-notify chghost draft/chathistory echo-message extended-join invite-notify labeled-response message-tags multi-prefix sasl=PLAIN server-time setname userhost-in-names';

describe('CAP negotiation', () => {
  it('lists values for CAP 302 only, and turns cap-notify on for it', async () => {
    const { session } = ircHarness();
    const old = session();
    await old.send('CAP LS', 'CAP LIST');
    expect(old.take()).toEqual([`:ics-chat.local CAP * LS :${LS.replace('=PLAIN', '')}`, ':ics-chat.local CAP * LIST :']);
    const modern = session();
    await modern.send('CAP LS 302', 'CAP LIST');
    expect(modern.take()).toEqual([`:ics-chat.local CAP * LS :${LS}`, ':ics-chat.local CAP * LIST :cap-notify']);
  });

  it('spreads a long list over lines that fit, each but the last marked with * for CAP 302', () => {
    expect(lsReplies(302)).toEqual([['LS', LS]]);
    const short = lsReplies(302, 60);
    expect(short.length).toBeGreaterThan(2);
    expect(short.map((p) => p.at(-1)).join(' ')).toBe(LS);
    for (const p of short) expect(Buffer.byteLength(p.at(-1)!)).toBeLessThanOrEqual(60);
    expect(short.slice(0, -1).every((p) => p[1] === '*')).toBe(true);
    expect(short.at(-1)).toHaveLength(2);
    expect(lsReplies(301, 60).every((p) => p.length === 2)).toBe(true);
  });

  it('acknowledges a request whole or refuses it whole, removes with -, and takes requests after registration', async () => {
    const { session } = ircHarness();
    const t = session();
    await t.send('CAP LS 302', 'CAP REQ :echo-message bogus server-time', 'CAP REQ :echo-message server-time batch', 'CAP REQ :-batch', 'CAP REQ', 'CAP LIST');
    expect(t.take()).toEqual([
      `:ics-chat.local CAP * LS :${LS}`,
      ':ics-chat.local CAP * NAK :echo-message bogus server-time',
      ':ics-chat.local CAP * ACK :echo-message server-time batch',
      ':ics-chat.local CAP * ACK :-batch',
      ':ics-chat.local CAP * NAK :',
      ':ics-chat.local CAP * LIST :cap-notify echo-message server-time',
    ]);
    await t.send('NICK zoe', 'USER zoe 0 * :Zoe');
    expect(t.take()).toEqual([]);
    await t.send('CAP END');
    expect(t.take()[0]).toContain(' 001 zoe ');
    await t.send('CAP REQ :message-tags', 'CAP LIST');
    expect(t.take()).toEqual([':ics-chat.local CAP zoe ACK :message-tags', ':ics-chat.local CAP zoe LIST :cap-notify echo-message server-time message-tags']);
  });
});

describe('echo-message, message-tags and labeled-response', () => {
  async function pair() {
    const h = ircHarness();
    const zoe = await h.irc('zoe');
    const ann = await h.irc('ann');
    await zoe.send('CAP REQ :echo-message message-tags server-time labeled-response batch', 'JOIN #tea');
    await ann.send('CAP REQ :message-tags', 'JOIN #tea');
    zoe.take();
    ann.take();
    return { ...h, zoe, ann };
  }

  it('echoes a line to its sender with the msgid and time everyone else gets, and nothing without echo-message', async () => {
    const { zoe, ann } = await pair();
    await zoe.send('PRIVMSG #tea :hello');
    await ann.send('PRIVMSG #tea :hi');
    expect(zoe.take()).toEqual([]);
    await turn();
    expect(zoe.take()).toEqual([
      '@time=2026-11-25T14:30:00.000Z;msgid=1-1 :zoe!~zoe@irc PRIVMSG #tea :hello',
      '@time=2026-11-25T14:30:00.000Z;msgid=1-2 :ann!~ann@irc PRIVMSG #tea :hi',
    ]);
    expect(ann.take()).toEqual(['@msgid=1-1 :zoe!~zoe@irc PRIVMSG #tea :hello']);
  });

  it("tags a line with its sender's account for account-tag, once the sender holds one", async () => {
    const { zoe, ann } = await pair();
    await ann.send('CAP REQ :-message-tags account-tag');
    ann.take();
    await zoe.send('PRIVMSG #tea :guest', 'PRIVMSG ics :register zoes-password', 'PRIVMSG #tea :owner');
    await turn();
    expect(ann.take()).toEqual([':zoe!~zoe@irc PRIVMSG #tea :guest', '@account=zoe :zoe!zoe@irc PRIVMSG #tea :owner']);
  });

  it('passes client-only tags on to clients with message-tags, and never tags a client may not set', async () => {
    const { zoe, ann, irc } = await pair();
    const bob = await irc('bob');
    await bob.send('JOIN #tea');
    bob.take();
    ann.take();
    await zoe.send('@+draft/reply=1-1;+example.com/mood=calm\\sday;msgid=forged;time=2000-01-01T00:00:00.000Z;+bad!key=1 PRIVMSG #tea :tagged');
    await turn();
    expect(ann.take()).toEqual(['@msgid=1-1;+draft/reply=1-1;+example.com/mood=calm\\sday :zoe!~zoe@irc PRIVMSG #tea :tagged']);
    expect(bob.take()).toEqual([':zoe!~zoe@irc PRIVMSG #tea :tagged']);
  });

  it('passes a TAGMSG to a channel on to its members that take message-tags, the sender too with echo-message', async () => {
    const { zoe, ann, irc } = await pair();
    const bob = await irc('bob');
    await bob.send('JOIN #tea');
    bob.take();
    ann.take();
    zoe.take();
    await zoe.send('@+typing=active;label=t1 TAGMSG #tea', '@+typing=paused TAGMSG #nowhere', 'TAGMSG #tea', '@+typing=done TAGMSG ann');
    expect(ann.take()).toEqual(['@+typing=active :zoe!~zoe@irc TAGMSG :#tea']);
    expect(bob.take()).toEqual([]);
    expect(zoe.take()).toEqual(['@+typing=active :zoe!~zoe@irc TAGMSG :#tea', '@label=t1 :ics-chat.local ACK']);
  });

  it('echoes a private line to the one it was written to', async () => {
    const { zoe, ann } = await pair();
    await zoe.send('PRIVMSG ann :psst');
    await turn();
    expect(zoe.take()).toEqual(['@time=2026-11-25T14:30:00.000Z;msgid=2-1 :zoe!~zoe@irc PRIVMSG ann :psst']);
    expect(ann.take()).toEqual(['@msgid=2-1 :zoe!~zoe@irc PRIVMSG ann :psst']);
  });

  it('labels a reply: ACK for none, the line for one, a batch for several, the echo for a labelled line', async () => {
    const { zoe } = await pair();
    await zoe.send('@label=a1 PONG :x', '@label=a2 PING :x', '@label=a3 NAMES #tea', '@label=a4 TAGMSG #tea');
    expect(zoe.take()).toEqual([
      '@label=a1 :ics-chat.local ACK',
      '@label=a2 :ics-chat.local PONG ics-chat.local :x',
      '@label=a3 :ics-chat.local BATCH +1 :labeled-response',
      '@batch=1 :ics-chat.local 353 zoe = #tea :@zoe ann',
      '@batch=1 :ics-chat.local 366 zoe #tea :End of /NAMES list',
      ':ics-chat.local BATCH :-1',
      '@label=a4 :ics-chat.local ACK',
    ]);
    await zoe.send('@label=a5 PRIVMSG #tea :labelled', '@label=a6;+draft/reply=1-1 PRIVMSG #nowhere :lost');
    expect(zoe.take()).toEqual(['@label=a6 :ics-chat.local 403 zoe #nowhere :No such channel']);
    await turn();
    expect(zoe.take()).toEqual(['@label=a5;time=2026-11-25T14:30:00.000Z;msgid=1-1 :zoe!~zoe@irc PRIVMSG #tea :labelled']);
  });

  it('labels the first line of a reply of several for a client without batch', async () => {
    const { ann } = await pair();
    await ann.send('CAP REQ :labeled-response', '@label=n1 NAMES #tea');
    expect(ann.take()).toEqual([
      ':ics-chat.local CAP ann ACK :labeled-response',
      '@label=n1 :ics-chat.local 353 ann = #tea :@zoe ann',
      ':ics-chat.local 366 ann #tea :End of /NAMES list',
    ]);
  });

  it('leaves a line pushed by the hub during a labelled command out of its reply', async () => {
    const { zoe, ann } = await pair();
    // Joining commits the lines said so far first: ann's reaches zoe while her JOIN runs.
    await ann.send('PRIVMSG #tea :meanwhile');
    await zoe.send('@label=b1 JOIN #cake');
    expect(zoe.take()).toEqual([
      '@time=2026-11-25T14:30:00.000Z;msgid=1-1 :ann!~ann@irc PRIVMSG #tea :meanwhile',
      '@label=b1 :ics-chat.local BATCH +1 :labeled-response',
      '@batch=1 :zoe!~zoe@irc JOIN :#cake',
      '@batch=1 :ics-chat.local 353 zoe = #cake :@zoe',
      '@batch=1 :ics-chat.local 366 zoe #cake :End of /NAMES list',
      ':ics-chat.local BATCH :-1',
    ]);
  });
});
