/**
 * kefu-bridge listening on HTTP (Kuaidi100 posts its callbacks to it) against an in-process sandbox,
 * its clock following the sandbox's virtual time. Marketplace adapters come from SandboxShopAdapters;
 * the carrier-tracking adapter is the shops module's own, built from configuration.
 */
import { createServer } from 'node:net';
import { Global, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../../../src/app.module.js';
import { Clock } from '../../../src/common/clock.js';
import { JsonLogger } from '../../../src/common/json-logger.js';
import { loadConfig } from '../../../src/config/config.loader.js';
import type { AppConfig } from '../../../src/config/config.schema.js';
import { OrdersService } from '../../../src/orders/orders.service.js';
import type { TrackingPort } from '../../../src/platforms/ports/tracking.port.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server.js';
import { ShopAdapters } from '../../../src/shops/shop-adapters.js';
import { ShopAdaptersService } from '../../../src/shops/shop-adapters.service.js';
import { ShopEntity } from '../../../src/shops/shop.entity.js';
import { closeApp } from '../../support/test-app.js';
import { freshBackend, type TestBackend } from '../../support/test-env.js';
import { SandboxShopAdapters, type Mp } from './sandbox-shops.js';

export const KD = { customer: 'TRACKCUST1', key: 'kd100-track-key' };

/** The service's clock is the sandbox's: both move when a test advances virtual time. */
export class SandboxClock extends Clock {
  constructor(private readonly sb: RunningSandbox) {
    super();
  }
  now(): Date {
    return new Date(this.sb.clock.now());
  }
}

class TrackingShopAdapters extends SandboxShopAdapters {
  service?: () => ShopAdaptersService;
  override tracking(): TrackingPort {
    return this.service!().tracking();
  }
}

export interface TestShop {
  id: number;
  platform: Mp;
  platformShopId: string;
}

export interface TrackingEnv {
  sb: RunningSandbox;
  app: INestApplication;
  ds: DataSource;
  config: AppConfig;
  /** A new shop of ours, connected to a new sandbox shop: each test reads only its own parcels. */
  addShop(platform: Mp): Promise<TestShop>;
  /** Fetches the order from the sandbox through the marketplace adapter and ingests it, as a push would. */
  ingest(shop: TestShop, orderId: string): Promise<void>;
  /** Calls the sandbox answered for a platform's method, whatever the outcome. */
  calls(platform: string, method: string): Promise<number>;
  /** Calls of a platform the sandbox answered with this outcome (`ok`, or Kuaidi100's returnCode). */
  outcomes(platform: string, outcome: string): Promise<number>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export async function startTrackingEnv(seed: number, overrides: Record<string, unknown> = {}): Promise<TrackingEnv> {
  const sb = await startSandbox({ port: 0, autoTick: false, seed });
  sb.world.addApp({ platform: 'kuaidi100', appKey: KD.customer, appSecret: KD.key });
  const backend: TestBackend = await freshBackend();
  const port = await freePort();
  const config = loadConfig({
    env: {
      ...backend.env,
      PORT: String(port),
      KEFU_PUBLIC_URL: `http://127.0.0.1:${port}`,
      KEFU_SANDBOX_URL: sb.url,
      KEFU_SCHEDULER: 'off',
      KEFU_KUAIDI100_CUSTOMER: KD.customer,
      KEFU_KUAIDI100_KEY: KD.key,
    },
    overrides,
  });
  const adapters = new TrackingShopAdapters(sb, { now: () => new Date(sb.clock.now()) });
  @Global()
  @Module({ providers: [{ provide: ShopAdapters, useValue: adapters }], exports: [ShopAdapters] })
  class TestShopsModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config, { clock: new SandboxClock(sb) }), TestShopsModule] })
    .overrideProvider(ShopAdapters)
    .useValue(adapters)
    .compile();
  const app = moduleRef.createNestApplication({ logger: new JsonLogger('error', { write: () => undefined }), bodyParser: true });
  await app.listen(port, '127.0.0.1');
  adapters.service = () => app.get(ShopAdaptersService, { strict: false });
  const ds = app.get(DataSource);
  let seq = 0;
  const addShop = async (platform: Mp): Promise<TestShop> => {
    const platformShopId = `${{ taobao: '23', pinduoduo: '88', kuaishou: '22' }[platform]}${String(seed).padStart(3, '0')}${String(++seq).padStart(4, '0')}`;
    const now = new Date(sb.clock.now());
    const row = await ds.getRepository(ShopEntity).save(
      ds.getRepository(ShopEntity).create({
        platform, platformShopId, name: `${platform} tracking shop`, status: 'active', erpShopId: null,
        warehouse: 'default', settings: null, createdAt: now, updatedAt: now,
      }),
    );
    adapters.connect(row.id, platform, platformShopId);
    return { id: row.id, platform, platformShopId };
  };
  const orders = app.get(OrdersService);
  return {
    sb, app, ds, config, addShop,
    async ingest(shop, orderId) {
      const order = await (await adapters.marketplace(shop.id)).getOrder(orderId);
      await orders.ingest(shop.id, [order], 'push');
    },
    async calls(platform, method) {
      return (await callSummary(sb)).byMethod[`${platform} ${method}`] ?? 0;
    },
    async outcomes(platform, outcome) {
      return (await callSummary(sb)).byOutcome[`${platform} ${outcome}`] ?? 0;
    },
    async close() {
      await closeApp(app, config);
      await sb.close();
      await backend.dispose();
    },
  };
}

interface CallSummary {
  byMethod: Record<string, number>;
  byOutcome: Record<string, number>;
}

async function callSummary(sb: RunningSandbox): Promise<CallSummary> {
  const res = await fetch(`${sb.url}/_sandbox/calls`);
  return (await res.json()) as CallSummary;
}
