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
  const { url } = await bootstrap(config, { logger });
  logger.log({
    msg: 'kefu-bridge started',
    role: config.role,
    database: config.database.driver,
    queue: config.queue.driver,
    url,
  });
}

main().catch((err: unknown) => {
  new JsonLogger('error', process.stderr).error({ msg: 'kefu-bridge failed to start', error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
