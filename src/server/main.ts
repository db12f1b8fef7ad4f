/** `npm start`: load the config, start the server (or a cluster node, with NATS_URL), stop cleanly on SIGINT/SIGTERM. */
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './app.js';
import { startClusterNode } from './cluster-app.js';
import { systemClock } from '../core/clock.js';
import { StartupError } from './startup-error.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  let server;
  try {
    server = config.cluster !== null && config.databaseUrl !== null ? await startClusterNode(config, config.cluster, config.databaseUrl, log, systemClock) : await startServer(config, log);
  } catch (err) {
    log.error(err instanceof StartupError ? err.message : `cannot start: ${String(err)}`);
    process.exit(1);
  }
  const running = server;
  const shutdown = (signal: string): void => {
    log.info('shutting down', { signal });
    const deadline = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 10_000).unref();
    running.stop().then(
      () => {
        clearTimeout(deadline);
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error('shutdown failed', { err: String(err) });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

void main();
