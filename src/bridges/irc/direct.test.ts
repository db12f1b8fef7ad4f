import { describe, expect, it } from 'vitest';
import { ircHarness, turn } from '../../../test/helpers/irc-session.js';

describe('private messages', () => {
  it('sends PRIVMSG to a user as a direct line, and shows their answer as a private PRIVMSG, no channel', async () => {
    const { irc, other } = ircHarness();
    const t = await irc('zoe');
    const peter = await other('peter', 'tcp', ['events', 'rooms']);
    await t.send('JOIN #tea');
    t.take();
    await t.send('PRIVMSG Peter :hi there', 'PRIVMSG peter :\x01ACTION waves\x01');
    expect(t.take()).toEqual([]);
    await turn();
    const lines = peter.events.filter((e) => e.action === 'exchange');
    expect(lines).toMatchObject([
      { name: 'zoe', message: 'hi there', direct: true },
      { name: 'zoe', message: '*waves*', direct: true },
    ]);
    expect(peter.events.some((e) => e.action === 'connect')).toBe(false);
    await peter.session.dispatch({ action: 'direct', target: 'zoe', message: 'hello\nzoe' });
    await turn();
    expect(t.take()).toEqual([':peter!peter@tcp PRIVMSG zoe :hello', ':peter!peter@tcp PRIVMSG zoe :zoe']);
    expect(t.s.mirror.channels().map((v) => v.name)).toEqual(['#tea']);
  });

  it('reaches a one-group user as the classic client sees a direct line', async () => {
    const { irc, other } = ircHarness();
    const t = await irc('zoe');
    const peter = await other('peter');
    await t.send('PRIVMSG peter :are you there?');
    await turn();
    expect(peter.events.slice(-2)).toMatchObject([
      { action: 'connect', status: 'request', from: 'zoe', kind: 'direct' },
      { action: 'exchange', name: 'zoe', message: 'are you there?' },
    ]);
    await peter.say('yes');
    await turn();
    expect(t.take()).toEqual([':peter!peter@tcp PRIVMSG zoe :yes']);
  });

  it('answers 401 for someone offline, 412 and 411 for nothing to send, and NOTICE never', async () => {
    const { irc, other } = ircHarness();
    const t = await irc('zoe');
    const peter = await other('peter', 'tcp', ['events', 'rooms']);
    await t.send('PRIVMSG nobody :hi', 'PRIVMSG peter :\x01ACTION \x01', 'PRIVMSG ics :', 'PRIVMSG', 'PRIVMSG peter :\x01VERSION\x01', 'PRIVMSG zoe :me?');
    expect(t.take()).toEqual([
      ':ics-chat.local 401 zoe nobody :No such nick/channel',
      ':ics-chat.local 412 zoe :No text to send',
      ':ics-chat.local 412 zoe :No text to send',
      ':ics-chat.local 411 zoe :No recipient given (PRIVMSG)',
      ':ics-chat.local NOTICE zoe :CTCP VERSION is not supported here',
      ':ics-chat.local 404 zoe zoe :you cannot send a direct message to yourself',
    ]);
    await t.send('NOTICE nobody :quiet', 'NOTICE zoe :me', 'NOTICE peter :\x01VERSION x\x01', 'NOTICE peter :psst');
    expect(t.take()).toEqual([]);
    await turn();
    expect(peter.events.filter((e) => e.action === 'exchange')).toMatchObject([{ name: 'zoe', message: 'psst', direct: true }]);
  });

  it('sends a direct line through the service with m, and says so', async () => {
    const { irc, other } = ircHarness();
    const t = await irc('zoe');
    const peter = await other('peter', 'tcp', ['events', 'rooms']);
    await t.send('PRIVMSG ics :m peter hello from ics', 'PRIVMSG ics :m nobody hi', 'PRIVMSG ics :rooms');
    expect(t.take()).toEqual([
      ':ics!ics@ics-chat.local NOTICE zoe :Sent to peter privately; /msg peter <text> does the same.',
      ':ics!ics@ics-chat.local NOTICE zoe :error: nobody is not online',
      ':ics!ics@ics-chat.local NOTICE zoe :Your groups:',
      ':ics!ics@ics-chat.local NOTICE zoe :1. peter, privately (/msg peter)',
    ]);
    await turn();
    expect(peter.events.filter((e) => e.action === 'exchange')).toMatchObject([{ message: 'hello from ics', direct: true }]);
  });
});
