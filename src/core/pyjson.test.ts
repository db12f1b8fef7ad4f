import { describe, expect, it } from 'vitest';
import { asciiString, pyDumps } from './pyjson.js';

describe('pyDumps', () => {
  it.each([
    [{ action: 'login', status: 'ok' }, '{"action": "login", "status": "ok"}'],
    [{ action: 'time', results: '25.11.26,14:30' }, '{"action": "time", "results": "25.11.26,14:30"}'],
    [{ a: [1, 'x', null, true, false], b: {} }, '{"a": [1, "x", null, true, false], "b": {}}'],
    [{ skip: undefined, keep: 0 }, '{"keep": 0}'],
    [[], '[]'],
  ])('writes %j as Python does', (value, expected) => {
    expect(pyDumps(value)).toBe(expected);
  });

  it('escapes non-ASCII with lower-case hex and surrogate pairs, like ensure_ascii', () => {
    expect(asciiString('Zoë 李 😀')).toBe('"Zo\\u00eb \\u674e \\ud83d\\ude00"');
    expect(asciiString('del\u007f')).toBe('"del\\u007f"');
  });

  it('escapes control characters and quotes', () => {
    expect(asciiString('a"b\\c\n\t\u0001')).toBe('"a\\"b\\\\c\\n\\t\\u0001"');
  });

  it('round-trips through JSON.parse', () => {
    const value = { text: 'mixed ü 𝄞 "quotes" \\ \u0000', n: [1, 2.5, -3] };
    expect(JSON.parse(pyDumps(value))).toEqual(value);
  });
});
