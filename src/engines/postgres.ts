/**
 * A private PostgreSQL server for tests, the soak and the bench: Debian's binaries, a cluster made
 * by `initdb` in a temporary folder, listening on a free loopback port and a socket in that folder,
 * stopped by its PID. PostgreSQL refuses to run as root, so under root it runs as the `postgres`
 * user (the folder is handed to it). `durable: false` turns off fsync for tests, where the machine
 * does not crash; the bench keeps PostgreSQL's durable defaults.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, untilExit } from './ports.js';

/** Where Debian puts the server's programs (not on the PATH). */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? null : join(root, versions[0], 'bin');
}

export interface PostgresOptions {
  /** fsync and synchronous commit on (the bench) or off (tests). */
  durable: boolean;
}

export interface LocalPostgres {
  /** A superuser URL for the `postgres` database. */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** A fresh, empty database for one test or node set, and its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (a fast shutdown), waiting for it to exit; its folder stays for `start`. */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder, after `stop`. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
}

const USER = 'ics';

/** Who the server runs as: the `postgres` user under root, else the caller. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const found = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (found.status !== 0 || gid.status !== 0) throw new Error('running as root, and there is no postgres user to run PostgreSQL as');
  return { uid: Number(found.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function accepts(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function startPostgres(options: PostgresOptions): Promise<LocalPostgres> {
  const bin = postgresBin();
  if (bin === null) throw new Error('PostgreSQL is not installed (Debian: apt-get install postgresql)');
  const owner = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'ics-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const ids = owner ?? {};
  const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', USER, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'], { ...ids, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const settings = options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let port = 0;
  let output = '';
  const launch = async (fixedPort?: number): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      port = fixedPort ?? (await freePort());
      output = '';
      const args = ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...settings];
      const started = spawn(join(bin, 'postgres'), args, { ...ids, stdio: ['ignore', 'pipe', 'pipe'] });
      started.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
      started.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
      child = started;
      exited = untilExit(started);
      let gone = false;
      void exited.then(() => (gone = true));
      const deadline = Date.now() + 20_000;
      const url = `postgres://${USER}@127.0.0.1:${port}/postgres`;
      while (!gone && !(await accepts(url))) {
        if (Date.now() > deadline) {
          started.kill('SIGKILL');
          throw new Error(`PostgreSQL did not accept connections on ${port} within 20 s:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      if (!gone) return;
      // Another process took the port between the probe and the bind: try another.
      if (fixedPort !== undefined || attempt === 2) throw new Error(`PostgreSQL did not start:\n${output}`);
    }
  };
  await launch();

  const halt = async (): Promise<void> => {
    if (child === null) return;
    child.kill('SIGINT');
    await exited;
    child = null;
  };
  const urlOf = (database: string): string => `postgres://${USER}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return {
    get url() {
      return urlOf('postgres');
    },
    get port() {
      return port;
    },
    get pid() {
      return child?.pid ?? 0;
    },
    async createDatabase(name: string): Promise<string> {
      const admin = new pg.Client({ connectionString: urlOf('postgres') });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await admin.end();
      }
      return urlOf(name);
    },
    stop: halt,
    start: () => (child === null ? launch(port) : Promise.resolve()),
    destroy: async () => {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
