/** The built server as a child process on loopback port 0, for tests that kill it or break its disk. */
import { NODE_FLAGS } from '../../src/server/node-flags.js';
import { Proc } from './process.js';
import { ROOT } from './server.js';

export interface ServerProc {
  proc: Proc;
  /** Listening ports by front name (tcp, irc, web). */
  ports: Record<string, number>;
}

/** No rate limits or connection caps: the tests drive more than one person would. */
export const UNLIMITED: Readonly<Record<string, string>> = {
  FLOOD_BURST: '1000000',
  FLOOD_RATE: '1000000',
  FLOOD_QUEUE: '10000',
  MAX_CONNECTIONS: '100000',
  MAX_CONNECTIONS_PER_ADDRESS: '100000',
  MAX_PENDING_LOGINS: '100000',
};

/** Starts `dist/server/main.js` and waits until it is ready (or has exited: the caller checks `proc.exitCode`). */
export async function spawnServer(env: Record<string, string>, timeoutMs = 20_000): Promise<ServerProc> {
  const proc = new Proc(process.execPath, [...NODE_FLAGS, `${ROOT}dist/server/main.js`], {
    CHAT_HOST: '127.0.0.1',
    CHAT_PORT: '0',
    IRC_PORT: '0',
    WEB_PORT: '0',
    FRONTS: 'tcp',
    LOG_LEVEL: 'info',
    ...env,
  }, ROOT);
  await proc.expectOut(/ INFO ready /, timeoutMs);
  const ports: Record<string, number> = {};
  for (const m of proc.out.matchAll(/(\w+) front listening on (?:http:\/\/)?[\d.]+:(\d+)/g)) ports[m[1]!] = Number(m[2]);
  return { proc, ports };
}
