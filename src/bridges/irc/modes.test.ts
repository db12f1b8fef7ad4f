import { describe, expect, it } from 'vitest';
import { ircHarness, turn } from '../../../test/helpers/irc-session.js';
import { readModes } from './commands/modes.js';

const T = '1795617000';

/** zoe opens #tea (she is its operator), bob joins it; both bursts taken. */
async function tea(operators: { name: string; password: string }[] = []) {
  const h = ircHarness([], operators);
  const zoe = await h.irc('zoe');
  const bob = await h.irc('bob');
  await zoe.send('JOIN #tea');
  await bob.send('JOIN #tea');
  zoe.take();
  bob.take();
  return { ...h, zoe, bob };
}

describe('reading a mode string', () => {
  it.each([
    ['+tkl', ['sesame', '5'], [{ mode: 't', on: true }, { mode: 'k', on: true, arg: 'sesame' }, { mode: 'l', on: true, arg: '5' }]],
    ['-k+o-l', ['whatever', 'bob'], [{ mode: 'k', on: false }, { mode: 'o', on: true, arg: 'bob' }, { mode: 'l', on: false }]],
    ['+vvvvvvv', ['a', 'b', 'c', 'd', 'e', 'f', 'g'], ['a', 'b', 'c', 'd', 'e', 'f'].map((arg) => ({ mode: 'v', on: true, arg }))],
  ])('%s %j', (modes, args, changes) => {
    expect(readModes(modes, args)).toEqual({ changes, listBans: false, unknown: [], missing: false });
  });

  it('asks for the ban list for b without a mask, and notes unknown letters and missing arguments', () => {
    expect(readModes('+bzo', [])).toEqual({ changes: [], listBans: true, unknown: ['z'], missing: true });
  });
});

describe('channel modes on IRC', () => {
  it('advertises the modes it takes, in ISUPPORT and 004', async () => {
    const t = ircHarness().session();
    await t.send('NICK zoe', 'USER zoe 0 * :Zoe');
    const lines = t.take();
    expect(lines.find((l) => l.includes(' 004 '))).toBe(':ics-chat.local 004 zoe ics-chat.local ics-chat-0.1.0 io biklmnostv :bklov');
    const tokens = lines.filter((l) => l.includes(' 005 ')).join(' ');
    for (const token of ['PREFIX=(ov)@+', 'CHANMODES=b,k,l,imnst', 'MODES=6', 'MAXLIST=b:50']) expect(tokens).toContain(` ${token} `);
  });

  it('makes several changes in one MODE, echoes them once to every member, and shows them', async () => {
    const { zoe, bob } = await tea();
    await zoe.send('MODE #tea +tkl-z sesame 5', 'MODE #tea');
    expect(zoe.take()).toEqual([
      ':ics-chat.local 472 zoe z :is unknown mode char to me',
      ':zoe!~zoe@irc MODE #tea +tkl sesame :5',
      ':ics-chat.local 324 zoe #tea +klnt sesame :5',
      `:ics-chat.local 329 zoe #tea :${T}`,
    ]);
    expect(bob.take()).toEqual([':zoe!~zoe@irc MODE #tea +tkl sesame :5']);
    await zoe.send('MODE #tea -kl+k * other');
    expect(bob.take()).toEqual([':zoe!~zoe@irc MODE #tea -kl+k * :other']);
  });

  it('answers 482 once to a member who is not an operator, and 441 and 696 for bad arguments', async () => {
    const { zoe, bob } = await tea();
    await bob.send('MODE #tea +mo bob');
    expect(bob.take()).toEqual([":ics-chat.local 482 bob #tea :You're not channel operator: only operators of #tea can change its modes"]);
    await zoe.send('MODE #tea +ol nobody 0', 'MODE #tea +o');
    expect(zoe.take()).toEqual([
      ":ics-chat.local 441 zoe nobody #tea :They aren't on that channel",
      ':ics-chat.local 696 zoe #tea l 0 :a limit is a whole number from 1 to 100000',
      ':ics-chat.local 461 zoe MODE :Not enough parameters',
    ]);
    expect(bob.take()).toEqual([]);
  });

  it('gives and takes +o and +v, shown in NAMES (both with multi-prefix)', async () => {
    const { zoe, bob } = await tea();
    await zoe.send('MODE #tea +v bob', 'NAMES #tea');
    expect(zoe.take()).toEqual([':zoe!~zoe@irc MODE #tea +v :bob', ':ics-chat.local 353 zoe = #tea :@zoe +bob', ':ics-chat.local 366 zoe #tea :End of /NAMES list']);
    await zoe.send('MODE #tea +o bob');
    zoe.take();
    bob.take();
    bob.s.setCap('multi-prefix', true);
    await bob.send('NAMES #tea', 'KICK #tea nobody');
    expect(bob.take()).toEqual([
      ':ics-chat.local 353 bob = #tea :@zoe @+bob',
      ':ics-chat.local 366 bob #tea :End of /NAMES list',
      ":ics-chat.local 441 bob nobody #tea :They aren't on that channel",
    ]);
    await zoe.send('MODE #tea -ov bob bob', 'MODE #tea -o zoe');
    expect(zoe.take()).toEqual([
      ':zoe!~zoe@irc MODE #tea -ov bob :bob',
      ":ics-chat.local 482 zoe #tea :You're not channel operator: zoe owns #tea and stays its operator",
    ]);
    await bob.send('KICK #tea zoe');
    expect(bob.take().at(-1)).toBe(":ics-chat.local 482 bob #tea :You're not channel operator: only operators of #tea can kick (zoe owns it)");
  });

  it('takes keys with JOIN, in order, and refuses a wrong one (475), a full channel (471) and a ban (474)', async () => {
    const { zoe, irc } = await tea();
    await zoe.send('MODE #tea +k sesame');
    const cy = await irc('cy');
    await cy.send('JOIN #tea,#new wrong');
    const lines = cy.take();
    expect(lines[0]).toBe(':ics-chat.local 475 cy #tea :Cannot join channel (+k): /join #tea <key>');
    expect(lines[1]).toBe(':cy!~cy@irc JOIN :#new');
    await cy.send('JOIN #other,#tea ,sesame');
    expect(cy.take().filter((l) => l.includes(' JOIN '))).toEqual([':cy!~cy@irc JOIN :#other', ':cy!~cy@irc JOIN :#tea']);
    await zoe.send('MODE #tea +lb 3 dan', 'MODE #tea b');
    expect(zoe.take().slice(-3)).toEqual([':zoe!~zoe@irc MODE #tea +lb 3 :dan!*@*', `:ics-chat.local 367 zoe #tea dan!*@* zoe :${T}`, ':ics-chat.local 368 zoe #tea :End of channel ban list']);
    const dan = await irc('dan');
    const eve = await irc('eve');
    await dan.send('JOIN #tea sesame');
    await eve.send('JOIN #tea sesame');
    expect(dan.take()).toEqual([':ics-chat.local 474 dan #tea :Cannot join channel (+b): you are banned from #tea']);
    expect(eve.take()).toEqual([':ics-chat.local 471 eve #tea :Cannot join channel (+l): #tea is full']);
  });

  it('answers a line in a moderated channel, or from a banned member, with 404 in that channel', async () => {
    const { zoe, bob, other } = await tea();
    const ann = await other('ann');
    await ann.session.dispatch({ action: 'connect', target: '#tea' });
    await zoe.send('MODE #tea +m');
    bob.take();
    await bob.send('PRIVMSG #tea :hello?', 'PRIVMSG #tea :_flip_ a b');
    await turn();
    expect(bob.take()).toEqual([
      ':ics-chat.local 404 bob #tea :Cannot send to channel: #tea is moderated: only its operators and voiced members speak',
      ':ics-chat.local 404 bob #tea :Cannot send to channel: #tea is moderated: only its operators and voiced members speak',
    ]);
    await ann.say('classic?');
    expect(ann.events.at(-1)).toMatchObject({ action: 'error', code: 'not-allowed', group: 1 });
    await zoe.send('MODE #tea +vb bob bob');
    bob.take();
    await bob.send('PRIVMSG #tea :banned?');
    await turn();
    expect(bob.take()).toEqual([':ics-chat.local 404 bob #tea :Cannot send to channel: you are banned from #tea, so you cannot speak there']);
    expect(zoe.take().filter((l) => l.includes('PRIVMSG'))).toEqual([]);
  });

  it('keeps the topic to operators under +t (482)', async () => {
    const { zoe, bob } = await tea();
    await zoe.send('MODE #tea +t');
    bob.take();
    await bob.send('TOPIC #tea :mine now');
    expect(bob.take()).toEqual([':ics-chat.local 482 bob #tea :only operators of #tea can set its topic (+t)']);
    await zoe.send('TOPIC #tea :oolong');
    expect(bob.take()).toEqual([':zoe!~zoe@irc TOPIC #tea :oolong']);
  });

  it('hides a secret channel from those outside it, and marks it @ in NAMES for its members', async () => {
    const { zoe, irc } = await tea();
    await zoe.send('MODE #tea +s', 'NAMES #tea');
    expect(zoe.take().slice(1)).toEqual([':ics-chat.local 353 zoe @ #tea :@zoe bob', ':ics-chat.local 366 zoe #tea :End of /NAMES list']);
    const cy = await irc('cy');
    await cy.send('LIST', 'NAMES #tea', 'MODE #tea', 'WHOIS zoe');
    const lines = cy.take();
    expect(lines.slice(0, 4)).toEqual([
      ':ics-chat.local 321 cy Channel :Users  Name',
      ':ics-chat.local 323 cy :End of /LIST',
      ':ics-chat.local 366 cy #tea :End of /NAMES list',
      ':ics-chat.local 403 cy #tea :No such channel',
    ]);
    expect(lines.some((l) => l.includes(' 319 '))).toBe(false);
  });

  it('shows a channel the user is not in with its modes but no key', async () => {
    const { zoe, irc } = await tea();
    await zoe.send('MODE #tea +kim sesame');
    const cy = await irc('cy');
    await cy.send('MODE #tea', 'MODE #tea b', 'MODE #tea +m');
    expect(cy.take()).toEqual([
      ':ics-chat.local 324 cy #tea :+ikmn',
      ':ics-chat.local 368 cy #tea :End of channel ban list',
      ":ics-chat.local 442 cy #tea :You're not on that channel",
    ]);
  });

  it('answers INVITE of a member with 443, and of anyone by a non-operator in a +i channel with 482', async () => {
    const { zoe, bob, irc } = await tea();
    await irc('cy');
    await zoe.send('INVITE bob #tea', 'MODE #tea +i');
    expect(zoe.take()).toEqual([':ics-chat.local 443 zoe bob #tea :is already on channel', ':zoe!~zoe@irc MODE #tea :+i']);
    bob.take();
    await bob.send('INVITE cy #tea');
    expect(bob.take()).toEqual([":ics-chat.local 482 bob #tea :You're not channel operator: only operators of #tea can invite while it is invite-only"]);
  });
});

describe('server operators on IRC', () => {
  const OPERS = [{ name: 'root', password: 'correct horse' }];

  it('answers OPER with 491, 464 or 381 and +o', async () => {
    const { zoe } = await tea(OPERS);
    await zoe.send('OPER admin x', 'OPER root wrong', 'OPER root :correct horse', 'MODE zoe');
    expect(zoe.take()).toEqual([
      ':ics-chat.local 491 zoe :No O-lines for your host',
      ':ics-chat.local 464 zoe :Password incorrect',
      ':ics-chat.local 381 zoe :You are now an IRC operator',
      ':zoe!~zoe@irc MODE zoe :+o',
      ':ics-chat.local 221 zoe :+o',
    ]);
  });

  it('lets an operator KICK in a channel they are not in, and KILL a user of any front (481 for others)', async () => {
    const { zoe, bob, irc, other } = await tea(OPERS);
    const peter = await other('peter');
    await peter.session.dispatch({ action: 'connect', target: '#tea' });
    const op = await irc('op');
    bob.take();
    await op.send('KILL bob :spam', 'KICK #tea bob');
    expect(op.take()).toEqual([":ics-chat.local 481 op :Permission Denied- You're not an IRC operator", ":ics-chat.local 442 op #tea :You're not on that channel"]);
    await op.send('OPER root :correct horse');
    op.take();
    zoe.take();
    await op.send('KICK #tea bob :out', 'KILL nobody', 'KILL peter :flooding');
    expect(op.take()).toEqual([':ics-chat.local 401 op nobody :No such nick/channel']);
    expect(bob.take()).toEqual([':op!~op@irc KICK #tea bob :out']);
    expect(zoe.take()).toEqual([':op!~op@irc KICK #tea bob :out', ':peter!peter@tcp QUIT :Killed (op (flooding))']);
    expect(peter.events.at(-1)).toEqual({ action: 'error', code: 'killed', msg: 'op ended your connection: flooding' });
    await op.send('KILL zoe');
    expect(zoe.closedWith).toBe('Closing Link: zoe (Killed: op ended your connection: no reason given)');
  });
});
