/** Boots kefu-bridge in-process with a test ShopAdapters (until the shops module provides the real one). */
import { Global, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../../../src/app.module.js';
import type { Clock } from '../../../src/common/clock.js';
import { JsonLogger } from '../../../src/common/json-logger.js';
import { loadConfig, type Env } from '../../../src/config/config.loader.js';
import type { AppConfig } from '../../../src/config/config.schema.js';
import { ShopAdapters } from '../../../src/shops/shop-adapters.js';
import { ShopEntity, type PlatformName } from '../../../src/shops/shop.entity.js';
import { freshBackend } from '../../support/test-env.js';
import { closeApp } from '../../support/test-app.js';

export interface OrdersApp {
  app: TestingModule;
  ds: DataSource;
  config: AppConfig;
  logs: string[];
  addShop(platform: PlatformName, platformShopId: string, erpShopId?: string): Promise<number>;
  close(): Promise<void>;
}

export async function startOrdersApp(opts: { clock: Clock; adapters: ShopAdapters; env?: Env; overrides?: Record<string, unknown> }): Promise<OrdersApp> {
  const backend = await freshBackend();
  const config = loadConfig({ env: { PORT: '0', KEFU_SCHEDULER: 'false', ...backend.env, ...opts.env }, overrides: opts.overrides });
  @Global()
  @Module({ providers: [{ provide: ShopAdapters, useValue: opts.adapters }], exports: [ShopAdapters] })
  class TestShopsModule {}
  const app = await Test.createTestingModule({ imports: [AppModule.forRoot(config, { clock: opts.clock }), TestShopsModule] })
    .overrideProvider(ShopAdapters)
    .useValue(opts.adapters)
    .compile();
  const logs: string[] = [];
  app.useLogger(new JsonLogger('warn', { write: (l) => void logs.push(l) }));
  await app.init();
  const ds = app.get(DataSource);
  return {
    app,
    ds,
    config,
    logs,
    async addShop(platform, platformShopId, erpShopId) {
      const now = opts.clock.now();
      const shop = ds.getRepository(ShopEntity).create({
        platform, platformShopId, name: `${platform}-${platformShopId}`, status: 'active', erpShopId: erpShopId ?? null,
        warehouse: 'default', settings: null, createdAt: now, updatedAt: now,
      });
      return (await ds.getRepository(ShopEntity).save(shop)).id;
    },
    async close() {
      await closeApp(app, config);
      await backend.dispose();
    },
  };
}
