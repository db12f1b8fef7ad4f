import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BATCH_CHARS, HOLDS_LISTED, holdsOf, Incoming, LinkStream, Outgoing, type WireHead } from './reliable.js';

describe('a numbered stream over a lossy bus', () => {
  it('hands on every batch once and in order whatever is dropped, repeated or reordered', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('drop', 'dup', 'swap', 'pass', 'pass'), fc.nat(3)), { minLength: 1, maxLength: 120 }), (fates) => {
        const out = new Outgoing<number>(1000);
        const inc = new Incoming<number>();
        const got: number[] = [];
        let wire: { seq: number; batch: number }[] = [];
        let now = 0;
        const deliver = (): void => {
          for (const { seq, batch } of wire.splice(0)) {
            const { ready, missing } = inc.take(seq, batch);
            got.push(...ready);
            out.acked(inc.ack);
            // Asked again for the gap only: what the receiver holds past it is not sent twice.
            if (missing !== null) wire.push(...(out.again(missing, -1, now, holdsOf(inc.holding())) ?? []));
          }
        };
        fates.forEach(([fate, k], i) => {
          now++;
          const seq = out.number(i, now)!;
          if (fate === 'drop') return;
          wire.push({ seq, batch: i });
          if (fate === 'dup') wire.push({ seq, batch: i });
          if (fate === 'swap' && wire.length > 1) wire = [...wire.slice(0, -2), wire.at(-1)!, wire.at(-2)!];
          if (k === 0) deliver();
        });
        // Heartbeats: what stays unacknowledged is sent again until everything is through.
        for (let beat = 0; beat < fates.length + 2 && out.waiting > 0; beat++) {
          now += 10;
          wire.push(...(out.again(null, now, now) ?? []));
          deliver();
        }
        expect(got).toEqual(fates.map((_, i) => i));
        expect(out.waiting).toBe(0);
      }),
    );
  });

  it('says to start over when the cap is reached or the receiver asks for what it acknowledged', () => {
    const out = new Outgoing<string>(2);
    expect(out.number('a', 0)).toBe(1);
    expect(out.number('b', 0)).toBe(2);
    expect(out.number('c', 0)).toBeNull();
    out.acked(2);
    expect(out.again(1, 0, 0)).toBeNull();
    expect(out.number('c', 0)).toBe(3);
    expect(out.again(3, 0, 0)).toEqual([{ seq: 3, batch: 'c' }]);
  });

  it('sends again on a heartbeat only to a receiver that acknowledged nothing new since the last one', () => {
    let now = 0;
    const sent: WireHead[] = [];
    const stream = new LinkStream<string, string>((head) => sent.push(head), () => now, 10);
    const resent = (): number[] => sent.splice(0).filter((h) => h.seq > 0).map((h) => h.seq);
    for (const text of ['a', 'b', 'c', 'd']) stream.push([text]);
    expect(resent()).toEqual([1, 2, 3, 4]);
    // Behind but alive: it acknowledges 1, then 2, each between two heartbeats; nothing waits twice.
    stream.take({ seq: 0, ack: 1, messages: [] });
    now += 2000;
    stream.beat(1000);
    expect(resent()).toEqual([]);
    stream.take({ seq: 0, ack: 2, messages: [] });
    now += 2000;
    stream.beat(1000);
    expect(resent()).toEqual([]);
    // Then nothing new for a heartbeat: what it lacks may be lost (the last of a burst), so it goes again.
    now += 2000;
    stream.beat(1000);
    expect(resent()).toEqual([3, 4]);
    // A receiver that never acknowledged anything gets its batches again too.
    const fresh = new LinkStream<string, string>((head) => sent.push(head), () => now, 10);
    fresh.push(['x']);
    sent.length = 0;
    now += 2000;
    fresh.beat(1000);
    expect(resent()).toEqual([1]);
  });

  it('sends again only what the receiver lacks, not the batches it holds past the gap', () => {
    let now = 0;
    const toReceiver: { head: WireHead; text: string }[] = [];
    const toSender: WireHead[] = [];
    const sender = new LinkStream<string, string>((head, text) => toReceiver.push({ head, text }), () => now, 10);
    const receiver = new LinkStream<string, string>((head) => toSender.push(head), () => now, 10);
    for (const text of ['a', 'b', 'c', 'd', 'e']) sender.push([text]);
    const got: string[] = [];
    const carry = (keep: (seq: number) => boolean): void => {
      for (const { head, text } of toReceiver.splice(0)) if (keep(head.seq)) got.push(...receiver.take({ ...head, messages: JSON.parse(text) as string[] })!);
    };
    // 2 and 4 are lost; 3 and 5 wait at the receiver, which asks for 2 saying it holds them.
    carry((seq) => seq !== 2 && seq !== 4);
    // Its first ask, sent on 3 before 5 came, is lost too; its heartbeat asks again.
    toSender.length = 0;
    now += 100;
    receiver.beat(1000);
    expect(toSender.at(-1)).toEqual({ seq: 0, ack: 1, nack: 2, holds: [3, 5] });
    for (const head of toSender.splice(0)) sender.take({ ...head, messages: [] });
    expect(toReceiver.map(({ head }) => head.seq)).toEqual([2, 4]);
    carry(() => true);
    expect(got).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('lists at most HOLDS_LISTED held numbers, the lowest', () => {
    const inc = new Incoming<number>();
    for (let seq = HOLDS_LISTED + 10; seq >= 2; seq--) inc.take(seq, seq);
    const holds = inc.holding();
    expect([holds.length, holds[0], holds.at(-1)]).toEqual([HOLDS_LISTED, 2, HOLDS_LISTED + 1]);
  });

  it('splits a long turn into batches that fit one bus message, and shrinks a message no batch can hold', () => {
    const sent: { head: WireHead; text: string }[] = [];
    const stream = new LinkStream<string, string>((head, text) => sent.push({ head, text }), () => 0, 10, undefined, () => 'too long');
    const line = 'x'.repeat(100_000);
    expect(stream.push([line, line, line, 'y'.repeat(BATCH_CHARS + 1), 'z'])).toBe(true);
    expect(sent.every(({ text }) => text.length <= BATCH_CHARS + 2)).toBe(true);
    expect(sent.map(({ head }) => head.seq)).toEqual([1, 2]);
    const receiver = new LinkStream<string, string>(() => undefined, () => 0, 10);
    const got = sent.flatMap(({ head, text }) => receiver.take({ ...head, messages: JSON.parse(text) as string[] }) ?? []);
    expect(got).toEqual([line, line, line, 'too long', 'z']);
  });
});
