import { describe, expect, it } from 'vitest';
import { LineReader, type ReadItem } from './line-reader.js';

const show = (items: ReadItem[]): string[] => items.map((i) => (i.kind === 'line' ? i.bytes.toString('utf8') : '<too long>'));

function feed(reader: LineReader, input: Buffer, cuts: number[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const cut of [...cuts, input.length]) {
    out.push(...show(reader.push(input.subarray(at, cut))));
    at = cut;
  }
  return out;
}

describe('LineReader', () => {
  const input = Buffer.from('NICK zoë\r\nUSER z 0 * :Zoë Ω\r\n\r\nPING 1\nPING 2\rPING 3\r\n', 'utf8');
  const expected = ['NICK zoë', 'USER z 0 * :Zoë Ω', 'PING 1', 'PING 2', 'PING 3'];

  it('finds the same lines however the bytes are split', () => {
    expect(feed(new LineReader(), input, [])).toEqual(expected);
    const bytewise = Array.from({ length: input.length }, (_, i) => i);
    expect(feed(new LineReader(), input, bytewise)).toEqual(expected);
    for (let seed = 1; seed <= 50; seed++) {
      const cuts = bytewise.filter((i) => (i * 7919 + seed * 104729) % 11 < 3);
      expect(feed(new LineReader(), input, cuts), `seed ${seed}`).toEqual(expected);
    }
  });

  it('keeps a partial line until its end arrives', () => {
    const r = new LineReader();
    expect(show(r.push(Buffer.from('PRIVMSG #a :hal')))).toEqual([]);
    expect(show(r.push(Buffer.from('lo\r')))).toEqual(['PRIVMSG #a :hallo']);
    expect(show(r.push(Buffer.from('\nPING x\r\n')))).toEqual(['PING x']);
  });

  it('is idle between lines only, so a connection may drop it there', () => {
    const r = new LineReader(10);
    expect(r.idle).toBe(true);
    r.push(Buffer.from('PING 1\r\nPI'));
    expect(r.idle).toBe(false);
    r.push(Buffer.from('NG 2\r'));
    expect(r.idle).toBe(true);
    r.push(Buffer.from('0123456789A'));
    expect(r.idle).toBe(false);
    r.push(Buffer.from('\r\n'));
    expect(r.idle).toBe(true);
  });

  it('accepts a line of exactly the limit and reports a longer one once, then reads on', () => {
    const r = new LineReader(10);
    expect(show(r.push(Buffer.from('0123456789\r\n')))).toEqual(['0123456789']);
    expect(show(r.push(Buffer.from('0123456789A\r\nok\r\n')))).toEqual(['<too long>', 'ok']);
    const flood = Buffer.alloc(10_240, 'x');
    expect(show(r.push(flood))).toEqual(['<too long>']);
    expect(show(r.push(flood))).toEqual([]);
    expect(show(r.push(Buffer.from('yyy\r\nPING z\r\n')))).toEqual(['PING z']);
  });
});
