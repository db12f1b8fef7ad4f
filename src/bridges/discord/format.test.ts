import { describe, expect, it } from 'vitest';
import { escapeInline, escapeMarkdown, MESSAGE_LIMIT, senderPrefix, splitMessage, visible, webhookName } from './format.js';

describe('escapeMarkdown', () => {
  it.each([
    ['plain words', 'plain words'],
    ['**bold** _it_ ~~s~~ `code` ||spoiler||', '\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\`code\\` \\|\\|spoiler\\|\\|'],
    ['back\\slash', 'back\\\\slash'],
    ['<@123> <#456> <:e:789>', '\\<@123> \\<#456> \\<:e:789>'],
    ['[masked](http://x.y)', '\\[masked\\](http://x.y)'],
    ['> quote\n# heading\n- item\n1. first\n-# small', '\\> quote\n\\# heading\n\\- item\n1\\. first\n\\-# small'],
    ['a > b - c # d', 'a > b - c # d'],
    ['see https://example.com/a_b*c now', 'see https://example.com/a_b*c now'],
    ['@everyone', '@everyone'],
  ])('%j', (text, escaped) => {
    expect(escapeMarkdown(text)).toBe(escaped);
  });
});

describe('escapeInline', () => {
  it('escapes markdown but not line-start syntax, for text set inside a sentence', () => {
    expect(escapeInline('#lobby')).toBe('#lobby');
    expect(escapeInline('john_doe')).toBe('john\\_doe');
    expect(escapeInline('"*love*"')).toBe('"\\*love\\*"');
  });
});

describe('splitMessage', () => {
  it('keeps short text whole', () => {
    expect(splitMessage('hello')).toEqual(['hello']);
  });

  it('cuts long text at spaces into pieces under the limit', () => {
    const words = Array.from({ length: 1000 }, (_, i) => `w${i}`).join(' ');
    const pieces = splitMessage(words);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(pieces.join(' ')).toBe(words);
  });

  it('prefers newlines, and cuts text without spaces anywhere safe', () => {
    expect(splitMessage('aaaa\nbbbb cc', 9)).toEqual(['aaaa', 'bbbb cc']);
    expect(splitMessage('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('never cuts an escape or a surrogate pair', () => {
    const escaped = 'ab\\*cd';
    expect(splitMessage(escaped, 3)).toEqual(['ab', '\\*c', 'd']);
    const emoji = 'a😀😀';
    const pieces = splitMessage(emoji, 2);
    expect(pieces.join('')).toBe(emoji);
    for (const p of pieces) expect(p).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});

describe('relay helpers', () => {
  it('names a sender for a webhook unless Discord would refuse the name', () => {
    expect(webhookName('peter', 'tcp')).toBe('peter (tcp)');
    expect(webhookName('bob', 'discord')).toBeNull();
    expect(webhookName('Clyde', 'tcp')).toBeNull();
  });
  it('builds a bold prefix with the name escaped', () => {
    expect(senderPrefix('john_doe', 'irc')).toBe('**[john\\_doe (irc)]** ');
  });
  it('shows blank lines visibly', () => {
    expect(visible('   ')).toBe('*(blank line)*');
    expect(visible(' x ')).toBe(' x ');
  });
});
