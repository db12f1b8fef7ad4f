/**
 * Property tests for the IRC edge: whatever lines two clients send, from any mix of commands,
 * channels, nicks, private lines and text from another front, no handler throws and every line the gateway
 * writes is one well-formed IRC line of at most 512 bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ircHarness, turn } from '../../../test/helpers/irc-session.js';
import { parseMessage } from './message.js';
import { VERBS } from './verbs.js';

const RUNS = 300;

const word = fc.stringMatching(/^[#a-zA-Z0-9_\-:,*!@.\u00e9\u4e00]{0,12}$/);
const text = fc.string({ unit: fc.oneof(fc.constantFrom(' ', ':', '\r', '\n', '\0', '\x01', '\x03', 'é', '𝄞', '#'), fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' })), maxLength: 600 });
const verb = fc.oneof(fc.constantFrom(...Object.keys(VERBS)), word);
const line = fc.tuple(verb, fc.array(word, { maxLength: 4 }), fc.option(text)).map(([v, args, trailing]) => [v, ...args].join(' ') + (trailing === null ? '' : ` :${trailing}`));

describe('the IRC edge under generated input', () => {
  it('never throws and writes only well-formed lines that fit 512 bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 25 }), fc.array(line, { maxLength: 25 }), text, async (first, second, foreign) => {
        const { irc, other, logs } = ircHarness();
        const a = await irc('ann');
        const b = await irc('bob');
        const peter = await other('peter');
        await a.send('JOIN #tea', 'JOIN #coffee');
        await b.send('JOIN #coffee');
        await peter.session.dispatch({ action: 'connect', target: '#tea' });
        for (let i = 0; i < Math.max(first.length, second.length); i++) {
          if (first[i] !== undefined) await a.send(first[i]!);
          if (second[i] !== undefined) await b.send(second[i]!);
          if (i % 5 === 0) await peter.say(foreign);
          if (i % 5 === 1) await peter.session.dispatch({ action: 'direct', target: 'ann', message: foreign });
        }
        await peter.session.dispatch({ action: 'disconnect', reason: foreign });
        await turn();
        for (const out of [...a.take(), ...b.take()]) {
          expect(Buffer.byteLength(out + '\r\n')).toBeLessThanOrEqual(512);
          expect(out).not.toMatch(/[\r\n\0]/);
          expect(parseMessage(out)).not.toBeNull();
        }
        expect(logs.filter((l) => l.startsWith('error'))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);
});
