import { describe, expect, it } from 'vitest';
import { ircHarness } from '../../../test/helpers/irc-session.js';
import { VERBS } from './verbs.js';

const EARLY = ['CAP', 'NICK', 'USER', 'PASS', 'AUTHENTICATE', 'PING', 'PONG', 'QUIT'];

describe('the verb table', () => {
  it('lets exactly the registration commands run before registration', async () => {
    expect(Object.keys(VERBS).filter((v) => VERBS[v]!.early).sort()).toEqual([...EARLY].sort());
    const { session } = ircHarness();
    for (const verb of Object.keys(VERBS).filter((v) => !EARLY.includes(v))) {
      const t = session();
      await t.send(`${verb} x y z :w`);
      expect(t.take(), verb).toEqual([':ics-chat.local 451 * :You have not registered']);
    }
  });

  it('answers irssi\'s probe JOIN : with 451 before registration', async () => {
    const t = ircHarness().session();
    await t.send('JOIN :');
    expect(t.take()).toEqual([':ics-chat.local 451 * :You have not registered']);
  });

  it('checks the parameter count centrally', async () => {
    const { irc } = ircHarness();
    const t = await irc('alice');
    for (const [verb, spec] of Object.entries(VERBS)) {
      if (spec.minParams === 0) continue;
      await t.send(verb);
      expect(t.take(), verb).toEqual([`:ics-chat.local 461 alice ${verb} :Not enough parameters`]);
    }
  });

  it('answers unknown commands with 421, registered or not', async () => {
    const { session, irc } = ircHarness();
    const early = session();
    await early.send('KNOCK #x');
    expect(early.take()).toEqual([':ics-chat.local 421 * KNOCK :Unknown command']);
    const t = await irc('alice');
    await t.send('knock #a', 'REHASH');
    expect(t.take()).toEqual([':ics-chat.local 421 alice KNOCK :Unknown command', ':ics-chat.local 421 alice REHASH :Unknown command']);
  });

  it('reads verbs in any case', async () => {
    const t = await ircHarness().irc('alice');
    await t.send('ping :abc');
    expect(t.take()).toEqual([':ics-chat.local PONG ics-chat.local :abc']);
  });

  it('catches a handler bug, logs it, answers, and keeps serving', async () => {
    const { irc, logs } = ircHarness();
    const t = await irc('alice');
    t.s.lookup = () => {
      throw new Error('boom');
    };
    await t.send('WHO *', 'PING after');
    expect(t.take()).toEqual([':ics-chat.local NOTICE alice :The server hit an error handling WHO; it was not carried out.', ':ics-chat.local PONG ics-chat.local :after']);
    expect(logs.some((l) => l.includes('irc command failed') && l.includes('boom'))).toBe(true);
    // A handler that fails after waiting for the hub is caught the same way.
    t.s.ask = () => Promise.reject(new Error('late boom'));
    await t.send('TIME', 'PING later');
    expect(t.take()).toEqual([':ics-chat.local NOTICE alice :The server hit an error handling TIME; it was not carried out.', ':ics-chat.local PONG ics-chat.local :later']);
    expect(logs.some((l) => l.includes('late boom'))).toBe(true);
  });
});
