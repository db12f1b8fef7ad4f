import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, OWN_POSTGRES_NEED, ownPostgres } from '../../test/helpers/engines.js';
import { describeNeeds } from '../../test/helpers/needs.js';
import { waitFor } from '../../test/helpers/wait.js';
import type { LocalPostgres } from '../engines/postgres.js';
import { Assembler, FallbackTransport, FRAGMENT_CHARS, fragments, PgTransport } from './pg-transport.js';
import { LocalTransport } from './transport.js';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('fragments and the Assembler', () => {
  it('carries a short text in one fragment, and a long one in pieces put back in any order, once', () => {
    const a = new Assembler();
    expect(a.take(fragments('ics.hub', 'x1', 'hello')[0]!)).toEqual({ subject: 'ics.hub', data: 'hello' });
    const long = 'abcdefghij'.repeat(FRAGMENT_CHARS);
    const pieces = fragments('ics.node.n1', 'x2', long);
    expect(pieces).toHaveLength(10);
    for (const p of pieces) expect(Buffer.byteLength(p)).toBeLessThan(8000);
    const shuffled = [pieces[3]!, pieces[0]!, pieces[0]!, ...pieces.slice(4).reverse(), pieces[1]!];
    for (const p of shuffled) expect(a.take(p)).toBeNull();
    expect(a.waiting).toBe(1);
    expect(a.take(pieces[2]!)).toEqual({ subject: 'ics.node.n1', data: long });
    expect(a.waiting).toBe(0);
    // A repeat of a fragment of a text already whole starts nothing that completes.
    expect(a.take(pieces[0]!)).toBeNull();
  });

  it('never cuts a character in two, however the text falls on the fragment boundaries', () => {
    const emoji = '😀'; // two UTF-16 units, four UTF-8 bytes
    for (const shift of [0, 1]) {
      const text = 'a'.repeat(shift) + emoji.repeat(FRAGMENT_CHARS * 2);
      const pieces = fragments('s', `e${shift}`, text);
      for (const p of pieces) {
        expect(Buffer.from(p, 'utf8').toString('utf8')).toBe(p);
        expect(Buffer.byteLength(p)).toBeLessThan(8000);
      }
      const a = new Assembler();
      const whole = pieces.map((p) => a.take(p)).find((r) => r !== null);
      expect(whole?.data).toBe(text);
    }
  });

  it('drops what is not a fragment, and texts whose fragments stop coming', () => {
    let now = 0;
    const a = new Assembler(() => now);
    expect(a.take('no header')).toBeNull();
    expect(a.take('s\nid\n5\n2\nindex past the count')).toBeNull();
    const lost = fragments('s', 'lost', 'z'.repeat(FRAGMENT_CHARS * 2));
    expect(a.take(lost[0]!)).toBeNull();
    now = 60_000;
    const next = fragments('s', 'next', 'y'.repeat(FRAGMENT_CHARS * 2));
    expect(a.take(next[0]!)).toBeNull();
    expect(a.waiting).toBe(1);
    expect(a.take(lost[1]!)).toBeNull();
  });
});

describe('FallbackTransport', () => {
  it('sends on the bus while it is up and the other way while it is not, and hears both', async () => {
    const bus = Object.assign(new LocalTransport(), { connected: true });
    const other = new LocalTransport();
    const t = new FallbackTransport(bus, other);
    const heard: string[] = [];
    const sentOnBus: string[] = [];
    bus.subscribe('s', (d) => sentOnBus.push(d));
    t.subscribe('s', (d) => heard.push(d));
    t.publish('s', 'one');
    bus.connected = false;
    t.publish('s', 'two');
    await waitFor('both texts', () => heard.length === 2);
    expect(heard).toEqual(['one', 'two']);
    expect(sentOnBus).toEqual(['one']);
  });
});

describeNeeds(OWN_POSTGRES_NEED)('PgTransport: the links through a real PostgreSQL', () => {
  let engine: LocalPostgres;
  let url: string;
  const open: PgTransport[] = [];
  const transport = (): PgTransport => {
    const t = new PgTransport(url, quiet);
    open.push(t);
    return t;
  };

  beforeAll(async () => {
    engine = await ownPostgres();
    url = (await freshDatabase('links', engine)).url;
  });
  afterAll(async () => {
    await Promise.all(open.map((t) => t.close()));
    await engine?.stop();
  });

  it('carries texts, long ones too, from one node to another in the order published', async () => {
    const [a, b] = [transport(), transport()];
    await waitFor('both to listen', () => a.connected && b.connected, 10_000);
    const heard: string[] = [];
    b.subscribe('ics.hub', (d) => heard.push(d));
    b.subscribe('ics.other', () => heard.push('wrong subject'));
    const long = 'ü'.repeat(100_000);
    for (let i = 0; i < 50; i++) a.publish('ics.hub', `m${i}`);
    a.publish('ics.hub', long);
    await waitFor('51 texts', () => heard.length === 51, 10_000);
    expect(heard.slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
    expect(heard[50]).toBe(long);
  });

  it('says it is down while PostgreSQL is, and listens again once it is back', async () => {
    const [a, b] = [transport(), transport()];
    await waitFor('both to listen', () => a.connected && b.connected, 10_000);
    await engine.stop();
    await waitFor('the transport to notice', () => !a.connected, 10_000);
    a.publish('ics.hub', 'lost while down');
    await engine.start();
    await waitFor('both to listen again', () => a.connected && b.connected, 15_000);
    const heard: string[] = [];
    b.subscribe('ics.hub', (d) => heard.push(d));
    a.publish('ics.hub', 'back');
    await waitFor('the text after the restart', () => heard.includes('back'), 10_000);
    expect(heard).toEqual(['back']);
  });
});
