import { appendFileSync } from 'node:fs';
/** Boots kefu-bridge in-process on the test backend (fresh database, own queue prefix). */
import { getQueueToken } from '@nestjs/bull';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bull';
import { KEFU_QUEUE } from '../../src/jobs/bull-job-queue.js';
import { bootstrap } from '../../src/bootstrap.js';
import type { Clock } from '../../src/common/clock.js';
import { JsonLogger } from '../../src/common/json-logger.js';
import { loadConfig, type Env } from '../../src/config/config.loader.js';
import type { AppConfig } from '../../src/config/config.schema.js';
import { freshBackend, type TestBackend } from './test-env.js';

export interface TestApp {
  app: INestApplicationContext;
  url?: string;
  config: AppConfig;
  backend: TestBackend;
  logs: string[];
  close(): Promise<void>;
}

export async function startTestApp(
  opts: { env?: Env; overrides?: Record<string, unknown>; clock?: Clock; backend?: TestBackend } = {},
): Promise<TestApp> {
  const backend = opts.backend ?? (await freshBackend());
  const config = loadConfig({ env: { PORT: '0', ...backend.env, ...opts.env }, overrides: opts.overrides });
  const logs: string[] = [];
  // TEST_LOG_FILE=<path> also appends the app's log lines there, to follow a test while it runs.
  const copyTo = process.env.TEST_LOG_FILE;
  const logger = new JsonLogger('debug', {
    write: (l) => {
      logs.push(l);
      if (copyTo) appendFileSync(copyTo, l.endsWith('\n') ? l : `${l}\n`);
    },
  });
  const { app, url } = await bootstrap(config, { clock: opts.clock, logger });
  return {
    app,
    url,
    config,
    backend,
    logs,
    async close() {
      await closeApp(app, config);
      if (!opts.backend) await backend.dispose();
    },
  };
}

/** Closes a test app; on Redis its queue goes too, so nothing is left behind in the shared Redis. */
export async function closeApp(app: INestApplicationContext, config: AppConfig): Promise<void> {
  if (config.queue.driver === 'redis') {
    const queue = app.get<Queue>(getQueueToken(KEFU_QUEUE));
    await queue.pause(true, true);
    await queue.obliterate({ force: true });
  }
  await app.close();
}
