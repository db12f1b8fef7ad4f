/**
 * A flame graph (SVG) of a V8 CPU profile (`node --cpu-prof`): each box a function in one call
 * path, as wide as the time spent in it and in what it called, its callers below it. Idle time
 * is left out, so the widths are shares of the time the thread was busy. Colours tell whose
 * code it is: this project's, Node.js's own, a package's, or the engine's (the collector, native
 * code).
 */

/** The parts of a `.cpuprofile` this reads. */
export interface CpuProfile {
  /** When profiling began, on CLOCK_MONOTONIC in µs (process.hrtime's clock, in every process of the machine). */
  startTime: number;
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** One function in one call path, with the time spent in it (`self`) and in it with its callees (`total`), in µs. */
export interface Frame {
  name: string;
  kind: 'ours' | 'node' | 'package' | 'engine';
  self: number;
  total: number;
  children: Frame[];
}

const IDLE = '(idle)';

function kindOf(url: string): Frame['kind'] {
  if (url === '') return 'engine';
  if (url.startsWith('node:')) return 'node';
  if (url.includes('/node_modules/')) return 'package';
  return 'ours';
}

/** `name file:line`, the file as its last two path parts (`irc/session.js`), or the package's name. */
function frameName(callFrame: CpuProfile['nodes'][number]['callFrame']): string {
  const fn = callFrame.functionName || '(anonymous)';
  if (callFrame.url === '') return fn;
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(callFrame.url);
  const file = pkg ? pkg[1]! : callFrame.url.replace(/^file:\/\//, '').split('/').slice(-2).join('/');
  return `${fn} ${file}:${callFrame.lineNumber + 1}`;
}

/** The profile's call tree with its times, of the samples taken within `window` (all without); the root's total is the busy time. */
export function frameTree(profile: CpuProfile, window?: { from: number; to: number }): Frame {
  const self = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window === undefined || (at >= window.from && at <= window.to)) self.set(id, (self.get(id) ?? 0) + delta);
  });
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const build = (id: number): Frame | null => {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === IDLE) return null;
    const frame: Frame = { name: frameName(node.callFrame), kind: kindOf(node.callFrame.url), self: self.get(id) ?? 0, total: 0, children: [] };
    // Calls to one function from one place may be several nodes: they are one box.
    const merged = new Map<string, Frame>();
    for (const childId of node.children ?? []) {
      const child = build(childId);
      // Idle, or not sampled in the window.
      if (!child || child.total === 0) continue;
      const same = merged.get(child.name);
      if (same) merge(same, child);
      else merged.set(child.name, child);
    }
    frame.children = [...merged.values()].sort((a, b) => b.total - a.total);
    frame.total = frame.self + frame.children.reduce((sum, c) => sum + c.total, 0);
    return frame;
  };
  const root = profile.nodes[0];
  return (root && build(root.id)) ?? { name: '(root)', kind: 'engine', self: 0, total: 0, children: [] };
}

function merge(into: Frame, other: Frame): void {
  into.self += other.self;
  into.total += other.total;
  for (const child of other.children) {
    const same = into.children.find((c) => c.name === child.name);
    if (same) merge(same, child);
    else into.children.push(child);
  }
  into.children.sort((a, b) => b.total - a.total);
}

/** The functions by self time, busiest first, with their share of the busy time. */
export function selfTimes(root: Frame, count: number): { name: string; share: number; ms: number }[] {
  const self = new Map<string, number>();
  const walk = (f: Frame): void => {
    self.set(f.name, (self.get(f.name) ?? 0) + f.self);
    for (const c of f.children) walk(c);
  };
  walk(root);
  self.delete('(root)');
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => ({ name, share: root.total > 0 ? us / root.total : 0, ms: us / 1000 }));
}

const escapeXml = (text: string): string => text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

const HUES: Record<Frame['kind'], [number, number]> = { ours: [10, 45], node: [195, 225], package: [95, 135], engine: [270, 300] };

/** A colour for the frame: its kind's range of hues, the name picking within it (stable from run to run). */
function colour(frame: Frame): string {
  let hash = 0;
  for (const ch of frame.name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const [from, to] = HUES[frame.kind];
  return `hsl(${from + (hash % (to - from))}, 70%, ${60 + (hash % 15)}%)`;
}

const WIDTH = 1200;
const ROW = 17;
const CHAR = 6.6;
const MAX_DEPTH = 48;

/** The flame graph as an SVG document, titled `title`. */
export function flameSvg(root: Frame, title: string): string {
  const scale = root.total > 0 ? WIDTH / root.total : 0;
  const shown = (frame: Frame, level: number): boolean => frame.total * scale >= 0.5 && level < MAX_DEPTH;
  const depthOf = (frame: Frame, level: number): number =>
    shown(frame, level) ? Math.max(level + 1, ...frame.children.map((c) => depthOf(c, level + 1))) : level;
  const height = (depthOf(root, 0) + 2) * ROW;
  const boxes: string[] = [];
  const place = (frame: Frame, x: number, level: number): void => {
    if (!shown(frame, level)) return;
    const width = frame.total * scale;
    // The root at the bottom, each callee on top of its caller.
    const y = height - (level + 1) * ROW;
    const share = root.total > 0 ? (frame.total / root.total) * 100 : 0;
    const label = width > 4 * CHAR ? frame.name.slice(0, Math.floor(width / CHAR) - 1) : '';
    boxes.push(
      `<g><title>${escapeXml(`${frame.name}: ${(frame.total / 1000).toFixed(1)} ms, ${share.toFixed(1)} % (self ${(frame.self / 1000).toFixed(1)} ms)`)}</title>` +
        `<rect x="${x.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${ROW - 1}" fill="${colour(frame)}"/>` +
        (label ? `<text x="${(x + 3).toFixed(1)}" y="${y + ROW - 5}">${escapeXml(label)}</text>` : '') +
        '</g>',
    );
    let at = x;
    for (const child of frame.children) {
      place(child, at, level + 1);
      at += child.total * scale;
    }
  };
  place(root, 0, 0);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<text x="4" y="12" font-size="13">${escapeXml(title)}</text>`,
    ...boxes,
    '</svg>',
    '',
  ].join('\n');
}
