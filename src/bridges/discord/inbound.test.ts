import { describe, expect, it } from 'vitest';
import { readableText, withExtras, type MentionNames } from './inbound.js';

const names: MentionNames = {
  user: (id) => ({ '1': 'alice', '2': 'Bob Smith' })[id] ?? null,
  role: (id) => (id === '7' ? 'mods' : null),
  channel: (id) => (id === '9' ? 'general' : null),
};

describe('readableText', () => {
  it.each([
    ['hi <@1> and <@!2>', 'hi @alice and @Bob Smith'],
    ['<@&7> <@&8>', '@mods @unknown-role'],
    ['see <#9> or <#10>', 'see #general or #unknown-channel'],
    ['<:blobwave:123> <a:party:456>', ':blobwave: :party:'],
    ['try </who:111>', 'try /who'],
    ['at <t:0:R> or <t:86400>', 'at 1970-01-01 00:00 UTC or 1970-01-02 00:00 UTC'],
    ['<@3>', '@unknown-user'],
    ['**kept** as typed', '**kept** as typed'],
  ])('%j', (content, text) => {
    expect(readableText(content, names)).toBe(text);
  });
});

describe('withExtras', () => {
  it('adds a line per sticker and attachment', () => {
    expect(withExtras('look', { attachments: [{ name: 'cat.png', url: 'https://cdn/x/cat.png' }], stickers: ['wave'] })).toBe(
      'look\n[sticker: wave]\n[file: cat.png] https://cdn/x/cat.png',
    );
    expect(withExtras('', { attachments: [{ name: 'a.txt', url: 'u' }], stickers: [] })).toBe('[file: a.txt] u');
    expect(withExtras('', { attachments: [], stickers: [] })).toBe('');
  });
});
