import { describe, expect, it } from 'vitest';
import { fitLine, plainText, safeLines, splitBytes } from './text.js';
import { serializeMessage } from './message.js';

describe('plainText', () => {
  it.each([
    ['\x02bold\x02 and \x0304,12colour\x03 and \x1ditalic\x0f', 'bold and colour and italic'],
    ['tab\there', 'tab here'],
    ['bell\x07 nul\x00 esc\x1b[31m', 'bell nul esc[31m'],
    ['\x0399 odd \x04ff0000red', ' odd red'],
  ])('%j', (input, expected) => expect(plainText(input)).toBe(expected));
});

describe('safeLines', () => {
  it('splits lines and removes everything IRC would read as control data', () => {
    expect(safeLines('one\r\ntwo\rthree\n\nfour')).toEqual(['one', 'two', 'three', 'four']);
    expect(safeLines('\x01ACTION fakes\x01 a nul\x00')).toEqual(['ACTION fakes a nul']);
    expect(safeLines('\n\r\n')).toEqual(['']);
  });
});

describe('splitBytes', () => {
  it('never cuts a character and keeps every piece within the budget', () => {
    const text = 'Shall I compare thee 🌞 to a summer’s day? 李雷 '.repeat(40);
    for (const max of [7, 10, 33, 100]) {
      const pieces = splitBytes(text, max);
      for (const p of pieces) {
        expect(Buffer.byteLength(p)).toBeLessThanOrEqual(max);
        expect(p).not.toMatch(/[\ud800-\udbff]$|^[\udc00-\udfff]/);
      }
      expect(pieces.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    }
  });

  it('prefers a space in the second half of a piece', () => {
    expect(splitBytes('aaaa bbbb cccc', 10)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitBytes('a bbbbbbbbbbbbbbb', 10)).toEqual(['a bbbbbbbb', 'bbbbbbb']);
  });
});

describe('fitLine', () => {
  it('splits the trailing text so each line is at most 510 bytes before CR LF', () => {
    const long = 'ö'.repeat(2000);
    const lines = fitLine({ source: 'peter!peter@tcp', verb: 'PRIVMSG', params: ['#group-1', long] });
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(Buffer.byteLength(serializeMessage(l))).toBeLessThanOrEqual(510);
    expect(lines.map((l) => l.params[1]).join('')).toBe(long);
  });

  it('leaves a short line alone', () => {
    const m = { verb: 'NOTICE', params: ['bob', 'hi'] };
    expect(fitLine(m)).toEqual([m]);
  });
});
