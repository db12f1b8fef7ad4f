import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-rule.js';
import { ScryptHasher } from './passwords.js';

const cheap = new ScryptHasher({ logN: 10, r: 8, p: 1 });

describe('ScryptHasher', () => {
  it('stores the cost and a fresh salt with each hash, and never the password', async () => {
    const a = await cheap.hash('correct horse');
    const b = await cheap.hash('correct horse');
    expect(a).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct');
  });

  it('verifies the right password only', async () => {
    const stored = await cheap.hash('correct horse');
    expect(await cheap.verify('correct horse', stored)).toBe(true);
    expect(await cheap.verify('correct horsE', stored)).toBe(false);
    expect(await cheap.verify('', stored)).toBe(false);
  });

  it('verifies with the stored cost, whatever the current one', async () => {
    const stored = await cheap.hash('pass phrase');
    const dearer = new ScryptHasher({ logN: 11, r: 8, p: 2 });
    expect(await dearer.verify('pass phrase', stored)).toBe(true);
    expect(await dearer.hash('pass phrase')).toMatch(/^\$scrypt\$ln=11,r=8,p=2\$/);
  });

  it('treats the same password in any Unicode normal form alike', async () => {
    const stored = await cheap.hash('caf\u00e9 au lait');
    expect(await cheap.verify('cafe\u0301 au lait', stored)).toBe(true);
  });

  it('refuses malformed or extravagant stored hashes instead of throwing or allocating', async () => {
    const stored = await cheap.hash('pass phrase');
    for (const bad of ['', 'plain', stored.replace('ln=10', 'ln=40'), stored.replace('r=8', 'r=99'), stored.replace(/\$[^$]+$/, '$AAAA'), stored.replace('scrypt', 'bcrypt')]) {
      expect(await cheap.verify('pass phrase', bad)).toBe(false);
    }
  });

  it('runs off the event loop: timers fire while a hash at the default cost is computed', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const done = new ScryptHasher().hash('default cost');
    expect(ticks).toBe(0);
    await done;
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('passwordProblem', () => {
  it.each([
    ['short', 'a password has at least 8 characters'],
    ['ééééééé', 'a password has at least 8 characters'],
    ['x'.repeat(129), 'a password has at most 128 characters'],
    ['line\nbreak!', 'a password may not hold control characters'],
    ['nul\0inside', 'a password may not hold control characters'],
    ['trailing space ', 'a password may not start or end with a space'],
    [' leading space', 'a password may not start or end with a space'],
  ])('refuses %j', (password, msg) => {
    expect(passwordProblem(password)).toBe(msg);
  });

  it.each(['eight ch', 'correct horse battery staple', 'пароль-пароль', '🔑🔑🔑🔑🔑🔑🔑🔑', 'x'.repeat(128)])('accepts %j', (password) => {
    expect(passwordProblem(password)).toBeNull();
  });
});
