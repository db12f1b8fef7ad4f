import { describe, expect, it } from 'vitest';
import { bar, Progress, type ProgressStream } from './progress.js';

class Capture implements ProgressStream {
  text = '';
  constructor(readonly isTTY: boolean, readonly columns = 200) {}
  write(text: string): boolean {
    this.text += text;
    return true;
  }
}

/** What a terminal would show: the text with each line's redraws applied (clear-line and line-up codes). */
function screen(text: string): string[] {
  const lines = [''];
  let row = 0;
  for (const part of text.split(/(\r\x1b\[2K|\x1b\[1A\x1b\[2K|\n)/)) {
    if (part === '\r\x1b[2K') lines[row] = '';
    else if (part === '\x1b[1A\x1b[2K') lines[--row] = '';
    else if (part === '\n') lines[++row] ??= '';
    else lines[row] += part;
  }
  return lines.slice(0, row + 1).filter((l, i) => l !== '' || i < row);
}

function run(tty: boolean): { err: Capture; out: Capture } {
  const err = new Capture(tty);
  const out = new Capture(false);
  let t = 0;
  const p = new Progress(err, out, () => (t += 1000));
  p.scenario('S2', 2);
  p.unit('ics-chat (native), run 1');
  p.generator({ kind: 'login', done: 500, total: 1000 });
  p.generator({ kind: 'step', rate: 4000, bisecting: false, elapsed: 3, seconds: 12 });
  p.note('step 4000/s: p99 20.0 ms');
  p.unit('peer (IRC), run 1');
  p.generator({ kind: 'step', rate: 5000, bisecting: true, elapsed: 12, seconds: 12 });
  p.result('  peer (IRC): done');
  p.end();
  return { err, out };
}

describe('bar', () => {
  it('fills in proportion, within bounds', () => {
    expect(bar(0, 4, 8)).toBe('[--------]');
    expect(bar(1, 4, 8)).toBe('[##------]');
    expect(bar(9, 4, 8)).toBe('[########]');
    expect(bar(1, 0, 8)).toBe('[--------]');
  });
});

describe('Progress', () => {
  it('draws bars in place on a terminal, with the notes and results above them, and leaves none behind', () => {
    const { err, out } = run(true);
    expect(err.text).toContain('S2 [############------------] 1/2');
    expect(err.text).toContain('ics-chat (native), run 1: logging in [############------------] 500/1,000');
    expect(err.text).toContain('ics-chat (native), run 1: step 4,000 lines/s [######------------------] 3/12 s');
    expect(err.text).toContain('peer (IRC), run 1: bisecting at 5,000 lines/s');
    expect(screen(err.text)).toEqual(['  step 4000/s: p99 20.0 ms']);
    expect(out.text).toBe('  peer (IRC): done\n');
  });

  it('writes plain lines to a log: one per server or run, and the notes, without terminal codes or per-second ticks', () => {
    const { err, out } = run(false);
    expect(err.text).toBe('S2 [1/2] ics-chat (native), run 1\n  step 4000/s: p99 20.0 ms\nS2 [2/2] peer (IRC), run 1\n');
    expect(out.text).toBe('  peer (IRC): done\n');
  });

  it('keeps each bar within the terminal width, so redrawing clears all of it', () => {
    const err = new Capture(true, 30);
    const p = new Progress(err, new Capture(false), () => 0);
    p.scenario('S1', 3);
    p.unit('a server with a very long label indeed');
    for (const line of err.text.split(/\r\x1b\[2K|\x1b\[1A\x1b\[2K|\n/)) expect(line.length).toBeLessThan(30);
  });
});
