import { describe, expect, it } from 'vitest';
import { Ledger } from './ledger.js';

/** alice (tcp) sends to bob (irc) and carol (web); each case delivers some lines and checks the counts. */
function setup(): { ledger: Ledger; ids: number[]; texts: string[] } {
  const ledger = new Ledger();
  ledger.user('alice', 'tcp');
  ledger.user('bob', 'irc');
  ledger.user('carol', 'web');
  ledger.user('dave', 'tcp');
  const lines = [1, 2, 3].map(() => ledger.line('alice', ['bob', 'carol'], 'rose'));
  return { ledger, ids: lines.map((l) => l.id), texts: lines.map((l) => l.text) };
}

describe('Ledger', () => {
  it.each([
    { name: 'every line once, in order', deliver: [['bob', 0], ['bob', 1], ['bob', 2], ['carol', 0], ['carol', 1], ['carol', 2]], irc: { delivered: 3 }, web: { delivered: 3 }, lost: 0 },
    { name: 'a line lost', deliver: [['bob', 0], ['bob', 2], ['carol', 0], ['carol', 1], ['carol', 2]], irc: { delivered: 2 }, web: { delivered: 3 }, lost: 1 },
    { name: 'a line twice', deliver: [['bob', 0], ['bob', 0], ['bob', 1], ['bob', 2], ['carol', 0], ['carol', 1], ['carol', 2]], irc: { delivered: 3, duplicated: 1 }, web: { delivered: 3 }, lost: 0 },
    { name: 'lines overtaking', deliver: [['bob', 1], ['bob', 0], ['bob', 2], ['carol', 0], ['carol', 1], ['carol', 2]], irc: { delivered: 3, outOfOrder: 1 }, web: { delivered: 3 }, lost: 0 },
    { name: 'a line to a non-member', deliver: [['bob', 0], ['bob', 1], ['bob', 2], ['carol', 0], ['carol', 1], ['carol', 2], ['dave', 1]], irc: { delivered: 3 }, web: { delivered: 3 }, tcp: { stray: 1 }, lost: 0 },
  ] as const)('$name', ({ deliver, irc, web, lost, ...rest }) => {
    const { ledger, ids, texts } = setup();
    for (const [who, i] of deliver) ledger.received(who, 'alice', 'tcp', texts[i]!);
    const zero = { expected: 0, delivered: 0, duplicated: 0, outOfOrder: 0, stray: 0 };
    expect(ledger.byFront.irc).toEqual({ ...zero, expected: 3, ...irc });
    expect(ledger.byFront.web).toEqual({ ...zero, expected: 3, ...web });
    expect(ledger.byFront.tcp).toEqual({ ...zero, ...('tcp' in rest ? rest.tcp : {}) });
    expect(ledger.missing()).toBe(lost);
    expect(ledger.totals().lost).toBe(lost);
    expect(ledger.delivered(ids)).toBe(lost === 0);
    expect(ledger.lostByFront()).toEqual({ tcp: 0, irc: lost, web: 0 });
  });

  it('counts a line with the wrong sender, front or id as stray', () => {
    const { ledger, texts } = setup();
    ledger.received('bob', 'carol', 'web', texts[0]!);
    ledger.received('bob', 'alice', 'irc', texts[0]!);
    ledger.received('bob', 'alice', 'tcp', 's999 rose');
    ledger.received('bob', 'alice', 'tcp', 'no id at all');
    expect(ledger.byFront.irc).toMatchObject({ delivered: 0, stray: 4 });
    expect(ledger.has('bob', 1)).toBe(false);
  });

  it('numbers lines from 1 and knows who has which', () => {
    const { ledger, ids, texts } = setup();
    expect(ids).toEqual([1, 2, 3]);
    expect(texts[0]).toBe('s1 rose');
    ledger.received('carol', 'alice', 'tcp', texts[1]!);
    expect(ledger.has('carol', 2)).toBe(true);
    expect(ledger.has('bob', 2)).toBe(false);
    expect(ledger.sent).toBe(3);
  });

  it('expects nothing of a line sent to nobody', () => {
    const ledger = new Ledger();
    ledger.user('alice', 'tcp');
    const { id } = ledger.line('alice', [], 'alone');
    expect(ledger.delivered([id])).toBe(true);
    expect(ledger.totals()).toMatchObject({ expected: 0, lost: 0 });
  });
});
