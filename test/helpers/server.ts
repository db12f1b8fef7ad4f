/** Starts the real server in-process on loopback port 0 with a fresh data directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IrcFront } from '../../src/bridges/irc/irc-front.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { readConfig, type Config } from '../../src/server/config.js';
import { createLogger } from '../../src/server/logger.js';
import type { TcpFront } from '../../src/server/tcp/tcp-front.js';
import type { WebFront } from '../../src/bridges/web/web-front.js';

export interface TestServer {
  server: RunningServer;
  tcpPort: number;
  /** The IRC front's port (0 unless FRONTS includes irc). */
  ircPort: number;
  /** The web front's port (0 when FRONTS has no web). */
  webPort: number;
  dataDir: string;
  logs: string[];
  /** Stops the server; the data directory stays for a restart. */
  stop(): Promise<void>;
  /** Stops the server and starts a new one on the same data directory. */
  restart(): Promise<TestServer>;
  /** Stops the server and removes its data. */
  destroy(): Promise<void>;
}

export const ROOT = new URL('../../', import.meta.url).pathname;

/** Settings that are not in the environment (timings, flood limits) are changed through `tweak`. */
export type ConfigTweak = (config: Config) => Config;

export async function startTestServer(
  env: Record<string, string> = {},
  dataDir = mkdtempSync(join(tmpdir(), 'ics-chat-test-')),
  tweak: ConfigTweak = (config) => config,
): Promise<TestServer> {
  const logs: string[] = [];
  const config = tweak(readConfig({ CHAT_HOST: '127.0.0.1', CHAT_PORT: '0', IRC_PORT: '0', WEB_PORT: '0', DATA_DIR: dataDir, FRONTS: 'tcp', LOG_LEVEL: 'debug', ...env }, ROOT));
  const server = await startServer(config, createLogger('debug', (line) => logs.push(line)));
  const tcp = server.fronts.get('tcp') as TcpFront | undefined;
  const web = server.fronts.get('web') as WebFront | undefined;
  const self: TestServer = {
    server,
    tcpPort: tcp?.port() ?? 0,
    ircPort: (server.fronts.get('irc') as IrcFront | undefined)?.port() ?? 0,
    webPort: web?.port() ?? 0,
    dataDir,
    logs,
    stop: () => server.stop(),
    restart: async () => {
      await server.stop();
      return startTestServer(env, dataDir, tweak);
    },
    destroy: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}
