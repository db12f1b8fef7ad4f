/** Runs the load generator as its own process, pinned to the generator's core. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { GENERATOR_CPU } from './servers.js';
import type { GenConfig, GenResult } from './types.js';

export function runGenerator(root: string, config: GenConfig, log: (line: string) => void): Promise<GenResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', GENERATOR_CPU, process.execPath, join(root, 'dist/bench/generator.js'), JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      for (const line of d.toString().split('\n')) if (line.trim()) log(`    ${line.trim()}`);
    });
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out) as GenResult);
      else reject(new Error(`generator exited with ${code}: ${err.slice(-1000)}`));
    });
  });
}

export interface IdleHold {
  result: { clients: number; setupMs: number; connectsPerSec: number };
  /** Closes every idle connection and waits for the generator to exit. */
  release(): Promise<void>;
}

/** Logs `clients` idle users in and holds them until released. */
export function holdIdle(root: string, config: GenConfig): Promise<IdleHold> {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', GENERATOR_CPU, process.execPath, join(root, 'dist/bench/generator.js'), JSON.stringify({ ...config, idle: true })], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('\n')) return;
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      resolve({
        result: JSON.parse(out) as IdleHold['result'],
        release: async () => {
          child.stdin.end();
          await exited;
        },
      });
    });
    child.on('exit', (code) => {
      if (!out.includes('\n')) reject(new Error(`idle generator exited with ${code}: ${err.slice(-1000)}`));
    });
  });
}
