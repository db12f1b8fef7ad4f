/**
 * Both servers of a differential test, side by side: ngircd (test/helpers/ngircd.ts) and our
 * gateway, with the same one-line MOTD; `differential` runs one scenario on both at once and
 * holds their transcripts equal under the scenario's allowances (test/helpers/irc-diff.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { compare, DiffSession, type Allowance, type Target } from './irc-diff.js';
import { startNgircd, type Ngircd } from './ngircd.js';
import { startTestServer, type TestServer } from './server.js';

export type Scenario = (s: DiffSession) => Promise<void>;

export class Oracle {
  private constructor(
    private readonly ngircd: Ngircd,
    private readonly ours: TestServer,
    private readonly motdDir: string,
  ) {}

  static async start(): Promise<Oracle> {
    // The same one-line MOTD on both sides (the shipped default has four).
    const motdDir = mkdtempSync(join(tmpdir(), 'ics-motd-'));
    writeFileSync(join(motdDir, 'motd.txt'), 'Hello from the oracle\n');
    const [ngircd, ours] = await Promise.all([startNgircd(), startTestServer({ FRONTS: 'irc', IRC_MOTD_FILE: join(motdDir, 'motd.txt') })]);
    return new Oracle(ngircd, ours, motdDir);
  }

  /**
   * Runs the scenario on both servers at once, checks that we sent only UTF-8 lines within 512
   * bytes and that the transcripts agree under the allowances (each of which must apply); the
   * two sessions, ours first, for checks of their own.
   */
  async differential(scenario: Scenario, allowances: readonly Allowance[]): Promise<[DiffSession, DiffSession]> {
    const targets: Target[] = [
      { side: 'ours', port: this.ours.ircPort, serverName: 'ics-chat.local', clientHost: 'irc' },
      { side: 'ngircd', port: this.ngircd.port, serverName: this.ngircd.serverName, clientHost: '127.0.0.1' },
    ];
    const sessions = targets.map((t) => new DiffSession(t));
    try {
      await Promise.all(sessions.map((s) => scenario(s)));
    } finally {
      for (const s of sessions) s.closeAll();
    }
    const [mine, theirs] = sessions as [DiffSession, DiffSession];
    expect(mine.badLines(), 'lines we sent that are not UTF-8 or over 512 bytes').toEqual([]);
    const result = compare(mine.steps, theirs.steps, allowances);
    expect(result.ours).toEqual(result.ngircd);
    expect(result.unused, 'allowances that changed nothing').toEqual([]);
    return [mine, theirs];
  }

  async stop(): Promise<void> {
    await Promise.all([this.ngircd.stop(), this.ours.destroy()]);
    rmSync(this.motdDir, { recursive: true, force: true });
  }
}
