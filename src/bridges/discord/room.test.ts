import { describe, expect, it } from 'vitest';
import { threadName } from './room.js';

describe('threadName', () => {
  it('names a thread after the members, within 100 characters', () => {
    expect(threadName(['alice', 'peter'])).toBe('alice, peter');
    const long = threadName(Array.from({ length: 20 }, (_, i) => `member${i}`));
    expect([...long]).toHaveLength(100);
    expect(long.endsWith('...')).toBe(true);
  });
});
