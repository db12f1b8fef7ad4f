import { describe, expect, it } from 'vitest';
import { childFdLimit, connectionBound, fittingCounts, mostConnections, parseNofile, portCount, withFdLimit } from './limits.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max processes             unlimited            unlimited            processes
Max open files            1024                 20000                files
Max locked memory         8388608              8388608              bytes
`;

describe('open files and ports', () => {
  it('reads the open-file limits from /proc/PID/limits', () => {
    expect(parseNofile(LIMITS)).toEqual({ soft: 1024, hard: 20000 });
    expect(parseNofile('Max open files            unlimited            unlimited            files\n')).toEqual({ soft: Infinity, hard: Infinity });
    expect(() => parseNofile('Max processes 1 1\n')).toThrow(/Max open files/);
  });

  it('counts the ephemeral ports of a range', () => {
    expect(portCount('32768\t60999\n')).toBe(28232);
  });

  it('raises the children to 65,536 where it may, else to the hard limit', () => {
    expect(childFdLimit(true, 20000)).toBe(65536);
    expect(childFdLimit(false, 20000)).toBe(20000);
    expect(childFdLimit(false, 1_048_576)).toBe(65536);
  });

  it('says why a count of connections does not fit, or null', () => {
    expect(connectionBound(5000, 20000, 28232)).toBeNull();
    expect(connectionBound(20000, 20000, 28232)).toMatch(/20,000 connections need more than the 20,000 open files/);
    expect(connectionBound(30000, 65536, 28232)).toMatch(/more than the 28,232 ephemeral ports/);
  });

  it('measures a count that does not fit at the most there is room for, once', () => {
    expect(mostConnections(20000, 28232)).toBe(19700);
    expect(mostConnections(65536, 28232)).toBe(28200);
    expect(fittingCounts([5000, 10_000, 20_000], 65536, 28232)).toEqual([{ clients: 5000 }, { clients: 10_000 }, { clients: 20_000 }]);
    expect(fittingCounts([5000, 10_000, 20_000], 20000, 28232)).toEqual([
      { clients: 5000 },
      { clients: 10_000 },
      { clients: 19_700, instead: { asked: 20_000, why: '20,000 connections need more than the 20,000 open files a process may have here' } },
    ]);
    expect(fittingCounts([5000, 10_000, 20_000], 5000, 28232).map((p) => p.clients)).toEqual([4700]);
  });

  it('wraps a command in prlimit with soft and hard set', () => {
    expect(withFdLimit(65536, 'taskset', ['-c', '0', 'node'])).toEqual(['prlimit', ['--nofile=65536:65536', 'taskset', '-c', '0', 'node']]);
  });
});
