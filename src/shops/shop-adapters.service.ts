import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { shanghaiDate } from '../common/shanghai-time.js';
import { AppConfig } from '../config/config.schema.js';
import type { ErpPort } from '../platforms/ports/erp.port.js';
import type { MarketplacePort } from '../platforms/ports/marketplace.port.js';
import type { TrackingPort } from '../platforms/ports/tracking.port.js';
import { PlatformRegistry } from '../platforms/registry.js';
import { withAuthRetry } from './auth-retry.proxy.js';
import { ShopEntity } from './shop.entity.js';
import { ShopAdapters } from './shop-adapters.js';
import { erpConnection, marketplaceConnection } from './shop-connection.factory.js';
import { ShopCredentialVault } from './shop-credential.vault.js';
import { ShopDirectory } from './shop-directory.js';
import { ShopTokenRefresher } from './shop-token-refresher.js';
import { ShopUnavailableError } from './shop-unavailable.error.js';

interface Cached<T> {
  port: T;
  /** The credential row's updatedAt when built: a change made by any process rebuilds the adapter. */
  version: number;
}

/** Builds adapters from sealed credentials, caches them per shop, refreshes a token that dies mid-run. */
@Injectable()
export class ShopAdaptersService extends ShopAdapters {
  private readonly markets = new Map<number, Cached<MarketplacePort>>();
  private readonly erps = new Map<number, Cached<ErpPort>>();
  private readonly calls = new Map<string, number>();
  private trackingPort: TrackingPort | undefined;

  constructor(
    private readonly directory: ShopDirectory,
    private readonly vault: ShopCredentialVault,
    private readonly refresher: ShopTokenRefresher,
    @Inject(PlatformRegistry) private readonly registry: PlatformRegistry,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    super();
  }

  async marketplace(shopId: number): Promise<MarketplacePort> {
    const shop = await this.usable(shopId);
    if (shop.platform === 'jushuitan') throw new ShopUnavailableError(shopId, 'wrong_kind', 'is a Jushuitan account, not a marketplace shop');
    return this.cached(this.markets, shop, async () => {
      const stored = await this.vault.read(shop.id);
      if (!stored?.secrets.accessToken) throw new ShopUnavailableError(shopId, 'not_connected', 'has no access token yet');
      return this.registry.marketplace(marketplaceConnection(shop, stored.secrets, this.config.platforms));
    });
  }

  async erp(shopId: number): Promise<ErpPort> {
    const shop = await this.usable(shopId);
    let account = shop;
    if (shop.platform !== 'jushuitan') {
      if (!shop.erpAccountId) throw new ShopUnavailableError(shopId, 'no_erp_account', 'names no Jushuitan account');
      account = await this.usable(shop.erpAccountId);
    }
    return this.cached(this.erps, account, async () => {
      const stored = await this.vault.read(account.id);
      if (!stored?.secrets.accessToken) throw new ShopUnavailableError(account.id, 'not_connected', 'has no access token yet');
      return this.registry.erp(erpConnection(account, stored.secrets, this.config.platforms));
    });
  }

  tracking(): TrackingPort {
    // The Kuaidi100 account is the seller's, not a shop's: its keys come from configuration (env).
    const t = this.config.platforms.tracking;
    this.trackingPort ??= this.registry.tracking({
      baseUrl: t.baseUrl,
      customer: t.customer,
      key: t.key,
      timeoutMs: this.config.platforms.timeoutMs,
      requestsPerSecond: t.requestsPerSecond,
    });
    return this.trackingPort;
  }

  invalidate(shopId: number): void {
    this.markets.delete(shopId);
    this.erps.delete(shopId);
  }

  /** Platform calls made through this process's adapters today (Asia/Shanghai day). */
  callsToday(shopId: number): number {
    return this.calls.get(`${shopId}:${shanghaiDate(this.clock.now())}`) ?? 0;
  }

  private async usable(shopId: number): Promise<Readonly<ShopEntity>> {
    const shop = (await this.directory.current()).byId(shopId);
    if (!shop) throw new ShopUnavailableError(shopId, 'not_found', 'no such shop');
    if (shop.status === 'paused') throw new ShopUnavailableError(shopId, 'paused', 'is paused');
    if (shop.status === 'needs_reauth') throw new ShopUnavailableError(shopId, 'needs_reauth', 'must be authorised again');
    return shop;
  }

  private async cached<T extends object>(cache: Map<number, Cached<T>>, shop: Readonly<ShopEntity>, build: () => Promise<T>): Promise<T> {
    const version = (await this.directory.current()).credentialsAt(shop.id);
    const hit = cache.get(shop.id);
    if (hit && hit.version === version) return hit.port;
    const port = withAuthRetry(await build(), {
      refresh: async () => (await this.storedSince(shop.id, version)) || (await this.refresher.refreshShop(shop.id, true)) === 'refreshed',
      // The retried call uses the bare adapter: a second AUTH_EXPIRED must not refresh again.
      rebuild: async () => {
        cache.delete(shop.id);
        return build();
      },
      counted: () => this.count(shop.id),
    });
    cache.set(shop.id, { port, version });
    return port;
  }

  /** Another process stored new credentials since the adapter was built: use them, refresh nothing. */
  private async storedSince(shopId: number, version: number): Promise<boolean> {
    this.directory.markStale();
    return (await this.directory.current()).credentialsAt(shopId) !== version;
  }

  private count(shopId: number): void {
    const key = `${shopId}:${shanghaiDate(this.clock.now())}`;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
  }
}
