import { describe, expect, it } from 'vitest';
import { ircHarness } from '../../../test/helpers/irc-session.js';
import { IRC_HELP } from './commands/service.js';

/** zoe opens #tea (its operator) and ann joins it; welcomes and JOINs taken. */
async function tea() {
  const h = ircHarness();
  const zoe = await h.irc('zoe');
  const ann = await h.irc('ann');
  await zoe.send('JOIN #tea');
  await ann.send('JOIN #tea');
  zoe.take();
  ann.take();
  return { ...h, zoe, ann };
}

describe('answers in the window the user typed in', () => {
  it('shows the refusal of a command typed in a channel in that channel, not in the service window', async () => {
    const { ann } = await tea();
    await ann.send('PRIVMSG #tea :/kick zoe', 'PRIVMSG #tea :/lock', 'PRIVMSG #tea :/frobnicate');
    const got = ann.take();
    expect(got.length).toBeGreaterThanOrEqual(3);
    for (const line of got) expect(line).toMatch(/^:ics!ics@ics-chat\.local NOTICE #tea :/);
    expect(got.join('\n')).toContain('only operators of #tea can kick');
  });

  it('answers a command typed in a channel there (its usage, a who list) and a CTCP request to the channel there too', async () => {
    const { ann } = await tea();
    await ann.send('PRIVMSG #tea :/kick', 'PRIVMSG #tea :\x01VERSION\x01');
    expect(ann.take()).toEqual([
      ':ics!ics@ics-chat.local NOTICE #tea :usage: kick <name> [reason]: remove a member from your room',
      ':ics-chat.local NOTICE #tea :CTCP VERSION is not supported here',
    ]);
    await ann.send('PRIVMSG #tea :/who');
    const who = ann.take();
    expect(who.length).toBeGreaterThan(0);
    expect(who.every((l) => l.startsWith(':ics!ics@ics-chat.local NOTICE #tea :'))).toBe(true);
  });

  it('keeps the service window for commands sent to ics', async () => {
    const { ann } = await tea();
    await ann.send('PRIVMSG ics :/kick zoe', 'PRIVMSG ics :time');
    expect(ann.take()).toEqual([expect.stringMatching(/^:ics!ics@ics-chat\.local NOTICE ann :/), ':ics!ics@ics-chat.local NOTICE ann :Time is: 25.11.26,14:30']);
  });

  it('refuses a private line to a user who is not there with 401 naming them (the query window)', async () => {
    const { ann } = await tea();
    await ann.send('PRIVMSG nobody :hello?');
    expect(ann.take()).toEqual([':ics-chat.local 401 ann nobody :No such nick/channel']);
  });
});

describe('/msg ics help', () => {
  it('shows the IRC help: the service commands and IRC habits, nothing only the terminal has', async () => {
    const { ann } = await tea();
    await ann.send('PRIVMSG ics :help');
    const got = ann.take();
    expect(got).toEqual(IRC_HELP.split('\n').map((l) => `:ics!ics@ics-chat.local NOTICE ann :${l}`));
    const text = got.join('\n');
    for (const terminalOnly of ['//', 'asked for without echo', '++++', '_peer_']) expect(text).not.toContain(terminalOnly);
    for (const irc of ['/join #a,#b', '/msg peter hi', '/mode #room', '/whois', 'register <password>']) expect(text).toContain(irc);
  });
});

describe('a group described alike', () => {
  it('gives an ad-hoc group the same words in its topic (332) and in LIST (322)', async () => {
    const { irc, other } = ircHarness();
    const zoe = await irc('zoe');
    await other('peter');
    await zoe.send('PRIVMSG ics :c peter');
    const topic = zoe.take().find((l) => l.includes(' 332 '));
    await zoe.send('LIST');
    const listed = zoe.take().find((l) => l.includes(' 322 '));
    expect(topic).toMatch(/ 332 zoe #group-1 :ICS chat group 1: /);
    expect(listed?.split(' :').slice(1).join(' :')).toBe(topic?.split(' :').slice(1).join(' :'));
  });
});
