/**
 * Progress of a benchmark run, on stderr, apart from the results on stdout: on a terminal, a bar
 * for the scenario (servers and runs done) and one for what the current server is doing (logins,
 * joins, the step under way), redrawn in place; otherwise plain lines, one per server or run and
 * per step, so a log file stays readable. Nothing here reaches BENCHMARKS.md.
 */
import type { GenProgress } from './types.js';

/** A stream progress or results are written to (process.stderr, process.stdout, or a test's fake). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const BAR_WIDTH = 24;
const CLEAR_LINE = '\r\x1b[2K';
const LINE_UP = '\x1b[1A';

/** A text bar `width` cells wide, filled in proportion to done / total. */
export function bar(done: number, total: number, width = BAR_WIDTH): string {
  const filled = total > 0 ? Math.round(width * Math.min(1, Math.max(0, done / total))) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

const n = (v: number): string => v.toLocaleString('en-US');

/** What the generator is doing, in words and as done / total. */
function detail(p: GenProgress): { what: string; done: number; total: number; unit: string } {
  switch (p.kind) {
    case 'login':
      return { what: 'logging in', done: p.done, total: p.total, unit: '' };
    case 'join':
      return { what: 'forming groups', done: p.done, total: p.total, unit: '' };
    case 'step':
      return { what: `${p.bisecting ? 'bisecting at' : 'step'} ${n(p.rate)} lines/s`, done: p.elapsed, total: p.seconds, unit: ' s' };
  }
}

export class Progress {
  private readonly tty: boolean;
  private title = '';
  private units = 0;
  private unitsDone = -1;
  private unitLabel = '';
  private doing: GenProgress | null = null;
  private startedAt = 0;
  /** Lines of bars now on the terminal. */
  private drawn = 0;

  constructor(
    private readonly err: ProgressStream,
    private readonly out: ProgressStream,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tty = err.isTTY === true;
  }

  /** A scenario begins: `units` servers or runs to go through. */
  scenario(title: string, units: number): void {
    this.title = title;
    this.units = units;
    this.unitsDone = -1;
    this.unitLabel = '';
    this.doing = null;
    this.startedAt = this.now();
    this.draw();
  }

  /** The scenario's next server or run begins. */
  unit(label: string): void {
    this.unitsDone++;
    this.unitLabel = label;
    this.doing = null;
    if (this.tty) this.draw();
    else this.err.write(`${this.title} [${this.unitsDone + 1}/${this.units}] ${label}\n`);
  }

  /** What the generator reports; shown on a terminal only (a log gets the step summaries instead). */
  generator(p: GenProgress): void {
    this.doing = p;
    if (this.tty) this.draw();
  }

  /** A progress line that stays (the generator's summary of a step). */
  note(line: string): void {
    this.above(this.err, `  ${line}`);
  }

  /** A result line, on stdout. */
  result(line: string): void {
    this.above(this.out, line);
  }

  /** The scenario is over: its bars leave the terminal. */
  end(): void {
    this.clear();
    this.title = '';
  }

  private above(stream: ProgressStream, line: string): void {
    this.clear();
    stream.write(`${line}\n`);
    this.draw();
  }

  private clear(): void {
    if (this.drawn === 0) return;
    this.err.write(CLEAR_LINE + `${LINE_UP}\x1b[2K`.repeat(this.drawn - 1));
    this.drawn = 0;
  }

  private draw(): void {
    if (!this.tty || this.title === '') return;
    this.clear();
    const done = Math.max(0, this.unitsDone);
    const seconds = Math.round((this.now() - this.startedAt) / 1000);
    const lines = [`${this.title} ${bar(done, this.units)} ${done}/${this.units}, ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`];
    if (this.unitLabel) {
      const d = this.doing && detail(this.doing);
      lines.push(`  ${this.unitLabel}${d ? `: ${d.what} ${bar(d.done, d.total)} ${n(d.done)}/${n(d.total)}${d.unit}` : ''}`);
    }
    // A line longer than the terminal would wrap, and the redraw would then clear too few lines.
    const width = Math.max(20, (this.err.columns ?? 80) - 1);
    this.err.write(lines.map((l) => l.slice(0, width)).join('\n'));
    this.drawn = lines.length;
  }
}
