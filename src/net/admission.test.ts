import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../core/log.js';
import { Admission, addressKey, type AdmissionLimits, type Verdict } from './admission.js';

function logger(lines: string[]): Logger {
  const put = (msg: string, fields?: object) => void lines.push(`${msg} ${JSON.stringify(fields ?? {})}`);
  return { debug: put, info: put, warn: put, error: put };
}

const LIMITS: AdmissionLimits = { maxConnections: 4, maxPerAddress: 2, maxPending: 3, loginTimeoutMs: 1000 };

function ticketOf(v: Verdict) {
  if (!v.ok) throw new Error(`refused: ${v.why}`);
  return v.ticket;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('addressKey', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['::1', '0:0:0:0::/64'],
    ['2001:db8:aa:bb:1:2:3:4', '2001:db8:aa:bb::/64'],
    ['2001:db8:aa:bb::99', '2001:db8:aa:bb::/64'],
    ['2001:0DB8:00aa:00bb::1', '2001:db8:aa:bb::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('%s -> %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});

describe('Admission', () => {
  it('caps connections per address, counting a whole IPv6 /64 as one', () => {
    const a = new Admission(LIMITS, logger([]));
    ticketOf(a.admit('2001:db8::1')).loggedIn();
    ticketOf(a.admit('2001:db8::2')).loggedIn();
    expect(a.admit('2001:db8::3')).toEqual({ ok: false, why: expect.stringMatching(/too many connections from your address \(2\)/) });
    expect(a.admit('2001:db9::1').ok).toBe(true);
  });

  it('caps the connections that have not logged in, and frees a place at login or close', () => {
    const a = new Admission(LIMITS, logger([]));
    const t = ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((ip) => ticketOf(a.admit(ip)));
    expect(a.admit('10.0.0.4')).toEqual({ ok: false, why: expect.stringMatching(/waiting to log in/) });
    t[0]!.loggedIn();
    const fourth = ticketOf(a.admit('10.0.0.4'));
    expect(a.counts()).toEqual({ open: 4, pending: 3 });
    t[1]!.release();
    t[1]!.release();
    fourth.release();
    expect(a.counts()).toEqual({ open: 2, pending: 1 });
  });

  it('caps the server as a whole', () => {
    const a = new Admission(LIMITS, logger([]));
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']) {
      const t = ticketOf(a.admit(ip));
      t.loggedIn();
    }
    expect(a.admit('10.0.0.5')).toEqual({ ok: false, why: expect.stringMatching(/the server has no room for more connections \(4\)/) });
  });

  it('tells a connection that did not log in in time, and only that one', () => {
    vi.useFakeTimers();
    const a = new Admission(LIMITS, logger([]));
    const late: string[] = [];
    const slow = ticketOf(a.admit('10.0.0.1'));
    slow.whenLate((why) => late.push(`slow: ${why}`));
    const quick = ticketOf(a.admit('10.0.0.2'));
    quick.whenLate(() => late.push('quick'));
    const gone = ticketOf(a.admit('10.0.0.3'));
    gone.whenLate(() => late.push('gone'));
    quick.loggedIn();
    gone.release();
    vi.advanceTimersByTime(999);
    expect(late).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(late).toEqual(['slow: log in within 1 second of connecting']);
  });

  it('closes the oldest connection that yields its place when the login queue is full, never one that does not', () => {
    vi.useFakeTimers();
    const a = new Admission({ ...LIMITS, maxConnections: 10 }, logger([]));
    const late: string[] = [];
    const firm = ticketOf(a.admit('10.0.0.1'));
    firm.whenLate(() => late.push('firm'));
    const [old, young] = ['10.0.0.2', '10.0.0.3'].map((ip, i) => {
      const t = ticketOf(a.admit(ip));
      t.whenLate((why) => late.push(`${i === 0 ? 'old' : 'young'}: ${why}`), { afterMs: 3_600_000, yields: true });
      return t;
    });
    const newcomer = ticketOf(a.admit('10.0.0.4'));
    expect(late).toEqual(['old: too many connections are waiting to log in and this one has waited longest']);
    expect(a.counts()).toEqual({ open: 4, pending: 3 });
    old!.loggedIn();
    old!.giveUp('twice');
    old!.release();
    expect(a.counts()).toEqual({ open: 3, pending: 3 });
    young!.loggedIn();
    newcomer.whenLate(() => late.push('newcomer'));
    ticketOf(a.admit('10.0.0.5'));
    expect(a.admit('10.0.0.6')).toEqual({ ok: false, why: expect.stringMatching(/waiting to log in/) });
    vi.advanceTimersByTime(1000);
    expect(late.slice(1)).toEqual(['firm', 'newcomer']);
  });

  it('keeps a yielding connection until its own deadline', () => {
    vi.useFakeTimers();
    const a = new Admission(LIMITS, logger([]));
    const late: string[] = [];
    ticketOf(a.admit('10.0.0.1')).whenLate((why) => late.push(why), { afterMs: 5000, yields: true });
    vi.advanceTimersByTime(4999);
    expect(late).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(late).toEqual(['log in within 5 seconds of connecting']);
  });

  it('logs refusals at most once a minute, with how many there were', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const a = new Admission({ ...LIMITS, maxPerAddress: 1 }, logger(lines));
    ticketOf(a.admit('10.0.0.1'));
    for (let i = 0; i < 5; i++) a.admit('10.0.0.1');
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(60_000);
    a.admit('10.0.0.1');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('"address":5');
  });
});
