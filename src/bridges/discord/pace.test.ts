import { afterEach, describe, expect, it, vi } from 'vitest';
import { Pace } from './pace.js';
import type { Text } from './responders.js';

afterEach(() => {
  vi.useRealTimers();
});

const words = (text: Text | null): Promise<string> | null => (text === null ? null : typeof text === 'string' ? Promise.resolve(text) : text());

describe('Pace', () => {
  it('runs a burst per user, refuses at once beyond it (nothing waits), and refills', () => {
    vi.useFakeTimers();
    const pace = new Pace({ burst: 2, perSecond: 1, maxQueued: 50 });
    const log: string[] = [];
    for (const n of [1, 2, 3]) pace.run('ann', () => log.push(`ann ran ${n}`), () => log.push(`ann refused ${n}`));
    pace.run('bob', () => log.push('bob ran'), () => log.push('bob refused'));
    vi.advanceTimersByTime(1000);
    pace.run('ann', () => log.push('ann ran 4'), () => log.push('ann refused 4'));
    expect(log).toEqual(['ann ran 1', 'ann ran 2', 'ann refused 3', 'bob ran', 'ann ran 4']);
  });

  it('answers a run of refused messages with one reply that counts them all', async () => {
    const pace = new Pace({ burst: 1, perSecond: 1, maxQueued: 0 });
    const first = pace.refusal('ann');
    expect(pace.refusal('ann')).toBeNull();
    expect(pace.refusal('ann')).toBeNull();
    expect(await words(first)).toBe('You are sending too fast: 3 messages were dropped. Wait a moment and send again.');
    expect(await words(pace.refusal('ann'))).toBe('You are sending too fast: that message was dropped. Wait a moment and send again.');
  });

  it('gives up on a reply that was never posted, so later refusals are still answered', async () => {
    vi.useFakeTimers();
    const pace = new Pace({ burst: 1, perSecond: 1, maxQueued: 0 });
    expect(pace.refusal('ann')).not.toBeNull();
    vi.advanceTimersByTime(29_999);
    expect(pace.refusal('ann')).toBeNull();
    vi.advanceTimersByTime(1);
    expect(await words(pace.refusal('ann'))).toBe('You are sending too fast: that message was dropped. Wait a moment and send again.');
  });
});
