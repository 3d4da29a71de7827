import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { AppModule, type AppModuleOptions } from './app.module.js';
import { JsonLogger } from './common/json-logger.js';
import { setupOpenApi } from './docs/openapi.js';
import type { AppConfig } from './config/config.schema.js';

export interface Running {
  app: INestApplicationContext;
  /** Base URL when the process serves HTTP (api or both). */
  url?: string;
}

/**
 * Starts kefu-bridge in the configured role: `api` serves HTTP, `worker` runs jobs and the scheduler,
 * `both` (the default) does everything in one process.
 */
export async function bootstrap(config: AppConfig, opts: AppModuleOptions & { logger?: JsonLogger } = {}): Promise<Running> {
  const logger = opts.logger ?? new JsonLogger(config.logLevel, process.stdout, { role: config.role });
  const module = AppModule.forRoot(config, opts);
  if (config.role === 'worker') {
    const app = await NestFactory.createApplicationContext(module, { logger });
    await app.init();
    return { app };
  }
  const app = await NestFactory.create(module, { logger, bodyParser: true });
  setupOpenApi(app);
  await app.listen(config.server.port, '0.0.0.0');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}` };
}
