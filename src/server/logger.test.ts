import { describe, expect, it } from 'vitest';
import { createLogger, escapeControls, formatRecord } from './logger.js';

const at = new Date(Date.UTC(2026, 10, 25, 12, 0, 0));

describe('formatRecord', () => {
  it('writes time, level, message and fields', () => {
    expect(formatRecord('info', 'tcp front listening on 0.0.0.0:1112', { n: 3, ok: true }, at)).toBe(
      '2026-11-25T12:00:00.000Z INFO tcp front listening on 0.0.0.0:1112 n=3 ok=true',
    );
  });
  it('quotes field values with spaces, quotes or control characters', () => {
    expect(formatRecord('warn', 'x', { why: 'two words', user: 'a"b', nl: 'a\nb', empty: '' }, at)).toBe(
      '2026-11-25T12:00:00.000Z WARN x why="two words" user="a\\"b" nl="a\\nb" empty=""',
    );
  });
  it('cannot be split into two lines by user text', () => {
    const line = formatRecord('error', 'bad\nFAKE 2026 INFO forged\u001b[2J\u2028', { v: '\r\n' }, at);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toContain('bad\\nFAKE 2026 INFO forged\\u001b[2J\\u2028');
  });
  it('escapes C1 controls, separators, bidi and zero-width characters in field values too', () => {
    const line = formatRecord('warn', 'x', { user: 'a\u009b31m\u2028b\u202ec\u200bd' }, at);
    expect(line).toBe('2026-11-25T12:00:00.000Z WARN x user="a\\u009b31m\\u2028b\\u202ec\\u200bd"');
  });
  it('escapes only control characters', () => {
    expect(escapeControls('plain "quoted" ü\t')).toBe('plain "quoted" ü\\t');
  });
});

describe('createLogger', () => {
  it('drops records below its level', () => {
    const lines: string[] = [];
    const log = createLogger('warn', (line) => lines.push(line));
    log.debug('no');
    log.info('no');
    log.warn('yes');
    log.error('yes');
    expect(lines.map((l) => l.split(' ')[1])).toEqual(['WARN', 'ERROR']);
  });
});
