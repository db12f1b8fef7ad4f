import { describe, expect, it } from 'vitest';
import { ircHarness } from '../../../test/helpers/irc-session.js';

/** zoe (with the capabilities `caps`), ann and bob in #tea, every welcome and JOIN taken; cy outside it. */
async function tea(caps: string) {
  const h = ircHarness();
  const zoe = await h.irc('zoe');
  const ann = await h.irc('ann');
  const bob = await h.irc('bob');
  const cy = await h.irc('cy');
  await zoe.send(`CAP REQ :${caps}`, 'JOIN #tea');
  await ann.send('JOIN #tea');
  await bob.send('JOIN #tea');
  for (const t of [zoe, ann, bob, cy]) t.take();
  return { ...h, zoe, ann, bob, cy };
}

describe('away-notify', () => {
  it('tells AWAY, with the message and without it, of anyone sharing a channel, on any front; nothing without the capability', async () => {
    const { zoe, ann, bob, other } = await tea('away-notify');
    await ann.send('AWAY :at lunch', 'AWAY');
    expect(zoe.take()).toEqual([':ann!~ann@irc AWAY :at lunch', ':ann!~ann@irc AWAY']);
    expect(bob.take()).toEqual([]);
    const web = await other('wendy', 'web', ['events', 'rooms']);
    await web.session.dispatch({ action: 'connect', target: '#tea' });
    zoe.take();
    await web.session.dispatch({ action: 'away', message: 'brb' });
    expect(zoe.take()).toEqual([':wendy!wendy@web AWAY :brb']);
  });

  it('tells AWAY right after the JOIN of someone who is away', async () => {
    const { zoe, cy } = await tea('away-notify extended-join');
    await cy.send('AWAY :napping', 'JOIN #tea');
    expect(zoe.take()).toEqual([':cy!~cy@irc JOIN #tea * :cy', ':cy!~cy@irc AWAY :napping']);
  });
});

describe('invite-notify', () => {
  it('tells the channel members with the capability whom a member invited; the one invited gets INVITE and the inviter 341 as before', async () => {
    const { zoe, ann, bob, cy } = await tea('invite-notify');
    await ann.send('INVITE cy #tea');
    expect(ann.take()).toEqual([':ics-chat.local 341 ann cy :#tea']);
    expect(cy.take()).toEqual([':ann!~ann@irc INVITE cy :#tea']);
    expect(zoe.take()).toEqual([':ann!~ann@irc INVITE cy :#tea']);
    expect(bob.take()).toEqual([]);
  });

  it('tells nobody of an invitation that was refused', async () => {
    const { zoe, ann } = await tea('invite-notify');
    await ann.send('INVITE bob #tea', 'INVITE nobody #tea');
    expect(ann.take()).toEqual([':ics-chat.local 443 ann bob #tea :is already on channel', ':ics-chat.local 401 ann nobody :No such nick/channel']);
    expect(zoe.take()).toEqual([]);
  });
});

describe('setname', () => {
  it('changes the realname WHOIS shows, told to the user and to those sharing a channel that took setname', async () => {
    const { zoe, ann, bob, cy } = await tea('setname');
    await ann.send('CAP REQ setname');
    ann.take();
    await zoe.send('SETNAME :Zoe Tea-Lover');
    expect(zoe.take()).toEqual([':zoe!~zoe@irc SETNAME :Zoe Tea-Lover']);
    expect(ann.take()).toEqual([':zoe!~zoe@irc SETNAME :Zoe Tea-Lover']);
    expect(bob.take()).toEqual([]);
    await cy.send('CAP REQ setname', 'WHOIS zoe');
    expect(cy.take().slice(0, 2)).toEqual([':ics-chat.local CAP cy ACK :setname', ':ics-chat.local 311 cy zoe ~zoe irc * :Zoe Tea-Lover']);
  });

  it('refuses an empty realname with FAIL', async () => {
    const { zoe } = await tea('setname');
    await zoe.send('SETNAME :  ', 'SETNAME');
    expect(zoe.take()).toEqual([':ics-chat.local FAIL SETNAME INVALID_REALNAME :Realname is not valid', ':ics-chat.local 461 zoe SETNAME :Not enough parameters']);
  });
});

describe('account-notify and chghost', () => {
  it('tells ACCOUNT and the username that loses its ~ (CHGHOST) when a user registers its name, to itself and to channel peers with the capability', async () => {
    const { zoe, ann, bob } = await tea('account-notify chghost');
    await ann.send('CAP REQ account-notify');
    ann.take();
    await bob.send('PRIVMSG ics :register bobs-password');
    const own = bob.take();
    expect(own.some((l) => / 900 bob bob!bob@irc bob :/.test(l))).toBe(true);
    expect(zoe.take()).toEqual([':bob!~bob@irc ACCOUNT :bob', ':bob!~bob@irc CHGHOST bob :irc']);
    expect(ann.take()).toEqual([':bob!~bob@irc ACCOUNT :bob']);
    await ann.send('WHO #tea', 'WHOIS bob');
    const after = ann.take();
    expect(after).toContain(':ics-chat.local 352 ann #tea bob irc ics-chat.local bob H :0 bob');
    expect(after).toContain(':ics-chat.local 330 ann bob bob :is logged in as');
  });

  it('sends the user its own ACCOUNT and CHGHOST when it took them', async () => {
    const { zoe } = await tea('account-notify chghost');
    await zoe.send('PRIVMSG ics :register zoes-password');
    expect(zoe.take().filter((l) => !l.includes(' NOTICE ') && !l.includes(' 900 '))).toEqual([':zoe!~zoe@irc ACCOUNT :zoe', ':zoe!~zoe@irc CHGHOST zoe :irc']);
  });
});
