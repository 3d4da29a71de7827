/** A test ShopAdapters: adapters built by PlatformRegistry from connections at a sandbox started in the test. */
import type { RunningSandbox } from '../../../src/sandbox/server.js';
import type { ErpPort } from '../../../src/platforms/ports/erp.port.js';
import type { MarketplacePort } from '../../../src/platforms/ports/marketplace.port.js';
import type { TrackingPort } from '../../../src/platforms/ports/tracking.port.js';
import { PlatformRegistry, type PlatformRegistryOptions, type ShopConnection } from '../../../src/platforms/registry.js';
import { ShopAdapters } from '../../../src/shops/shop-adapters.js';

export type Mp = 'taobao' | 'pinduoduo' | 'kuaishou';
export const APPS: Record<Mp, { appKey: string; appSecret: string; signSecret: string }> = {
  taobao: { appKey: 'tb-app', appSecret: 'tb-secret', signSecret: '' },
  pinduoduo: { appKey: 'pdd-app', appSecret: 'pdd-secret', signSecret: '' },
  kuaishou: { appKey: 'ks-app', appSecret: 'ks-secret', signSecret: 'ks-sign' },
};

export class SandboxShopAdapters extends ShopAdapters {
  private readonly registry: PlatformRegistry;
  private readonly shops = new Map<number, { platform: Mp; platformShopId: string; token: string }>();
  readonly invalidated: number[] = [];

  /** `options.now` lets request timestamps follow the sandbox clock when a test moves it far ahead. */
  constructor(
    private readonly sb: RunningSandbox,
    options: PlatformRegistryOptions = {},
  ) {
    super();
    this.registry = new PlatformRegistry(options);
    for (const p of Object.keys(APPS) as Mp[]) sb.world.addApp({ platform: p, ...APPS[p] });
  }

  /** Creates the shop in the sandbox with a valid token and maps our shop id to it. */
  connect(shopId: number, platform: Mp, platformShopId: string): void {
    const now = this.sb.clock.now();
    const token = `${platform}-tok-${platformShopId}`;
    this.sb.world.addShop({
      platform, shopId: platformShopId, appKey: APPS[platform].appKey,
      tokens: [{ accessToken: token, refreshToken: `${token}-rt`, expiresAt: now + 30 * 86_400_000, refreshExpiresAt: now + 60 * 86_400_000, revoked: false }],
    });
    this.shops.set(shopId, { platform, platformShopId, token });
  }

  async marketplace(shopId: number): Promise<MarketplacePort> {
    const s = this.shops.get(shopId);
    if (!s) throw new Error(`shop ${shopId} not connected`);
    return this.registry.marketplace(this.connection(shopId, s.platform, s.token));
  }

  async erp(): Promise<ErpPort> {
    throw new Error('no ERP in this test');
  }

  tracking(): TrackingPort {
    throw new Error('no tracking in this test');
  }

  /** Stands in for the shops module's refresh: the platform issues a new token for the shop. */
  invalidate(shopId: number): void {
    const s = this.shops.get(shopId);
    if (!s) return;
    this.invalidated.push(shopId);
    s.token = this.sb.world.issueToken(s.platform, s.platformShopId, { lifetimeMs: 86_400_000, refreshLifetimeMs: 2 * 86_400_000, rotateRefresh: false }).accessToken;
  }

  private connection(shopId: number, platform: Mp, token: string): ShopConnection {
    const url = this.sb.url;
    const a = APPS[platform];
    if (platform === 'taobao') return { platform, shopId: String(shopId), routerUrl: `${url}/taobao/router/rest`, appKey: a.appKey, appSecret: a.appSecret, session: token };
    if (platform === 'pinduoduo') return { platform, shopId: String(shopId), routerUrl: `${url}/pinduoduo/api/router`, clientId: a.appKey, clientSecret: a.appSecret, accessToken: token };
    return { platform, shopId: String(shopId), baseUrl: `${url}/kuaishou`, appKey: a.appKey, appSecret: a.appSecret, signSecret: a.signSecret, accessToken: token };
  }
}
