import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chatText, lineText } from './text.js';

/** Strings rich in what the rules are about: line breaks, controls, bidi controls, surrogate halves. */
const SPECIALS = ['\r', '\n', '\r\n', '\0', '\x1b', '\x7f', '\x85', '\x9b', '\u2028', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\ud800', '\udc00', '😀', 'a', ' '];
const nasty = fc
  .array(fc.oneof(fc.constantFrom(...SPECIALS), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))), { maxLength: 40 })
  .map((parts) => parts.join(''));

describe('chatText', () => {
  it.each([
    ['plain text', 'hello, world', 'hello, world'],
    ['CR LF, CR, NEL and separators become LF', 'a\r\nb\rc\u0085d\u2028e\u2029f', 'a\nb\nc\nd\ne\nf'],
    ['tab and LF stay', 'a\tb\nc', 'a\tb\nc'],
    ['NUL, CTCP and IRC formatting become visible', '\0\x01ACTION x\x01 \x02b\x02 \x034,5red\x0f', '␀␁ACTION x␁ ␂b␂ ␃4,5red␏'],
    ['ANSI escapes cannot reach a terminal', '\x1b[2J\x1b]0;owned\x07', '␛[2J␛]0;owned␇'],
    ['DEL and C1 controls (8-bit CSI)', 'a\x7fb\x9b31mc', 'a␡b\ufffd31mc'],
    ['lone surrogates become U+FFFD', 'x\ud800y\udc00z', 'x\ufffdy\ufffdz'],
    ['surrogate pairs stay', 'smile 😀', 'smile 😀'],
    ['zero-width and RTL marks stay', 'a\u200bb\u200dc\u200fd\u200ee', 'a\u200bb\u200dc\u200fd\u200ee'],
    ['an open override is closed at the end of its line', 'evil \u202egnp.exe\nnext', 'evil \u202egnp.exe\u202c\nnext'],
    ['an open isolate is closed, with what it holds', 'a\u2067b\u202bc', 'a\u2067b\u202bc\u202c\u2069'],
    ['balanced text is left alone', 'a\u202bb\u202cc\u2066d\u2069', 'a\u202bb\u202cc\u2066d\u2069'],
    ['a PDI closes the embeddings inside its isolate', 'a\u2068b\u202dc\u2069d\u202a', 'a\u2068b\u202dc\u2069d\u202a\u202c'],
    ['stray closers are harmless and kept', '\u202c\u2069x', '\u202c\u2069x'],
  ])('%s', (_what, input, output) => {
    expect(chatText(input)).toBe(output);
  });

  it('leaves no control character but TAB and LF, no lone surrogate, and no open override, for any input', () => {
    fc.assert(
      fc.property(nasty, (input) => {
        const out = chatText(input);
        expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
        expect(Buffer.from(out, 'utf8').toString('utf8')).toBe(out);
        expect(chatText(out)).toBe(out);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('lineText', () => {
  it('puts every line break on one line as a space', () => {
    expect(lineText('topic\r\nPRIVMSG #x :hi\n\0')).toBe('topic PRIVMSG #x :hi ␀');
  });
});
