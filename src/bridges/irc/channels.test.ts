import { describe, expect, it } from 'vitest';
import { ircHarness, turn } from '../../../test/helpers/irc-session.js';

/** The verbs of the lines, for bursts whose details other tests check. */
const verbs = (lines: string[]): string[] => lines.map((l) => l.split(' ')[1]!);

describe('many channels', () => {
  it('joins any number of channels at once, ignores one it is in, and says so in ISUPPORT', async () => {
    const t = ircHarness().session();
    await t.send('NICK zoe', 'USER zoe 0 * :Zoe');
    expect(t.take().find((l) => l.includes(' 005 ') && l.includes('CHANLIMIT'))).toContain(' CHANLIMIT=#: ');
    await t.send('JOIN #tea,#coffee', 'JOIN #TEA', 'JOIN #cake');
    const lines = t.take();
    expect(lines.filter((l) => l.includes(' JOIN '))).toEqual([':zoe!~zoe@irc JOIN :#tea', ':zoe!~zoe@irc JOIN :#coffee', ':zoe!~zoe@irc JOIN :#cake']);
    expect(lines.filter((l) => / 4\d\d /.test(l))).toEqual([]);
    expect(t.s.mirror.channels().map((v) => v.name)).toEqual(['#tea', '#coffee', '#cake']);
  });

  it('says each line in the channel it was typed in, to that group only', async () => {
    const { irc, other } = ircHarness();
    const t = await irc('zoe');
    const a = await other('ann');
    const b = await other('bob');
    await t.send('JOIN #a,#b');
    await a.session.dispatch({ action: 'connect', target: '#a' });
    await b.session.dispatch({ action: 'connect', target: '#b' });
    t.take();
    await t.send('PRIVMSG #b :to b', 'PRIVMSG #a :to a', 'PRIVMSG #b :/topic bees');
    await turn();
    expect(a.events.filter((e) => e.action === 'exchange').map((e) => e.action === 'exchange' && e.message)).toEqual(['to a']);
    expect(b.events.filter((e) => e.action === 'exchange').map((e) => e.action === 'exchange' && e.message)).toEqual(['to b']);
    expect(t.take()).toEqual([':zoe!~zoe@irc TOPIC #b :bees']);
    await a.say('from a');
    await b.say('from b');
    await turn();
    expect(t.take()).toEqual([':ann!ann@tcp PRIVMSG #a :from a', ':bob!bob@tcp PRIVMSG #b :from b']);
  });

  it('parts one channel and keeps the others; bye in a channel leaves that one; JOIN 0 parts all', async () => {
    const { irc, other } = ircHarness();
    const t = await irc('zoe');
    const ann = await other('ann', 'tcp', ['events', 'rooms']);
    await t.send('JOIN #a,#b,#c,#d');
    for (const room of ['#a', '#b', '#c', '#d']) await ann.session.dispatch({ action: 'connect', target: room });
    t.take();
    await t.send('PART #b :enough', 'PRIVMSG #c :bye');
    expect(t.take()).toEqual([':zoe!~zoe@irc PART #b :enough', ':zoe!~zoe@irc PART :#c']);
    expect(ann.events.filter((e) => e.action === 'leave').map((e) => e.action === 'leave' && [e.name, e.group, e.reason])).toEqual([
      ['zoe', 2, 'enough'],
      ['zoe', 3, undefined],
    ]);
    await ann.say('still here?');
    await turn();
    expect(t.take()).toEqual([':ann!ann@tcp PRIVMSG #d :still here?']);
    await t.send('JOIN 0');
    expect(t.take()).toEqual([':zoe!~zoe@irc PART :#a', ':zoe!~zoe@irc PART :#d']);
    expect(t.s.mirror.channels()).toEqual([]);
  });

  it('leaves the focus with /msg ics bye, another channel with bye #name, and lists the groups with rooms', async () => {
    const { irc } = ircHarness();
    const t = await irc('zoe');
    await t.send('JOIN #a,#b,#c');
    t.take();
    await t.send('PRIVMSG ics :rooms');
    expect(t.take()).toEqual([
      ':ics!ics@ics-chat.local NOTICE zoe :Your groups:',
      ':ics!ics@ics-chat.local NOTICE zoe :1. #a: zoe',
      ':ics!ics@ics-chat.local NOTICE zoe :2. #b: zoe',
      ':ics!ics@ics-chat.local NOTICE zoe :3. #c: zoe <- bye, topic, invite, kick and lock sent to me act here',
    ]);
    await t.send('PRIVMSG ics :w #a', 'PRIVMSG ics :bye', 'PRIVMSG ics :bye #c', 'PRIVMSG ics :bye #nope');
    expect(t.take()).toEqual([
      ':ics!ics@ics-chat.local NOTICE zoe :bye, topic, invite, kick and lock sent to me now act on #a.',
      ':zoe!~zoe@irc PART :#a',
      ':zoe!~zoe@irc PART :#c',
      ':ics!ics@ics-chat.local NOTICE zoe :you are not in #nope: rooms lists your groups',
    ]);
    expect(t.s.mirror.channels().map((v) => v.name)).toEqual(['#b']);
  });

  it('joins a group by id, and answers 403 for groups and names that cannot be', async () => {
    const { irc, other } = ircHarness();
    const peter = await other('peter');
    await (await other('paul')).session.dispatch({ action: 'connect', target: 'peter' });
    const t = await irc('zoe');
    await t.send('JOIN #group-9', 'JOIN #no!', 'JOIN tea', 'JOIN #group-1');
    const lines = t.take();
    expect(lines.slice(0, 4)).toEqual([
      ':ics-chat.local 403 zoe #group-9 :there is no group 9',
      ':ics-chat.local 403 zoe #no! :a room name is # and 1-32 letters, digits, _ or -',
      ':ics-chat.local 403 zoe tea :No such channel (channel names start with #)',
      ':zoe!~zoe@irc JOIN :#group-1',
    ]);
    expect(lines).toContain(':ics-chat.local 353 zoe = #group-1 :paul peter zoe');
    expect(peter.events.at(-1)).toMatchObject({ action: 'connect', status: 'request', from: 'zoe' });
  });

  it('answers 442 and 403 for channels the user is not in', async () => {
    const { irc } = ircHarness();
    await (await irc('ann')).send('JOIN #tea');
    const t = await irc('zoe');
    await t.send('JOIN #mine');
    t.take();
    await t.send('PART #tea', 'PART #nope', 'TOPIC #tea', 'PRIVMSG #tea :hi', 'PRIVMSG #nope :hi', 'KICK #tea ann', 'INVITE ann #tea');
    expect(t.take()).toEqual([
      ":ics-chat.local 442 zoe #tea :You're not on that channel",
      ':ics-chat.local 403 zoe #nope :No such channel',
      ":ics-chat.local 442 zoe #tea :You're not on that channel",
      ':ics-chat.local 404 zoe #tea :Cannot send to channel: you are not in it (/join it first)',
      ':ics-chat.local 403 zoe #nope :No such channel',
      ":ics-chat.local 442 zoe #tea :You're not on that channel",
      ":ics-chat.local 442 zoe #tea :You're not on that channel",
    ]);
  });

  it('lets the room owner kick and invite in the channel named, and no one else kick', async () => {
    const { irc } = ircHarness();
    const ann = await irc('ann');
    const bob = await irc('bob');
    const cy = await irc('cy');
    for (const t of [ann, bob]) await t.send('JOIN #tea,#pub');
    ann.take();
    bob.take();
    await ann.send('INVITE cy #pub', 'INVITE nobody #tea');
    expect(ann.take()).toEqual([':ics-chat.local 341 ann cy :#pub', ':ics-chat.local 401 ann nobody :No such nick/channel']);
    expect(cy.take()).toEqual([':ann!~ann@irc INVITE cy :#pub']);
    await bob.send('KICK #tea ann');
    expect(bob.take()).toEqual([":ics-chat.local 482 bob #tea :You're not channel operator: only operators of #tea can kick (ann owns it)"]);
    await ann.send('KICK #tea nobody', 'KICK #tea bob :enough');
    expect(ann.take()).toEqual([":ics-chat.local 441 ann nobody #tea :They aren't on that channel", ':ann!~ann@irc KICK #tea bob :enough']);
    expect(bob.take()).toEqual([':ann!~ann@irc KICK #tea bob :enough']);
    expect(bob.s.mirror.channels().map((v) => v.name)).toEqual(['#pub']);
  });

  it('answers the mode queries clients send after joining', async () => {
    const t = await ircHarness().irc('zoe');
    await t.send('JOIN #tea');
    t.take();
    await t.send('MODE #tea', 'MODE #tea b', 'MODE #tea +z', 'MODE zoe +i', 'MODE zoe', 'MODE zoe +w', 'MODE peter +i');
    expect(t.take()).toEqual([
      ':ics-chat.local 324 zoe #tea :+n',
      ':ics-chat.local 329 zoe #tea :1795617000',
      ':ics-chat.local 368 zoe #tea :End of channel ban list',
      ':ics-chat.local 472 zoe z :is unknown mode char to me',
      ':zoe!~zoe@irc MODE zoe :+i',
      ':ics-chat.local 221 zoe :+i',
      ':ics-chat.local 501 zoe :Unknown MODE flag (only +i and -i)',
      ":ics-chat.local 502 zoe :Can't change mode for other users",
    ]);
  });
});

describe('invite-only rooms', () => {
  it('lets the owner lock a room with +i (482 for others); a JOIN then needs an INVITE (473 without)', async () => {
    const { irc, other } = ircHarness();
    const ann = await irc('ann');
    const bob = await irc('bob');
    const cy = await irc('cy');
    await ann.send('JOIN #den');
    await bob.send('JOIN #den');
    ann.take();
    bob.take();
    await bob.send('MODE #den +i');
    expect(bob.take()).toEqual([":ics-chat.local 482 bob #den :You're not channel operator: only operators of #den can change its modes"]);
    await ann.send('MODE #den +i', 'MODE #den');
    expect(ann.take()).toEqual([':ann!~ann@irc MODE #den :+i', ':ics-chat.local 324 ann #den :+in', ':ics-chat.local 329 ann #den :1795617000']);
    expect(bob.take()).toEqual([':ann!~ann@irc MODE #den :+i']);
    await cy.send('MODE #den', 'JOIN #den');
    expect(cy.take()).toEqual([':ics-chat.local 324 cy #den :+in', ':ics-chat.local 473 cy #den :Cannot join channel (+i): #den is invite-only: ask a member to invite you']);
    const peter = await other('peter');
    await peter.session.dispatch({ action: 'connect', target: 'ann' });
    expect(peter.events.at(-1)).toMatchObject({ action: 'connect', status: 'closed' });
    await ann.send('INVITE cy #den');
    expect(ann.take()).toEqual([':ics-chat.local 341 ann cy :#den']);
    await cy.send('JOIN #den');
    expect(cy.take().slice(0, 2)).toEqual([':ann!~ann@irc INVITE cy :#den', ':cy!~cy@irc JOIN :#den']);
    await ann.send('MODE #den -i');
    expect(ann.take()).toEqual([':cy!~cy@irc JOIN :#den', ':ann!~ann@irc MODE #den :-i']);
    expect(verbs(cy.take())).toEqual(['MODE']);
  });
});
