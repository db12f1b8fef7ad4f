/**
 * A private nats-server for tests, the soak and the bench: Debian's binary on a loopback port it
 * picks itself (`-p -1`, read back from its log), core pub/sub only, stopped by its PID. `stop`
 * and `start` keep the port, so clients that reconnect find it again (the bus-outage tests).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { untilExit } from './ports.js';

/** Debian installs it in /usr/sbin, which a user's PATH may lack. */
export const NATS_BINARY = existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server';

export interface LocalNats {
  /** `nats://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Stops the server, waiting for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port, after `stop`. */
  start(): Promise<void>;
}

const LISTENING = /Listening for client connections on [\d.]+:(\d+)/;

export async function startNats(): Promise<LocalNats> {
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let port = -1;
  const launch = async (): Promise<void> => {
    const started = spawn(NATS_BINARY, ['-a', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    exited = untilExit(started);
    child = started;
    const ready = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nats-server did not listen within 10 s:\n${output}`)), 10_000);
      const read = (d: string): void => {
        output += d;
        const found = LISTENING.exec(output);
        if (found && output.includes('Server is ready')) {
          clearTimeout(timer);
          resolve(Number(found[1]));
        }
      };
      started.stdout!.setEncoding('utf8').on('data', read);
      started.stderr!.setEncoding('utf8').on('data', read);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited:\n${output}`));
      });
    });
    try {
      port = await ready;
    } catch (err) {
      started.kill('SIGKILL');
      throw err;
    }
  };
  await launch();
  return {
    get url() {
      return `nats://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get pid() {
      return child?.pid ?? 0;
    },
    async stop() {
      if (child === null) return;
      child.kill('SIGTERM');
      await exited;
      child = null;
    },
    start: () => (child === null ? launch() : Promise.resolve()),
  };
}
