import { describe, expect, it } from 'vitest';
import { flameSvg, frameTree, selfTimes, type CpuProfile } from './flame.js';

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 9 });

/**
 * root ─┬─ (idle)                       100 µs
 *       ├─ main file:///x/dist/core/hub.js ─┬─ say …/actions/chat.js  30 µs (two nodes: one box)
 *       │        10 µs                       └─ <anonymous> node:net   20 µs
 *       └─ (garbage collector)            40 µs
 */
const profile: CpuProfile = {
  startTime: 1_000,
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 3, 7] },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('main', 'file:///x/dist/core/hub.js'), children: [4, 5, 6] },
    { id: 4, callFrame: frame('say', 'file:///x/dist/core/actions/chat.js') },
    { id: 5, callFrame: frame('say', 'file:///x/dist/core/actions/chat.js') },
    { id: 6, callFrame: frame('', 'node:net') },
    { id: 7, callFrame: frame('(garbage collector)') },
  ],
  samples: [2, 3, 4, 5, 6, 7, 2],
  timeDeltas: [50, 10, 15, 15, 20, 40, 50],
};

describe('frameTree', () => {
  it('adds up self and total time per call path, one box per function in a path, without idle time', () => {
    const root = frameTree(profile);
    expect(root.total).toBe(100);
    const main = root.children.find((c) => c.name === 'main core/hub.js:10')!;
    expect(main).toMatchObject({ kind: 'ours', self: 10, total: 60 });
    expect(main.children.map((c) => [c.name, c.total, c.kind])).toEqual([
      ['say actions/chat.js:10', 30, 'ours'],
      ['(anonymous) node:net:10', 20, 'node'],
    ]);
    expect(root.children.find((c) => c.name === '(garbage collector)')).toMatchObject({ kind: 'engine', total: 40 });
    expect(selfTimes(root, 2)).toEqual([
      { name: '(garbage collector)', share: 0.4, ms: 0.04 },
      { name: 'say actions/chat.js:10', share: 0.3, ms: 0.03 },
    ]);
  });

  it('keeps only the samples taken within a window of the profile\'s clock', () => {
    // Samples end at 1,050 (idle), 1,060 (main), 1,075 and 1,090 (say), 1,110 (net), 1,150 (collector).
    const root = frameTree(profile, { from: 1_070, to: 1_110 });
    expect(root.total).toBe(50);
    expect(root.children.map((c) => c.name)).toEqual(['main core/hub.js:10']);
  });
});

describe('flameSvg', () => {
  it('draws each frame as wide as its share, callers below callees, names escaped', () => {
    const svg = flameSvg(frameTree(profile), 'ours <native>');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="1200"')).toBe(true);
    expect(svg).toContain('ours &lt;native&gt;');
    const box = (name: string) => {
      const m = new RegExp(`<title>${name.replace(/[()]/g, '\\$&')}: [^<]*</title><rect x="([\\d.]+)" y="(\\d+)" width="([\\d.]+)"`).exec(svg);
      expect(m, name).not.toBeNull();
      return { x: Number(m![1]), y: Number(m![2]), width: Number(m![3]) };
    };
    const root = box('(root)');
    const main = box('main core/hub.js:10');
    const say = box('say actions/chat.js:10');
    expect(root.width).toBe(1200);
    expect(main.width).toBe(720);
    expect(say.width).toBe(360);
    expect(say.x).toBe(main.x);
    expect(main.y).toBeLessThan(root.y);
    expect(say.y).toBeLessThan(main.y);
    expect(svg).toContain('<title>main core/hub.js:10: 0.1 ms, 60.0 % (self 0.0 ms)</title>');
    expect(svg).not.toContain('(idle)');
  });
});
