/**
 * kefu-bridge's entrypoint: `npm start` (api + worker on the embedded default), or with
 * `--role=api` / `--role=worker` for separate processes on MySQL + Redis.
 */
import { bootstrap } from './bootstrap.js';
import { JsonLogger } from './common/json-logger.js';
import { ConfigError } from './config/config-error.js';
import { loadConfig } from './config/config.loader.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig({ argv: process.argv });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`kefu-bridge cannot start: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = new JsonLogger(config.logLevel, process.stdout, { role: config.role });
  const { app, url } = await bootstrap(config, { logger });
  onSignals(async () => app.close(), config.server.shutdownGraceMs, logger);
  logger.log({
    msg: 'kefu-bridge started',
    role: config.role,
    database: config.database.driver,
    queue: config.queue.driver,
    url,
  });
}

/**
 * SIGTERM/SIGINT: stop taking work (HTTP and queue), let in-flight jobs finish or release them,
 * close connections, exit 0. A second signal, or the grace period running out, exits at once.
 */
function onSignals(close: () => Promise<void>, graceMs: number, logger: JsonLogger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.log({ msg: 'shutting down', signal });
    setTimeout(() => {
      logger.error({ msg: 'shutdown grace period ran out', graceMs });
      process.exit(1);
    }, graceMs).unref();
    close().then(
      () => {
        logger.log({ msg: 'stopped' });
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ msg: 'shutdown failed', error: err instanceof Error ? err.message : String(err) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  new JsonLogger('error', process.stderr).error({ msg: 'kefu-bridge failed to start', error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
