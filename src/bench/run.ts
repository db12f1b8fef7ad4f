/** Runs the load generator as its own process, pinned to the generator's core. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
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
  return spawn('taskset', ['-c', GENERATOR_CPU, process.execPath, join(root, 'dist/bench/generator.js'), JSON.stringify(config)], { stdio: [stdin, 'pipe', 'pipe'] });
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

export interface IdleHold {
  result: { clients: number; setupMs: number; connectsPerSec: number };
  /** Closes every idle connection and waits for the generator to exit. */
  release(): Promise<void>;
}

/** Logs `clients` idle users in and holds them until released. */
export function holdIdle(root: string, config: GenConfig, listener: GeneratorListener): Promise<IdleHold> {
  return new Promise((resolve, reject) => {
    const child = generator(root, { ...config, idle: true }, 'pipe');
    let out = '';
    const err = listen(child, listener);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('\n')) return;
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      resolve({
        result: JSON.parse(out) as IdleHold['result'],
        release: async () => {
          child.stdin?.end();
          await exited;
        },
      });
    });
    child.on('exit', (code) => {
      if (!out.includes('\n')) reject(new Error(`idle generator exited with ${code}: ${err().slice(-1000)}`));
    });
  });
}
