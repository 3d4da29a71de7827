/**
 * `npm run backfill -- --shop <id> --since <date>`: loads a shop's orders modified since the date
 * (Asia/Shanghai, `yyyy-MM-dd` or `yyyy-MM-dd HH:mm`), showing progress. Ctrl-C or SIGTERM stops it
 * after the window in hand is stored; the same command again continues from there.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { JsonLogger } from '../common/json-logger.js';
import { parseShanghai, shanghaiDateTime } from '../common/shanghai-time.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/config.loader.js';
import type { AppConfig } from '../config/config.schema.js';
import { BackfillProgressView } from './backfill-progress.js';
import { BackfillRunner } from './backfill.runner.js';

/** Exit code of a run stopped by a signal: resumable, not failed. */
const INTERRUPTED = 130;
const USAGE = 'usage: npm run backfill -- --shop <id> --since <yyyy-MM-dd[ HH:mm]> (Asia/Shanghai)';

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function parseArgs(argv: string[]): { shopId: number; since: Date } {
  const shop = option(argv, 'shop');
  const sinceText = option(argv, 'since');
  if (!shop || !/^\d+$/.test(shop)) throw new UsageError(`--shop must be a shop id (got ${shop ?? 'nothing'})`);
  if (!sinceText) throw new UsageError('--since is required');
  let since: Date;
  try {
    since = parseShanghai(sinceText);
  } catch {
    throw new UsageError(`--since must be a date in Asia/Shanghai like 2026-11-01 or "2026-11-01 08:00" (got ${sinceText})`);
  }
  return { shopId: Number(shop), since };
}

class UsageError extends Error {}

async function main(): Promise<number> {
  const { shopId, since } = parseArgs(process.argv);
  const loaded = loadConfig({ argv: process.argv });
  // An application context without HTTP, job processing, scheduler or push sockets: only the poller.
  const config: AppConfig = { ...loaded, role: 'api', scheduler: { ...loaded.scheduler, enabled: false } };
  const logger = new JsonLogger(config.logLevel === 'debug' ? 'debug' : 'warn', process.stderr, { role: 'backfill' });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger });
  const view = new BackfillProgressView(process.stdout);
  const stop = new AbortController();
  const onSignal = (): void => {
    if (stop.signal.aborted) process.exit(INTERRUPTED);
    view.line('stopping after the window in hand is stored (again to quit at once)…');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const runner = app.get(BackfillRunner);
    view.line(`backfill of shop ${shopId} since ${shanghaiDateTime(since)} (Asia/Shanghai)`);
    const result = await runner.run(shopId, since, {
      signal: stop.signal,
      onStart: (from) => from && view.line(`resuming an earlier run: stored up to ${shanghaiDateTime(from)}`),
      onProgress: (p) => view.update(p),
      onWait: (ms) => view.line(`rate limited by the platform, waiting ${Math.ceil(ms / 1000)} s`),
    });
    if (!result.completed) {
      view.line(`interrupted: ${result.windows} windows, ${result.orders} orders stored; run the same command again to continue`);
      return INTERRUPTED;
    }
    view.line(`done: ${result.windows} windows, ${result.orders} orders`);
    return 0;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) process.stderr.write(`${err.message}\n${USAGE}\n`);
    else if (err instanceof ConfigError) process.stderr.write(`backfill cannot start: ${err.message}\n`);
    else process.stderr.write(`backfill failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
