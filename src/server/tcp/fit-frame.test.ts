import { describe, expect, it } from 'vitest';
import { FrameDecoder, MAX_PAYLOAD_CHARS } from '../../core/framing.js';
import { pyDumps } from '../../core/pyjson.js';
import type { ServerEvent } from '../../core/protocol.js';
import { frameOf } from './connection.js';
import { fitPayload } from './fit-frame.js';

const members = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `member${i}`, front: i % 2 ? 'irc' : 'tcp' }));

/** The payload a client reads from the frame of `event`. */
function received(event: ServerEvent): Record<string, unknown> {
  const { frames, error } = new FrameDecoder().push(frameOf(event));
  expect(error).toBeNull();
  expect(frames).toHaveLength(1);
  return JSON.parse(frames[0]!) as Record<string, unknown>;
}

describe('fitPayload', () => {
  it('passes an event that fits exactly as it is', () => {
    const event = { action: 'connect', status: 'success', peer: '#a', group: 1, members: members(1000) };
    expect(fitPayload(event)).toBe(pyDumps(event));
  });

  it('keeps the members of a room of thousands that fit one frame, and says how many it left out', () => {
    const all = members(4000);
    const event: ServerEvent = { action: 'connect', status: 'success', peer: '#big', group: 7, room: '#big', members: all, kind: 'room' };
    const got = received(event);
    const kept = got['members'] as unknown[];
    expect(kept.length).toBeGreaterThan(2000);
    expect(kept).toEqual(all.slice(0, kept.length));
    expect(got['membersOmitted']).toBe(all.length - kept.length);
    expect(got).toMatchObject({ action: 'connect', status: 'success', peer: '#big', group: 7, room: '#big', kind: 'room' });
    // As many as fit: one more would not.
    expect(pyDumps({ ...event, members: all.slice(0, kept.length + 1), membersOmitted: all.length - kept.length - 1 }).length).toBeGreaterThan(MAX_PAYLOAD_CHARS);
  });

  it('shortens the largest part first: the users of a long list, then its text', () => {
    const users = Array.from({ length: 3000 }, (_, i) => ({ name: `user${i}`, front: 'tcp', away: null }));
    const results = users.map((u) => u.name).join(', ');
    const got = received({ action: 'list', results, users, groups: [] } as unknown as ServerEvent);
    expect(got['results']).toBe(results);
    expect((got['users'] as unknown[]).length + (got['usersOmitted'] as number)).toBe(3000);
    const huge = 'x'.repeat(150_000);
    const text = received({ action: 'list', results: huge, users, groups: [] } as unknown as ServerEvent);
    expect(text['users']).toEqual([]);
    expect(text['usersOmitted']).toBe(3000);
    const cut = text['results'] as string;
    const kept = cut.indexOf(' … (');
    expect(cut.slice(kept)).toBe(` … (${huge.length - kept} more characters left out)`);
  });

  it('counts escaped characters as the frame does', () => {
    const got = received({ action: 'note', from: '', message: 'é'.repeat(30_000) });
    expect(got['message']).toMatch(/^é+ … \(\d+ more characters left out\)$/);
  });
});
