import { describe, expect, it } from 'vitest';
import type { Target } from './clients.js';
import { targetOf } from './types.js';

const nodes: Target[] = [1, 2, 3].map((n) => ({ protocol: 'native', host: '127.0.0.1', port: 1000 + n }));

describe('targetOf', () => {
  it('puts the two clients of every pair on different nodes, and the pairs on every node', () => {
    const used = new Set<number>();
    for (let g = 0; g < 50; g++) {
      const [a, b] = [targetOf(nodes, g, 0), targetOf(nodes, g, 1)];
      expect(a.port).not.toBe(b.port);
      used.add(a.port).add(b.port);
    }
    expect(used.size).toBe(3);
  });

  it('spreads every group of 10 over all three nodes, evenly overall', () => {
    const count = new Map<number, number>();
    for (let g = 0; g < 100; g++) {
      const ports = Array.from({ length: 10 }, (_, m) => targetOf(nodes, g, m).port);
      expect(new Set(ports).size).toBe(3);
      for (const p of ports) count.set(p, (count.get(p) ?? 0) + 1);
    }
    for (const n of count.values()) expect(Math.abs(n - 1000 / 3)).toBeLessThan(40);
  });

  it('sends everyone to the one server when there is one', () => {
    for (let g = 0; g < 5; g++) for (let m = 0; m < 10; m++) expect(targetOf(nodes.slice(0, 1), g, m)).toBe(nodes[0]);
  });
});
