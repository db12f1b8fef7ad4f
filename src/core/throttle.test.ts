import { describe, expect, it } from 'vitest';
import { MAX_QUEUED_CHARS, Throttle, type ThrottleTimers } from './throttle.js';

function fakeTimers() {
  let now = 0;
  const pending: { at: number; fn: () => void }[] = [];
  const timers: ThrottleTimers = {
    now: () => now,
    after: (ms, fn) => {
      const entry = { at: now + ms, fn };
      pending.push(entry);
      return () => pending.splice(pending.indexOf(entry), 1);
    },
  };
  const advance = (ms: number): void => {
    now += ms;
    for (;;) {
      const due = pending.filter((p) => p.at <= now).sort((a, b) => a.at - b.at)[0];
      if (!due) return;
      pending.splice(pending.indexOf(due), 1);
      due.fn();
    }
  };
  return { timers, advance, pending };
}

describe('Throttle', () => {
  it('is idle only with nothing waiting and its bucket full again', () => {
    const { timers, advance } = fakeTimers();
    const t = new Throttle<number>({ burst: 2, perSecond: 2, maxQueued: 2 }, { run: () => undefined, refuse: () => undefined }, timers);
    expect(t.idle()).toBe(true);
    for (let i = 1; i <= 3; i++) t.offer(i);
    expect(t.idle()).toBe(false);
    advance(500);
    expect(t.idle()).toBe(false);
    advance(999);
    expect(t.idle()).toBe(false);
    advance(1);
    expect(t.idle()).toBe(true);
  });

  it('runs a burst at once, delays the next lines in order, and refuses past the queue', () => {
    const { timers, advance } = fakeTimers();
    const ran: number[] = [];
    const refused: number[] = [];
    const t = new Throttle<number>({ burst: 3, perSecond: 2, maxQueued: 2 }, { run: (n) => ran.push(n), refuse: (n) => refused.push(n) }, timers);
    for (let i = 1; i <= 7; i++) t.offer(i);
    expect(ran).toEqual([1, 2, 3]);
    expect(refused).toEqual([6, 7]);
    advance(499);
    expect(ran).toEqual([1, 2, 3]);
    advance(1);
    expect(ran).toEqual([1, 2, 3, 4]);
    t.offer(8);
    advance(500);
    expect(ran).toEqual([1, 2, 3, 4, 5]);
    advance(500);
    expect(ran).toEqual([1, 2, 3, 4, 5, 8]);
  });

  it('refills up to the burst after a quiet spell', () => {
    const { timers, advance } = fakeTimers();
    const ran: number[] = [];
    const t = new Throttle<number>({ burst: 2, perSecond: 1, maxQueued: 0 }, { run: (n) => ran.push(n), refuse: () => undefined }, timers);
    t.offer(1);
    t.offer(2);
    t.offer(3);
    advance(60_000);
    t.offer(4);
    t.offer(5);
    t.offer(6);
    expect(ran).toEqual([1, 2, 4, 5]);
  });

  it('refuses what would make the waiting requests hold more than MAX_QUEUED_CHARS', () => {
    const { timers, advance } = fakeTimers();
    const ran: string[] = [];
    const refused: string[] = [];
    const t = new Throttle<string>({ burst: 1, perSecond: 1, maxQueued: 50 }, { run: (s) => ran.push(s), refuse: (s) => refused.push(s) }, timers);
    const half = MAX_QUEUED_CHARS / 2;
    for (const name of ['now', 'a', 'b', 'c']) t.offer(name, half);
    t.offer('small', 0);
    expect(ran).toEqual(['now']);
    expect(refused).toEqual(['c']);
    advance(1000);
    t.offer('d', half);
    expect(refused).toEqual(['c']);
    for (let i = 0; i < 3; i++) advance(1000);
    expect(ran).toEqual(['now', 'a', 'b', 'small', 'd']);
  });

  it('drops its queue and timer when stopped', () => {
    const { timers, advance, pending } = fakeTimers();
    const ran: number[] = [];
    const t = new Throttle<number>({ burst: 1, perSecond: 1, maxQueued: 5 }, { run: (n) => ran.push(n), refuse: () => undefined }, timers);
    t.offer(1);
    t.offer(2);
    t.stop();
    expect(pending).toHaveLength(0);
    advance(5000);
    expect(ran).toEqual([1]);
  });
});
