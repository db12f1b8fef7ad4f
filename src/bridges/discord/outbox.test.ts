import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../core/log.js';
import { Outbox, type Job } from './outbox.js';

const logs: string[] = [];
const log: Logger = { debug: (m) => logs.push(m), info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) };

function setup(limit = 500): { outbox: Outbox; posted: string[]; post: (text: string) => Job } {
  const outbox = new Outbox(log, limit);
  const posted: string[] = [];
  const post = (text: string): Job => async () => {
    posted.push(text);
  };
  return { outbox, posted, post };
}

const refused = (): DiscordAPIError => new DiscordAPIError({ message: 'Missing Permissions', code: 50013 }, 50013, 403, 'POST', '/x', {});

describe('Outbox', () => {
  it('holds posts while closed and sends them in order once open', async () => {
    const { outbox, posted, post } = setup();
    const lane = outbox.lane('a', post);
    const done = ['1', '2', '3'].map((n) => lane.push(post(n)));
    expect(outbox.pending()).toBe(3);
    expect(posted).toEqual([]);
    outbox.setOpen(true);
    expect(await Promise.all(done)).toEqual([true, true, true]);
    expect(posted).toEqual(['1', '2', '3']);
  });

  it('keeps the newest posts when a lane overflows, and says how many were dropped', async () => {
    const { outbox, posted, post } = setup(3);
    const lane = outbox.lane('a', post);
    const done = ['1', '2', '3', '4', '5'].map((n) => lane.push(post(n)));
    outbox.setOpen(true);
    expect(await Promise.all(done)).toEqual([false, false, true, true, true]);
    expect(posted).toEqual(['(2 older messages were dropped while Discord was unreachable)', '3', '4', '5']);
  });

  it('drops a post Discord refuses and goes on with the next', async () => {
    const { outbox, posted, post } = setup();
    outbox.setOpen(true);
    const lane = outbox.lane('a', post);
    const bad = lane.push(() => Promise.reject(refused()));
    const good = lane.push(post('after'));
    expect(await bad).toBe(false);
    expect(await good).toBe(true);
    expect(posted).toEqual(['after']);
    expect(logs.some((l) => l.includes('discord refused a post'))).toBe(true);
  });

  it('retries a post that failed for another reason, keeping the order', async () => {
    const { outbox, posted, post } = setup();
    outbox.setOpen(true);
    const lane = outbox.lane('a', post);
    let tries = 0;
    const flaky = lane.push(async () => {
      if (++tries === 1) throw new Error('socket hang up');
      posted.push('flaky');
    });
    const next = lane.push(post('next'));
    expect(await Promise.all([flaky, next])).toEqual([true, true]);
    expect(posted).toEqual(['flaky', 'next']);
    expect(tries).toBe(2);
  });

  it('keeps lanes independent and tells when the gate opens', async () => {
    const { outbox, posted, post } = setup();
    const opened = outbox.whenOpen();
    const a = outbox.lane('a', post).push(post('a'));
    const b = outbox.lane('b', post).push(post('b'));
    outbox.setOpen(true);
    await opened;
    expect(await Promise.all([a, b])).toEqual([true, true]);
    expect(posted.sort()).toEqual(['a', 'b']);
    await outbox.drained(100);
    expect(outbox.pending()).toBe(0);
  });
});
