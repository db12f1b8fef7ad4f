import { describe, expect, it } from 'vitest';
import { ScenarioGuard } from './scenario-guard.js';

describe('a run\'s scenarios, each on its own', () => {
  it('tells and notes a scenario that throws, closes its bars, and goes on with the next', async () => {
    const told: string[] = [];
    const guard = new ScenarioGuard({ end: () => void told.push('(bars closed)'), result: (line) => void told.push(line), note: (text) => void told.push(`note: ${text}`) });
    const ran: string[] = [];
    await guard.run(['s2'], 'S2', async () => {
      ran.push('s2');
      throw new Error('ngircd did not start');
    });
    await guard.run(['search', 'startup'], 'Search/start-up', async () => void ran.push('search'));
    expect(ran).toEqual(['s2', 'search']);
    expect(told).toEqual(['(bars closed)', 'S2 failed: ngircd did not start', 'note: S2 failed in this run: ngircd did not start']);
    expect([guard.failed('s2'), guard.failed('search'), guard.failed('startup'), guard.count]).toEqual([true, false, false, 1]);
  });

  it('counts every scenario of a body that fails', async () => {
    const guard = new ScenarioGuard({ end: () => undefined, result: () => undefined, note: () => undefined });
    await guard.run(['bigroom', 'manyidle'], 'The flat-cost scenarios', () => Promise.reject(new Error('no file descriptors left')));
    expect([guard.failed('bigroom'), guard.failed('manyidle'), guard.count]).toEqual([true, true, 2]);
  });
});
