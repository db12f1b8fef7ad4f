/** A child process whose output the test reads as it arrives, with bounded waits. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { waitFor } from './wait.js';

// DATABASE_URL and NATS_URL in the tests' environment name services the tests may use (engines.ts),
// not settings of the programs they start: a server started without them must not become a node.
const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'DATABASE_URL' && key !== 'NATS_URL'));

export class Proc {
  out = '';
  err = '';
  /** Where the next `expectOut` starts looking. */
  private mark = 0;
  exitCode: number | null = null;
  readonly child: ChildProcessWithoutNullStreams;

  constructor(command: string, args: string[], env: Record<string, string> = {}, cwd?: string) {
    this.child = spawn(command, args, { env: { ...inherited, ...env }, cwd, stdio: 'pipe' });
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => (this.out += d));
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => (this.err += d));
    this.child.on('exit', (code, signal) => (this.exitCode = code ?? (signal ? 128 : -1)));
  }

  type(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Waits until the output after the last match contains `pattern`; returns the matched text. */
  async expectOut(pattern: string | RegExp, timeoutMs = 10_000): Promise<string> {
    const found = await waitFor(`output ${String(pattern)} (got: ${JSON.stringify(this.out.slice(this.mark).slice(-300))})`, () => {
      const rest = this.out.slice(this.mark);
      const at = typeof pattern === 'string' ? rest.indexOf(pattern) : rest.search(pattern);
      if (at < 0) return null;
      const text = typeof pattern === 'string' ? pattern : rest.slice(at).match(pattern)![0];
      this.mark += at + text.length;
      return { text };
    }, timeoutMs);
    return found.text;
  }

  async exited(timeoutMs = 10_000): Promise<number> {
    return waitFor('the process to exit', () => (this.exitCode === null ? null : { code: this.exitCode }), timeoutMs).then((r) => r.code);
  }

  kill(): void {
    if (this.exitCode === null) this.child.kill('SIGKILL');
  }
}
