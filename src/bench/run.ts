/** Runs the load generator as its own process, pinned to the generator's core. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { machineLimits, withFdLimit } from './limits.js';
import { GENERATOR_CPU } from './servers.js';
import { PROGRESS_MARK, type GenConfig, type GenProgress, type GenResult } from './types.js';

/** Hears what the generator says on stderr: its progress, and every other line as text. */
export interface GeneratorListener {
  line(text: string): void;
  progress?(p: GenProgress): void;
}

/** Splits the generator's stderr into whole lines (a chunk may end mid-line); returns all of it, for errors. */
function listen(child: ChildProcess, listener: GeneratorListener): () => string {
  let all = '';
  let partial = '';
  child.stderr?.on('data', (d: Buffer) => {
    const text = d.toString();
    all = (all + text).slice(-4000);
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith(PROGRESS_MARK)) listener.progress?.(JSON.parse(line.slice(PROGRESS_MARK.length)) as GenProgress);
      else if (line.trim()) listener.line(line.trim());
    }
  });
  return () => all;
}

function generator(root: string, config: GenConfig, stdin: 'ignore' | 'pipe'): ChildProcess {
  const [cmd, argv] = withFdLimit(machineLimits().fdLimit, 'taskset', ['-c', GENERATOR_CPU, process.execPath, join(root, 'dist/bench/generator.js'), JSON.stringify(config)]);
  return spawn(cmd, argv, { stdio: [stdin, 'pipe', 'pipe'] });
}

/** Runs the generator's steps against a running server and resolves with what it measured. */
export function runGenerator(root: string, config: GenConfig, listener: GeneratorListener): Promise<GenResult> {
  return new Promise((resolve, reject) => {
    const child = generator(root, config, 'ignore');
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    const err = listen(child, listener);
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out) as GenResult);
      else reject(new Error(`generator exited with ${code}: ${err().slice(-1000)}`));
    });
  });
}

/** What a probe after an idle hold found: lines that arrived of those sent (one per client), and how long pairing and sending took. */
export interface IdleProbe {
  served: number;
  expected: number;
  ms: number;
}

export interface IdleHold {
  result: { clients: number; setupMs: number; connectsPerSec: number; generatorCpuPct: number };
  /** Pairs the held clients up and has each send its partner one line: are they all still served? */
  probe(): Promise<IdleProbe>;
  /** Closes every idle connection and waits for the generator to exit. */
  release(): Promise<void>;
}

/** Logs `clients` idle users in and holds them until released. */
export function holdIdle(root: string, config: GenConfig, listener: GeneratorListener): Promise<IdleHold> {
  return new Promise((resolve, reject) => {
    const child = generator(root, { ...config, idle: true }, 'pipe');
    const err = listen(child, listener);
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    // The generator answers on stdout one JSON line at a time: the hold, then each probe.
    const waiting: ((line: string) => void)[] = [];
    let out = '';
    let held = false;
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      for (let end = out.indexOf('\n'); end >= 0; end = out.indexOf('\n')) {
        const line = out.slice(0, end);
        out = out.slice(end + 1);
        waiting.shift()?.(line);
      }
    });
    waiting.push((line) => {
      held = true;
      resolve({
        result: JSON.parse(line) as IdleHold['result'],
        probe: () =>
          new Promise((answered, failed) => {
            waiting.push((probe) => answered(JSON.parse(probe) as IdleProbe));
            child.stdin?.write('probe\n');
            void exited.then(() => failed(new Error(`idle generator exited during the probe: ${err().slice(-1000)}`)));
          }),
        release: async () => {
          child.stdin?.end();
          await exited;
        },
      });
    });
    child.on('exit', (code) => {
      if (!held) reject(new Error(`idle generator exited with ${code}: ${err().slice(-1000)}`));
    });
  });
}
