/**
 * The terminal client's output as readline sees it, with a mute switch: while a password is
 * typed, readline's echo of each key (and its redraws of the line) go nowhere, so the password
 * never appears on the screen. Everything the client prints itself goes to the real output.
 */
import { Writable } from 'node:stream';

type Target = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export class MutedOutput extends Writable {
  muted = false;

  constructor(private readonly target: Target) {
    super();
  }

  /** readline lays out the line by these. */
  get isTTY(): boolean {
    return this.target.isTTY === true;
  }

  get columns(): number {
    return this.target.columns ?? 80;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (!this.muted) this.target.write(chunk);
    done();
  }
}
