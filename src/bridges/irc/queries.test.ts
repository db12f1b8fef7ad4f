import { describe, expect, it } from 'vitest';
import { ircHarness, turn } from '../../../test/helpers/irc-session.js';
import { DEFAULT_MOTD } from './welcome.js';

describe('WHO', () => {
  it('lists a channel in join order with prefixes, a mask over nick, username, host and realname, and away users as G', async () => {
    const { irc, other } = ircHarness();
    const zoe = await irc('zoe');
    const ann = await irc('ann');
    const peter = await other('peter');
    await zoe.send('JOIN #tea');
    await ann.send('JOIN #tea', 'AWAY :out');
    await peter.session.dispatch({ action: 'connect', target: '#tea' });
    zoe.take();
    await zoe.send('WHO #tea', 'WHO *cp', 'WHO ~an*', 'WHO #nowhere');
    expect(zoe.take()).toEqual([
      ':ics-chat.local 352 zoe #tea ~zoe irc ics-chat.local zoe H@ :0 zoe',
      ':ics-chat.local 352 zoe #tea ~ann irc ics-chat.local ann G :0 ann',
      ':ics-chat.local 352 zoe #tea peter tcp ics-chat.local peter H :0 peter on the tcp front',
      ':ics-chat.local 315 zoe #tea :End of WHO list',
      ':ics-chat.local 352 zoe * peter tcp ics-chat.local peter H :0 peter on the tcp front',
      ':ics-chat.local 315 zoe *cp :End of WHO list',
      ':ics-chat.local 352 zoe * ~ann irc ics-chat.local ann G :0 ann',
      ':ics-chat.local 315 zoe ~an* :End of WHO list',
      ':ics-chat.local 315 zoe #nowhere :End of WHO list',
    ]);
  });

  it('answers WHOX with the fields asked for, in the protocol\'s order, with the token', async () => {
    const { irc, other } = ircHarness();
    const zoe = await irc('zoe');
    await zoe.send('JOIN #tea');
    await (await other('peter')).session.dispatch({ action: 'connect', target: '#tea' });
    zoe.take();
    await zoe.send('WHO #tea %rfnhuct,42', 'WHO zoe %na', 'WHO zoe %ilds');
    expect(zoe.take()).toEqual([
      ':ics-chat.local 354 zoe 42 #tea ~zoe irc zoe H@ :zoe',
      ':ics-chat.local 354 zoe 42 #tea peter tcp peter H :peter on the tcp front',
      ':ics-chat.local 315 zoe #tea :End of WHO list',
      ':ics-chat.local 354 zoe zoe :0',
      ':ics-chat.local 315 zoe zoe :End of WHO list',
      ':ics-chat.local 354 zoe 255.255.255.255 ics-chat.local 0 :0',
      ':ics-chat.local 315 zoe zoe :End of WHO list',
    ]);
  });
});

describe('WHOIS and WHOWAS', () => {
  it('tells an IRC user\'s ident, every channel with prefixes, idle and signon, away, and the account', async () => {
    const { irc, hub } = ircHarness();
    const zoe = await irc('zoe');
    const ann = await irc('ann');
    await ann.send('JOIN #a,#b', 'AWAY :back soon');
    await zoe.send('JOIN #b');
    zoe.take();
    await zoe.send('WHOIS ANN');
    const signon = String(Date.UTC(2026, 10, 25, 14, 30) / 1000);
    expect(zoe.take()).toEqual([
      ':ics-chat.local 311 zoe ann ~ann irc * :ann',
      ':ics-chat.local 312 zoe ann ics-chat.local :connected through the irc front',
      ':ics-chat.local 319 zoe ann :@#a @#b',
      `:ics-chat.local 317 zoe ann 0 ${signon} :seconds idle, signon time`,
      ':ics-chat.local 301 zoe ann :back soon',
      ':ics-chat.local 318 zoe ann :End of /WHOIS list',
    ]);
    // A registered user of another front shows its account.
    const peter = hub.open({ front: 'tcp', deliver: () => undefined });
    await peter.dispatch({ action: 'login', name: 'peter' });
    await peter.dispatch({ action: 'register', password: 'a fine password' });
    await zoe.send('WHOIS peter');
    expect(zoe.take()).toContain(':ics-chat.local 330 zoe peter peter :is logged in as');
  });

  it('remembers nicks given up by a NICK or a quit, newest first, as many as asked', async () => {
    const { irc } = ircHarness();
    const zoe = await irc('zoe');
    const ann = await irc('ann');
    await ann.send('NICK anna', 'NICK ann');
    ann.s.close();
    await zoe.send('WHOWAS ann', 'WHOWAS ann 1', 'WHOWAS ghost');
    const when = 'Wed, 25 Nov 2026 14:30:00 GMT';
    expect(zoe.take()).toEqual([
      ':ics-chat.local 314 zoe ann ~ann irc * :ann',
      `:ics-chat.local 312 zoe ann ics-chat.local :${when}`,
      ':ics-chat.local 314 zoe ann ~ann irc * :ann',
      `:ics-chat.local 312 zoe ann ics-chat.local :${when}`,
      ':ics-chat.local 369 zoe ann :End of WHOWAS',
      ':ics-chat.local 314 zoe ann ~ann irc * :ann',
      `:ics-chat.local 312 zoe ann ics-chat.local :${when}`,
      ':ics-chat.local 369 zoe ann :End of WHOWAS',
      ':ics-chat.local 406 zoe ghost :There was no such nickname',
      ':ics-chat.local 369 zoe ghost :End of WHOWAS',
    ]);
  });
});

describe('extended-join', () => {
  it('shows the realname USER gave, and a user of another front described', async () => {
    const { session, other } = ircHarness();
    const zoe = session();
    await zoe.send('CAP LS 302', 'CAP REQ :extended-join', 'NICK zoe', 'USER zoe 0 * :Zoe Z', 'CAP END', 'JOIN #tea');
    zoe.take();
    const ann = session();
    await ann.send('NICK ann', 'USER an 0 * :Ann Smith', 'JOIN #tea');
    await (await other('peter')).session.dispatch({ action: 'connect', target: '#tea' });
    expect(zoe.take()).toEqual([':ann!~an@irc JOIN #tea * :Ann Smith', ':peter!peter@tcp JOIN #tea * :peter on the tcp front']);
  });
});

describe('server operators', () => {
  it('are marked * in WHO and USERHOST, and 313 in WHOIS', async () => {
    const { irc } = ircHarness([], [{ name: 'root', password: 'correct horse' }]);
    const zoe = await irc('zoe');
    const ann = await irc('ann');
    await zoe.send('OPER root :correct horse');
    await ann.send('WHO zoe', 'USERHOST zoe ann', 'WHOIS zoe');
    const lines = ann.take();
    expect(lines.slice(0, 3)).toEqual([
      ':ics-chat.local 352 ann * ~zoe irc ics-chat.local zoe H* :0 zoe',
      ':ics-chat.local 315 ann zoe :End of WHO list',
      ':ics-chat.local 302 ann :zoe*=+~zoe@irc ann=+~ann@irc',
    ]);
    expect(lines).toContain(':ics-chat.local 313 ann zoe :is an IRC operator');
  });
});

describe('AWAY', () => {
  it('is kept by the hub: other fronts see it, and a private line to one away gets 301', async () => {
    const { irc, other } = ircHarness();
    const zoe = await irc('zoe');
    const peter = await other('peter');
    await zoe.send('AWAY :gone fishing');
    expect(zoe.take()).toEqual([':ics-chat.local 306 zoe :You have been marked as being away']);
    await peter.session.dispatch({ action: 'list' });
    expect(peter.events.at(-1)).toMatchObject({ action: 'list', users: [{ name: 'zoe', away: 'gone fishing' }, { name: 'peter' }] });
    await peter.session.dispatch({ action: 'away', message: 'at lunch' });
    await zoe.send('PRIVMSG peter :hello', 'USERHOST peter zoe', 'AWAY', 'AWAY');
    expect(zoe.take()).toEqual([
      ':ics-chat.local 301 zoe peter :at lunch',
      ':ics-chat.local 302 zoe :peter=-peter@tcp zoe=-~zoe@irc',
      ':ics-chat.local 305 zoe :You are no longer marked as being away',
      ':ics-chat.local 305 zoe :You are no longer marked as being away',
    ]);
  });
});

describe('renames from other fronts', () => {
  it('shows a peer\'s rename as NICK once, however many channels are shared, and follows it in the channels', async () => {
    const { irc, other } = ircHarness();
    const zoe = await irc('zoe');
    const peter = await other('peter', 'tcp', ['events', 'rooms']);
    await zoe.send('JOIN #a,#b');
    await peter.session.dispatch({ action: 'connect', target: '#a' });
    await peter.session.dispatch({ action: 'connect', target: '#b' });
    zoe.take();
    await peter.session.dispatch({ action: 'rename', name: 'pete' });
    expect(zoe.take()).toEqual([':peter!peter@tcp NICK :pete']);
    await peter.session.dispatch({ action: 'exchange', message: 'hi', group: 1 });
    await turn();
    await zoe.send('NAMES #a');
    expect(zoe.take()).toEqual([':pete!pete@tcp PRIVMSG #a :hi', ':ics-chat.local 353 zoe = #a :@zoe pete', ':ics-chat.local 366 zoe #a :End of /NAMES list']);
  });
});

describe('server queries', () => {
  it('answers LUSERS, VERSION, INFO and ADMIN', async () => {
    const { irc, other } = ircHarness();
    const zoe = await irc('zoe');
    await (await other('peter')).session.dispatch({ action: 'connect', target: '#tea' });
    await zoe.send('LUSERS', 'VERSION', 'INFO', 'ADMIN');
    const lines = zoe.take();
    expect(lines.slice(0, 5)).toEqual([
      ':ics-chat.local 251 zoe :There are 2 users and 0 invisible on 1 servers',
      ':ics-chat.local 254 zoe 1 :channels formed',
      ':ics-chat.local 255 zoe :I have 2 clients and 0 servers',
      ':ics-chat.local 265 zoe 2 2 :Current local users: 2, Max: 2',
      ':ics-chat.local 266 zoe 2 2 :Current global users: 2, Max: 2',
    ]);
    expect(lines[5]).toBe(':ics-chat.local 351 zoe ics-chat-0.1.0 ics-chat.local :ICS chat IRC gateway');
    expect(lines.slice(6, 8).every((l) => l.includes(' 005 zoe '))).toBe(true);
    expect(lines.slice(8).map((l) => l.split(' ')[1])).toEqual(['371', '371', '371', '374', '256', '257', '258', '259']);
  });

  it('sends the MOTD line by line (here the shipped one), and 422 for an empty one', async () => {
    const shipped = ircHarness(DEFAULT_MOTD);
    const t = await shipped.irc('zoe');
    await t.send('MOTD');
    expect(t.take()).toEqual([
      ':ics-chat.local 375 zoe :- ics-chat.local Message of the day -',
      ...DEFAULT_MOTD.map((l) => `:ics-chat.local 372 zoe :- ${l}`),
      ':ics-chat.local 376 zoe :End of /MOTD command',
    ]);
    const empty = await ircHarness([]).irc('ann');
    await empty.send('MOTD');
    expect(empty.take()).toEqual([':ics-chat.local 422 ann :MOTD File is missing']);
  });

  it('lists channels by mask, negated mask and member count (ELIST=MU)', async () => {
    const { irc, other } = ircHarness();
    const zoe = await irc('zoe');
    await zoe.send('JOIN #tea,#coffee');
    await (await other('peter')).session.dispatch({ action: 'connect', target: '#tea' });
    zoe.take();
    const listed = async (arg: string): Promise<string[]> => {
      await zoe.send(`LIST ${arg}`);
      return zoe.take().filter((l) => / 322 /.test(l)).map((l) => l.split(' ')[3]!);
    };
    expect(await listed('*te*')).toEqual(['#tea']);
    expect(await listed('!*te*')).toEqual(['#coffee']);
    expect(await listed('>1')).toEqual(['#tea']);
    expect(await listed('<2')).toEqual(['#coffee']);
    expect(await listed('>0,*co*')).toEqual(['#coffee']);
    expect(await listed('#TEA,#nowhere')).toEqual(['#tea']);
  });
});

describe('messages', () => {
  it('refuses more targets than TARGMAX allows with 407, sending nothing', async () => {
    const { irc, other } = ircHarness();
    const zoe = await irc('zoe');
    const peter = await other('peter');
    await zoe.send('PRIVMSG peter,a,b,c,d :hi', 'NOTICE peter,a,b,c,d :hi');
    expect(zoe.take()).toEqual([':ics-chat.local 407 zoe d :Too many recipients (at most 4); the message was not sent']);
    await turn();
    expect(peter.events.filter((e) => e.action === 'exchange')).toEqual([]);
  });
});
