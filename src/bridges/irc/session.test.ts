import { describe, expect, it } from 'vitest';
import { ircHarness, turn } from '../../../test/helpers/irc-session.js';

describe('registration', () => {
  it('holds registration until CAP END and acknowledges known capabilities only', async () => {
    const t = ircHarness().session();
    await t.send('CAP LS 302', 'NICK zoe', 'USER zoe 0 * :Zoe');
    expect(t.take()).toEqual([':ics-chat.local CAP * LS :account-notify account-tag away-notify batch cap-notify chghost draft/chathistory echo-message extended-join invite-notify labeled-response message-tags multi-prefix sasl=PLAIN server-time setname userhost-in-names']);
    await t.send('CAP REQ :multi-prefix bogus', 'CAP REQ :multi-prefix server-time', 'CAP LIST', 'CAP BOGUS');
    expect(t.take()).toEqual([
      ':ics-chat.local CAP * NAK :multi-prefix bogus',
      ':ics-chat.local CAP * ACK :multi-prefix server-time',
      ':ics-chat.local CAP * LIST :cap-notify multi-prefix server-time',
      ':ics-chat.local 410 * BOGUS :Invalid CAP command',
    ]);
    await t.send('CAP END');
    const welcome = t.take();
    expect(welcome.map((l) => l.split(' ')[1])).toEqual(['001', '002', '003', '004', '005', '005', '251', '255', '265', '266', '422', 'NOTICE']);
    expect(welcome[5]).toContain('NICKLEN=24');
    expect(welcome[5]).toContain('UTF8ONLY');
  });

  it('registers a client that sends no CAP at all, and shows a MOTD when there is one', async () => {
    const t = ircHarness(['Be kind.', 'Read sonnets.']).session();
    await t.send('NICK zoe', 'USER zoe 0 * :Zoe');
    expect(t.take().filter((l) => /^:\S+ 37[256] /.test(l))).toEqual([
      ':ics-chat.local 375 zoe :- ics-chat.local Message of the day -',
      ':ics-chat.local 372 zoe :- Be kind.',
      ':ics-chat.local 372 zoe :- Read sonnets.',
      ':ics-chat.local 376 zoe :End of /MOTD command',
    ]);
  });

  it('refuses a nick in use on any front (433), a malformed one (432) and the service\'s (433)', async () => {
    const { session, other } = ircHarness();
    other('peter');
    const t = session();
    await t.send('NICK Peter', 'USER p 0 * :P');
    expect(t.take()).toEqual([':ics-chat.local 433 * Peter :Nickname is already in use (Peter is already in use)']);
    await t.send('NICK 9lives', 'NICK *', 'NICK', 'NICK ICS');
    expect(t.take()).toEqual([
      ':ics-chat.local 432 * 9lives :Erroneous nickname: a name starts with a letter and holds only letters, digits, _ and -',
      ':ics-chat.local 432 * * :Erroneous nickname: a name starts with a letter and holds only letters, digits, _ and -',
      ':ics-chat.local 431 * :No nickname given',
      ':ics-chat.local 433 * ICS :Nickname is already in use (ICS is already in use)',
    ]);
    await t.send('NICK Zoë');
    expect(t.take()[0]).toBe(':ics-chat.local 001 Zoë :Welcome to the ICS chat IRC gateway, Zoë!~p@irc');
  });

  it('refuses USER with an empty realname, and a second USER', async () => {
    const t = ircHarness().session();
    await t.send('NICK zoe', 'USER zoe 0 * :');
    expect(t.take()).toEqual([':ics-chat.local 461 * USER :Not enough parameters']);
    await t.send('USER zoe 0 * :Zoe', 'USER zoe 0 * :Zoe');
    expect(t.take().at(-1)).toBe(':ics-chat.local 462 zoe :You may not reregister');
  });

  it('renames a user in its channels too, on every front; refuses a taken nick; takes a change of case', async () => {
    const { irc, other } = ircHarness();
    const t = await irc('zoe');
    const peter = await other('peter');
    const ann = await irc('ann');
    await t.send('JOIN #tea');
    await ann.send('JOIN #tea');
    await peter.session.dispatch({ action: 'connect', target: '#tea' });
    t.take();
    ann.take();
    peter.events.length = 0;
    await t.send('NICK peter', 'NICK zoey');
    expect(t.take()).toEqual([':ics-chat.local 433 zoe peter :Nickname is already in use (peter is already in use)', ':zoe!~zoe@irc NICK :zoey']);
    expect(ann.take()).toEqual([':zoe!~zoe@irc NICK :zoey']);
    expect(peter.events).toEqual([{ action: 'rename', old: 'zoe', name: 'zoey', front: 'irc' }]);
    await t.send('PRIVMSG ics :who', 'NAMES #tea');
    expect(t.take().join('\n')).toContain("'zoey': 1");
    await t.send('NICK Zoey', 'NICK Zoey');
    expect(t.take()).toEqual([':zoey!~zoe@irc NICK :Zoey']);
    expect(ann.take()).toEqual([':zoey!~zoe@irc NICK :Zoey']);
    // The channel follows: its operator and members carry the new nick.
    await ann.send('NAMES #tea');
    expect(ann.take()).toEqual([':ics-chat.local 353 ann = #tea :@Zoey ann peter', ':ics-chat.local 366 ann #tea :End of /NAMES list']);
  });

  it('refuses a NICK to a registered name with 433 saying how to take it', async () => {
    const { irc, hub } = ircHarness();
    const owner = hub.open({ front: 'tcp', deliver: () => undefined });
    await owner.dispatch({ action: 'login', name: 'owned' });
    await owner.dispatch({ action: 'register', password: 'a fine password' });
    owner.close();
    const t = await irc('zoe');
    await t.send('NICK Owned');
    expect(t.take()).toEqual([':ics-chat.local 433 zoe Owned :Nickname is already in use (this name is registered: connect with its password (PASS or SASL), or choose another nick)']);
  });

  it('keeps USER\'s username and realname, and registers with a realname that lost its bytes', async () => {
    const { session } = ircHarness();
    const t = session();
    await t.send('NICK zoe', 'USER z@e!x 0 * :Zo\ufffd Doe');
    expect(t.take()[0]).toBe(':ics-chat.local 001 zoe :Welcome to the ICS chat IRC gateway, zoe!~zex@irc');
    await t.send('WHOIS zoe');
    expect(t.take()[0]).toBe(':ics-chat.local 311 zoe zoe ~zex irc * :Zo\ufffd Doe');
  });

  it('tells the channels a QUIT\'s reason, and ends the connection with ERROR', async () => {
    const { irc } = ircHarness();
    const t = await irc('zoe');
    const ann = await irc('ann');
    await t.send('JOIN #tea');
    await ann.send('JOIN #tea');
    ann.take();
    await t.send('QUIT :off to bed');
    expect(t.closedWith).toBe('Closing Link: zoe (Quit: off to bed)');
    // The connection closes the session once it has sent the ERROR.
    t.s.close();
    expect(ann.take()).toEqual([':zoe!~zoe@irc QUIT :Quit: off to bed', ':ics-chat.local MODE #tea +o :ann']);
  });
});

describe('the service ics', () => {
  it('answers terminal commands with one notice per line', async () => {
    const t = await ircHarness().irc('zoe');
    await t.send('PRIVMSG ics :time', 'PRIVMSG ics :p 1', 'PRIVMSG ics :p 999', 'PRIVMSG ics :c', 'PRIVMSG ics :dance');
    expect(t.take()).toEqual([
      ':ics!ics@ics-chat.local NOTICE zoe :Time is: 25.11.26,14:30',
      ':ics!ics@ics-chat.local NOTICE zoe :I.',
      ':ics!ics@ics-chat.local NOTICE zoe : ',
      ':ics!ics@ics-chat.local NOTICE zoe :From fairest creatures we desire increase,',
      ":ics!ics@ics-chat.local NOTICE zoe :That thereby beauty's rose might never die,",
      expect.stringMatching(/^:ics!ics@ics-chat.local NOTICE zoe :Sonnet 999 not found/),
      ':ics!ics@ics-chat.local NOTICE zoe :usage: c <name>: connect to a user',
      ':ics!ics@ics-chat.local NOTICE zoe :Unknown command: dance. /msg ics help lists the commands.',
    ]);
  });

  it('connects to a user of another front and puts both in one channel', async () => {
    const { irc, other } = ircHarness();
    const t = await irc('zoe');
    const peter = await other('peter');
    await t.send('PRIVMSG ics :c peter');
    expect(t.take()).toEqual([
      ':zoe!~zoe@irc JOIN :#group-1',
      expect.stringMatching(/ 332 zoe #group-1 :/),
      expect.stringMatching(/ 333 zoe #group-1 /),
      ':ics-chat.local 353 zoe = #group-1 :zoe peter',
      ':ics-chat.local 366 zoe #group-1 :End of /NAMES list',
      ':ics!ics@ics-chat.local NOTICE zoe :You are in #group-1 with peter (tcp). Chat there; bye or /part #group-1 leaves.',
    ]);
    expect(peter.events.at(-1)).toMatchObject({ action: 'connect', status: 'request', from: 'zoe', front: 'irc' });
    await t.send('PRIVMSG #group-1 :hello peter');
    peter.say('hello zoe');
    await turn();
    expect(peter.events.at(-1)).toMatchObject({ action: 'exchange', name: 'zoe', message: 'hello peter' });
    expect(t.take()).toEqual([':peter!peter@tcp PRIVMSG #group-1 :hello zoe']);
    await t.send('PRIVMSG ics :bye');
    expect(t.take()).toEqual([':zoe!~zoe@irc PART :#group-1']);
    expect(peter.events.at(-1)).toMatchObject({ action: 'disconnect', msg: 'everyone left, you are alone' });
  });
});

describe('queries', () => {
  it('shows every front in WHO and WHOIS', async () => {
    const { irc, other } = ircHarness();
    const t = await irc('zoe');
    (await other('peter')).session.dispatch({ action: 'connect', target: '#tea' });
    await t.send('AWAY :lunch', 'WHO *', 'WHOIS peter', 'WHOIS nobody', 'ISON peter nobody ZOE', 'USERHOST zoe peter', 'AWAY');
    expect(t.take()).toEqual([
      ':ics-chat.local 306 zoe :You have been marked as being away',
      ':ics-chat.local 352 zoe * ~zoe irc ics-chat.local zoe G :0 zoe',
      ':ics-chat.local 352 zoe * peter tcp ics-chat.local peter H :0 peter on the tcp front',
      ':ics-chat.local 315 zoe * :End of WHO list',
      ':ics-chat.local 311 zoe peter peter tcp * :peter on the tcp front',
      ':ics-chat.local 312 zoe peter ics-chat.local :connected through the tcp front',
      ':ics-chat.local 319 zoe peter :@#tea',
      ':ics-chat.local 318 zoe peter :End of /WHOIS list',
      ':ics-chat.local 401 zoe nobody :No such nick/channel',
      ':ics-chat.local 318 zoe nobody :End of /WHOIS list',
      ':ics-chat.local 303 zoe :peter zoe',
      ':ics-chat.local 302 zoe :zoe=-~zoe@irc peter=+peter@tcp',
      ':ics-chat.local 305 zoe :You are no longer marked as being away',
    ]);
  });

  it('lists groups with their size and topic, and answers TIME from the hub clock', async () => {
    const { irc, other } = ircHarness();
    other('peter');
    (await other('paul')).session.dispatch({ action: 'connect', target: 'peter' });
    const t = await irc('zoe');
    await t.send('JOIN #tea', 'TOPIC #tea :oolong', 'LIST', 'TIME');
    expect(t.take().slice(-6)).toEqual([
      ':zoe!~zoe@irc TOPIC #tea :oolong',
      ':ics-chat.local 321 zoe Channel :Users  Name',
      ':ics-chat.local 322 zoe #group-1 2 :ICS chat group 1: every line said here reaches everyone in it; /part or bye leaves',
      ':ics-chat.local 322 zoe #tea 1 :oolong',
      ':ics-chat.local 323 zoe :End of /LIST',
      ':ics-chat.local 391 zoe ics-chat.local :25.11.26,14:30 (2026-11-25T14:30:00.000Z)',
    ]);
  });
});
