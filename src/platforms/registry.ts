import { JushuitanAdapter, type JushuitanAdapterOptions } from './jushuitan/jushuitan.adapter.js';
import { JushuitanClient, type JushuitanClientOptions } from './jushuitan/jushuitan.client.js';
import { KuaishouAdapter, type KuaishouAdapterOptions } from './kuaishou/kuaishou.adapter.js';
import { KuaishouClient, type KuaishouClientOptions } from './kuaishou/kuaishou.client.js';
import { PinduoduoAdapter, type PinduoduoAdapterOptions } from './pinduoduo/pinduoduo.adapter.js';
import { PinduoduoClient, type PinduoduoClientOptions } from './pinduoduo/pinduoduo.client.js';
import type { ErpPort } from './ports/erp.port.js';
import type { MarketplacePort } from './ports/marketplace.port.js';
import type { TrackingPort } from './ports/tracking.port.js';
import { RateGate, type GateRule } from './shared/rate.gate.js';
import type { RateLimiter } from './shared/rate-limiter.port.js';
import { TaobaoAdapter } from './taobao/taobao.adapter.js';
import { TaobaoClient, type TaobaoClientOptions } from './taobao/taobao.client.js';
import { TrackingClient, type TrackingClientOptions } from './tracking/tracking.client.js';

type ClientBase = 'gate' | 'axios' | 'now' | 'timeoutMs';

/** Decrypted credentials plus endpoints of one shop, as the shops module stores them. */
export type ShopConnection =
  | ({ platform: 'taobao'; shopId: string; smsSignName?: string } & Omit<TaobaoClientOptions, ClientBase>)
  | ({ platform: 'pinduoduo'; shopId: string } & Omit<PinduoduoClientOptions, ClientBase> & PinduoduoAdapterOptions)
  | ({ platform: 'kuaishou'; shopId: string } & Omit<KuaishouClientOptions, ClientBase> & KuaishouAdapterOptions);

export type ErpConnection = { accountId: string } & Omit<JushuitanClientOptions, ClientBase> & JushuitanAdapterOptions;

/** Builds the per-call rate rules for a connection; `app` and `shop` are the shared-limit keys. */
export type RateRules = (scope: { platform: string; app: string; shop: string }) => GateRule[];

/**
 * Documented limits (§2.4, §3.4, §4.1) as defaults. Taobao limits depend on the app's traffic tag,
 * so nothing is assumed there; per-shop overrides go through `rules`.
 */
export const DEFAULT_RATE_RULES: RateRules = ({ platform, app, shop }) => {
  switch (platform) {
    case 'pinduoduo':
      return [{ key: `pdd:shop:${shop}:incr`, api: 'pdd.order.number.list.increment.get', rule: { limit: 3000, windowMs: 60_000 } }];
    case 'kuaishou':
      return [
        { key: `ks:app:${app}`, rule: { limit: 300, windowMs: 1_000 } },
        { key: `ks:shop:${shop}`, rule: { limit: 300, windowMs: 1_000 } },
      ];
    case 'jushuitan':
      return [
        { key: `jst:app:${app}:s`, rule: { limit: 5, windowMs: 1_000 } },
        { key: `jst:app:${app}:m`, rule: { limit: 100, windowMs: 60_000 } },
      ];
    default:
      return [];
  }
};

export interface PlatformRegistryOptions {
  limiter?: RateLimiter;
  rules?: RateRules;
  timeoutMs?: number;
  /** The clock requests are signed and timestamped with (the service's injected clock). */
  now?: () => Date;
}

/** The one place that knows every platform: picks the adapter for a shop's connection. */
export class PlatformRegistry {
  constructor(private readonly options: PlatformRegistryOptions = {}) {}

  marketplace(c: ShopConnection): MarketplacePort {
    const common = { timeoutMs: this.options.timeoutMs, now: this.options.now };
    switch (c.platform) {
      case 'taobao':
        return new TaobaoAdapter(new TaobaoClient({ ...c, ...common, gate: this.gate('taobao', c.appKey, c.shopId) }), {
          signName: c.smsSignName ?? '',
        });
      case 'pinduoduo':
        return new PinduoduoAdapter(new PinduoduoClient({ ...c, ...common, gate: this.gate('pinduoduo', c.clientId, c.shopId) }), c);
      case 'kuaishou':
        return new KuaishouAdapter(new KuaishouClient({ ...c, ...common, gate: this.gate('kuaishou', c.appKey, c.shopId) }), c);
    }
  }

  erp(c: ErpConnection): ErpPort {
    const gate = this.gate('jushuitan', c.appKey, c.accountId);
    return new JushuitanAdapter(new JushuitanClient({ ...c, timeoutMs: this.options.timeoutMs, now: this.options.now, gate }), c);
  }

  /** `requestsPerSecond` paces every call of the account, across processes when the limiter is shared. */
  tracking(options: Omit<TrackingClientOptions, 'gate' | 'axios'> & { requestsPerSecond?: number }): TrackingPort {
    const { requestsPerSecond, ...client } = options;
    const pace: GateRule[] = requestsPerSecond ? [{ key: `kd100:customer:${client.customer}`, rule: { limit: requestsPerSecond, windowMs: 1_000 } }] : [];
    return new TrackingClient({ ...client, gate: this.gate('tracking', client.customer, client.customer, pace) });
  }

  private gate(platform: string, app: string, shop: string, extra: GateRule[] = []): RateGate | undefined {
    if (!this.options.limiter) return undefined;
    const rules = [...(this.options.rules ?? DEFAULT_RATE_RULES)({ platform, app, shop }), ...extra];
    return rules.length ? new RateGate(this.options.limiter, rules) : undefined;
  }
}
