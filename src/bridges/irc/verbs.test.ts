import { describe, expect, it } from 'vitest';
import { ircHarness } from '../../../test/helpers/irc-session.js';
import { VERBS } from './verbs.js';

const EARLY = ['CAP', 'NICK', 'USER', 'PASS', 'AUTHENTICATE', 'PING', 'PONG', 'QUIT'];

describe('the verb table', () => {
  it('lets exactly the registration commands run before registration', () => {
    expect(Object.keys(VERBS).filter((v) => VERBS[v]!.early).sort()).toEqual([...EARLY].sort());
    const { session } = ircHarness();
    for (const verb of Object.keys(VERBS).filter((v) => !EARLY.includes(v))) {
      const t = session();
      t.send(`${verb} x y z :w`);
      expect(t.take(), verb).toEqual([':ics-chat.local 451 * :You have not registered']);
    }
  });

  it('answers irssi\'s probe JOIN : with 451 before registration', () => {
    const t = ircHarness().session();
    t.send('JOIN :');
    expect(t.take()).toEqual([':ics-chat.local 451 * :You have not registered']);
  });

  it('checks the parameter count centrally', () => {
    const { irc } = ircHarness();
    const t = irc('alice');
    for (const [verb, spec] of Object.entries(VERBS)) {
      if (spec.minParams === 0) continue;
      t.send(verb);
      expect(t.take(), verb).toEqual([`:ics-chat.local 461 alice ${verb} :Not enough parameters`]);
    }
  });

  it('answers unknown commands with 421, registered or not', () => {
    const { session, irc } = ircHarness();
    const early = session();
    early.send('KNOCK #x');
    expect(early.take()).toEqual([':ics-chat.local 421 * KNOCK :Unknown command']);
    const t = irc('alice');
    t.send('version', 'OPER a b');
    expect(t.take()).toEqual([':ics-chat.local 421 alice VERSION :Unknown command', ':ics-chat.local 421 alice OPER :Unknown command']);
  });

  it('reads verbs in any case', () => {
    const t = ircHarness().irc('alice');
    t.send('ping :abc');
    expect(t.take()).toEqual([':ics-chat.local PONG ics-chat.local :abc']);
  });

  it('catches a handler bug, logs it, answers, and keeps serving', () => {
    const { irc, logs } = ircHarness();
    const t = irc('alice');
    t.s.lookup = () => {
      throw new Error('boom');
    };
    t.send('WHO *', 'PING after');
    expect(t.take()).toEqual([':ics-chat.local NOTICE alice :The server hit an error handling WHO; it was not carried out.', ':ics-chat.local PONG ics-chat.local :after']);
    expect(logs.some((l) => l.includes('irc command failed') && l.includes('boom'))).toBe(true);
  });
});
