/**
 * A real IRC server for differential tests: Debian's ngircd, started in the foreground
 * (`ngircd -n -f CONF`) on a free loopback port with a configuration generated in a temporary
 * folder, and stopped by its PID. Started as root it drops to `nobody` by itself (it refuses to
 * run as root); it reads its configuration before that, so the folder may stay private.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/engines/ports.js';
import { programsNeed } from './needs.js';
import { waitFor } from './wait.js';

/** Debian installs it in /usr/sbin, which a user's PATH may lack. */
const BINARY = existsSync('/usr/sbin/ngircd') ? '/usr/sbin/ngircd' : 'ngircd';

export const NGIRCD_NEED = programsNeed([BINARY], 'our IRC replies have the shapes a real IRC server (ngircd) gives');

export interface Ngircd {
  port: number;
  serverName: string;
  stop(): Promise<void>;
}

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/**
 * The configuration: no flood penalties (tests send commands back to back), no connection or
 * channel limits, no DNS, ident or PAM lookups, nicks as long as ours (24), a one-line MOTD.
 */
function config(port: number, serverName: string): string {
  return `[Global]
Name = ${serverName}
Info = differential oracle
AdminInfo1 = ngircd under test
AdminInfo2 = loopback only
AdminEMail = admin@${serverName}
Listen = 127.0.0.1
Ports = ${port}
MotdPhrase = "Hello from the oracle"
[Limits]
MaxNickLength = 24
MaxConnectionsIP = 0
MaxJoins = 0
MaxPenaltyTime = 0
PingTimeout = 120
PongTimeout = 20
[Options]
PAM = no
DNS = no
Ident = no
`;
}

export async function startNgircd(serverName = 'oracle.test'): Promise<Ngircd> {
  const dir = mkdtempSync(join(tmpdir(), 'ics-ngircd-'));
  const file = join(dir, 'ngircd.conf');
  let output = '';
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    writeFileSync(file, config(port, serverName));
    const child: ChildProcess = spawn(BINARY, ['-n', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
    let exited = false;
    child.once('exit', () => (exited = true));
    const deadline = Date.now() + 10_000;
    while (!exited && !(await accepts(port))) {
      if (Date.now() > deadline) {
        process.kill(child.pid!, 'SIGTERM');
        throw new Error(`ngircd did not listen on ${port} within 10 s:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (!exited) {
      return {
        port,
        serverName,
        stop: async () => {
          if (!exited) process.kill(child.pid!, 'SIGTERM');
          await waitFor('ngircd to exit', () => exited, 10_000);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    // Another process took the port between our probe and ngircd's bind: try another.
    if (attempt === 2) throw new Error(`ngircd did not start:\n${output}`);
  }
}
