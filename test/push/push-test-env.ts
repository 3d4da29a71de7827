/** Boots kefu-bridge against an in-process sandbox with test bindings for the shops and orders contracts. */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource, type EntityManager } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { JsonLogger } from '../../src/common/json-logger.js';
import { loadConfig } from '../../src/config/config.loader.js';
import type { AppConfig } from '../../src/config/config.schema.js';
import { OrderIngest, type IngestResult, type IngestSource } from '../../src/orders/order-ingest.js';
import { PushKeys, type PddAppKeys, type TaobaoAppKeys } from '../../src/orders/push/push-keys.js';
import type { CanonicalOrder } from '../../src/platforms/ports/canonical.types.js';
import type { MarketplacePort } from '../../src/platforms/ports/marketplace.port.js';
import type { TrackingPort } from '../../src/platforms/ports/tracking.port.js';
import { PlatformRegistry, type ShopConnection } from '../../src/platforms/registry.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import { ShopAdapters } from '../../src/shops/shop-adapters.js';
import { ShopEntity, type PlatformName } from '../../src/shops/shop.entity.js';
import { freshBackend, type TestBackend } from '../support/test-env.js';
import { closeApp } from '../support/test-app.js';

export const TB = { appKey: '23000001', appSecret: 'tb-secret-push', shopId: '3300000001', session: 'tb-push-session' };
export const PDD = { clientId: 'pdd-push-client', clientSecret: 'pdd-push-secret', mallId: '880000001', token: 'pdd-push-token' };
export const KS = {
  appKey: 'ks6887700000000009',
  appSecret: 'ks-push-app-secret',
  signSecret: 'ks-push-sign-secret',
  pushKey: randomBytes(16).toString('base64'),
  shopId: '2200090001',
  token: 'ks-push-token',
};
/** A second shop of the same Kuaishou app: batches of one platform may span shops. */
export const KS2 = { shopId: '2200090002', token: 'ks-push-token-2' };
export const KD = { customer: 'PUSHCUST1', key: 'kd100-push-key' };

export interface IngestCall {
  shopId: number;
  orders: CanonicalOrder[];
  source: IngestSource;
}

/** Records what ingestion was given; the real ingest lives in the orders module. */
export class RecordingIngest extends OrderIngest {
  readonly calls: IngestCall[] = [];
  /** An order this answers true for cannot be stored: the call fails and is not recorded. */
  refuse?: (order: CanonicalOrder) => boolean;
  ingest(shopId: number, orders: CanonicalOrder[], source: IngestSource, _manager?: EntityManager): Promise<IngestResult> {
    const refused = orders.find((o) => this.refuse?.(o));
    if (refused) return Promise.reject(new Error(`order ${refused.orderId} cannot be stored`));
    this.calls.push({ shopId, orders, source });
    return Promise.resolve({ inserted: orders.length, updated: 0, unchanged: 0, stale: 0, changed: [] });
  }
  forOrder(orderId: string): IngestCall[] {
    return this.calls.filter((c) => c.orders.some((o) => o.orderId === orderId));
  }
}

export interface PushEnv {
  sb: RunningSandbox;
  app: INestApplication;
  url: string;
  config: AppConfig;
  db: DataSource;
  ingest: RecordingIngest;
  shops: Record<'taobao' | 'pinduoduo' | 'kuaishou' | 'kuaishou2', number>;
  /** Runs before every order fetch through the shop adapters: a test may hold it back or make it fail. */
  beforeFetch?: (shopId: number, orderId: string) => Promise<void> | void;
  backend: TestBackend;
  close(): Promise<void>;
}

export interface PushEnvOptions {
  /** Share another environment's database, queue and sandbox, as a second process of the service would. */
  joining?: PushEnv;
}

function connections(config: AppConfig): Record<string, ShopConnection> {
  const p = config.platforms;
  return {
    [TB.shopId]: { platform: 'taobao', shopId: TB.shopId, routerUrl: p.taobao.routerUrl, appKey: TB.appKey, appSecret: TB.appSecret, session: TB.session },
    [PDD.mallId]: { platform: 'pinduoduo', shopId: PDD.mallId, routerUrl: p.pinduoduo.routerUrl, clientId: PDD.clientId, clientSecret: PDD.clientSecret, accessToken: PDD.token },
    [KS.shopId]: { platform: 'kuaishou', shopId: KS.shopId, baseUrl: p.kuaishou.baseUrl, appKey: KS.appKey, appSecret: KS.appSecret, signSecret: KS.signSecret, accessToken: KS.token },
    [KS2.shopId]: { platform: 'kuaishou', shopId: KS2.shopId, baseUrl: p.kuaishou.baseUrl, appKey: KS.appKey, appSecret: KS.appSecret, signSecret: KS.signSecret, accessToken: KS2.token },
  };
}

/** Shop adapters over the sandbox for the fixture shops, and the fixture apps' push keys. */
function bindings(config: AppConfig, db: () => DataSource, env: () => PushEnv | undefined): { keys: PushKeys; adapters: ShopAdapters } {
  const registry = new PlatformRegistry({ timeoutMs: 5000 });
  const conns = connections(config);
  const adapters: ShopAdapters = {
    async marketplace(shopId: number): Promise<MarketplacePort> {
      const shop = await db().getRepository(ShopEntity).findOneByOrFail({ id: shopId });
      const port = registry.marketplace(conns[shop.platformShopId]);
      const getOrder = port.getOrder.bind(port);
      port.getOrder = async (orderId: string) => {
        await env()?.beforeFetch?.(shopId, orderId);
        return getOrder(orderId);
      };
      return port;
    },
    erp: () => Promise.reject(new Error('no ERP in push tests')),
    tracking: (): TrackingPort => registry.tracking({ baseUrl: config.platforms.tracking.baseUrl, customer: KD.customer, key: KD.key }),
    invalidate: () => undefined,
  };
  const keys: PushKeys = {
    kuaishouPushKey: (appKey: string) => Promise.resolve(appKey === KS.appKey ? KS.pushKey : null),
    taobaoApps: (): Promise<TaobaoAppKeys[]> => Promise.resolve([{ appKey: TB.appKey, appSecret: TB.appSecret }]),
    pinduoduoApps: (): Promise<PddAppKeys[]> => Promise.resolve([{ clientId: PDD.clientId, clientSecret: PDD.clientSecret }]),
  };
  return { adapters, keys };
}

function seedSandbox(sb: RunningSandbox): void {
  const now = sb.clock.now();
  const tokens = (access: string) => [{ accessToken: access, refreshToken: `${access}-r`, expiresAt: now + 30 * 86_400_000, refreshExpiresAt: now + 180 * 86_400_000, revoked: false }];
  sb.world.addApp({ platform: 'taobao', appKey: TB.appKey, appSecret: TB.appSecret });
  sb.world.addShop({ platform: 'taobao', shopId: TB.shopId, appKey: TB.appKey, tokens: tokens(TB.session) });
  sb.world.addApp({ platform: 'pinduoduo', appKey: PDD.clientId, appSecret: PDD.clientSecret });
  sb.world.addShop({ platform: 'pinduoduo', shopId: PDD.mallId, appKey: PDD.clientId, tokens: tokens(PDD.token) });
  sb.world.addApp({ platform: 'kuaishou', appKey: KS.appKey, appSecret: KS.appSecret, signSecret: KS.signSecret, pushAesKey: KS.pushKey });
  sb.world.addShop({ platform: 'kuaishou', shopId: KS.shopId, appKey: KS.appKey, tokens: tokens(KS.token) });
  sb.world.addShop({ platform: 'kuaishou', shopId: KS2.shopId, appKey: KS.appKey, tokens: tokens(KS2.token) });
  sb.world.addApp({ platform: 'kuaidi100', appKey: KD.customer, appSecret: KD.key });
}

async function seedShops(db: DataSource, now: Date): Promise<PushEnv['shops']> {
  const repo = db.getRepository(ShopEntity);
  const add = async (platform: PlatformName, platformShopId: string): Promise<number> => {
    const row = repo.create({ platform, platformShopId, name: `${platform} push shop`, status: 'active', erpShopId: null, warehouse: 'default', settings: null, createdAt: now, updatedAt: now });
    await repo.save(row);
    return row.id;
  };
  return {
    taobao: await add('taobao', TB.shopId),
    pinduoduo: await add('pinduoduo', PDD.mallId),
    kuaishou: await add('kuaishou', KS.shopId),
    kuaishou2: await add('kuaishou', KS2.shopId),
  };
}

export async function startPushEnv(seed = 11, opts: PushEnvOptions = {}): Promise<PushEnv> {
  const joined = opts.joining;
  const sb = joined?.sb ?? (await startSandbox({ port: 0, autoTick: false, seed }));
  if (!joined) seedSandbox(sb);
  const backend: TestBackend = joined?.backend ?? (await freshBackend());
  const config = loadConfig({
    env: { PORT: '0', ...backend.env, KEFU_SANDBOX_URL: sb.url },
    overrides: { scheduler: { enabled: false } },
  });
  const ingest = new RecordingIngest();
  const holder: { db?: DataSource; env?: PushEnv } = {};
  const b = bindings(config, () => holder.db!, () => holder.env);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(ShopAdapters)
    .useValue(b.adapters)
    .overrideProvider(PushKeys)
    .useValue(b.keys)
    .overrideProvider(OrderIngest)
    .useValue(ingest)
    .compile();
  const app = moduleRef.createNestApplication({ logger: new JsonLogger('error', { write: () => undefined }), bodyParser: true });
  await app.listen(0, '127.0.0.1');
  const db = app.get(DataSource);
  holder.db = db;
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const shops = joined?.shops ?? (await seedShops(db, new Date()));
  holder.env = {
    sb, app, url, config, db, ingest, shops, backend,
    async close() {
      await closeApp(app, config);
      if (joined) return;
      await sb.close();
      await backend.dispose();
    },
  };
  return holder.env;
}

/** Polls until `cond` holds (no timing assertions: it only bounds how long the test waits). */
export async function until<T>(what: string, cond: () => Promise<T | undefined | false> | T | undefined | false, tries = 300): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await cond();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}
