/**
 * Tunables of the Taobao imitation. Values marked [UNVERIFIED] are not published by Taobao; they are kept
 * here (and adjustable through PUT /_sandbox/taobao/config) rather than buried in code.
 */
export interface TopLimit {
  perSecond?: number;
  perMinute?: number;
  burst?: number;
  banMs?: number;
}

export interface TaobaoConfig {
  /** Server tolerance for `timestamp` (official: 10 minutes). */
  timestampToleranceMs: number;
  /** Whole-app call quota → sub_code accesscontrol.limited-by-app-access-count. [UNVERIFIED numbers] */
  appLimit: TopLimit;
  /** Per app×API frequency → sub_code accesscontrol.limited-by-api-access-count. [UNVERIFIED numbers] */
  apiLimit: TopLimit;
  /** taobao.trades.sold.increment.get: span of start_modified..end_modified (official: 1 day). */
  incrementMaxSpanMs: number;
  /** Only trades of the last 3 months are served (official). */
  historyMs: number;
  /** Unconfirmed TMC messages come back after this. [UNVERIFIED: "5分钟不等" per a third-party note] */
  tmcRedeliveryMs: number;
  /** A reorder fault holds a TMC message back this long so later ones overtake it. */
  tmcReorderMs: number;
  /** Token lifetimes handed out by OAuth. [UNVERIFIED: Taobao publishes no fixed numbers] */
  tokenLifetimeMs: number;
  refreshLifetimeMs: number;
  /** App keys configured as service-market (服务市场订购类) apps, the only ones allowed to refresh. */
  refreshableApps: string[];
  /** pub_app_key shown on trade messages (Taobao's own publisher). [UNVERIFIED value] */
  tmcPublisherAppKey: string;
}

export function defaultTaobaoConfig(): TaobaoConfig {
  return {
    timestampToleranceMs: 10 * 60_000,
    appLimit: { perMinute: 6000, burst: 1000, banMs: 60_000 },
    apiLimit: { perSecond: 100, burst: 200, banMs: 10_000 },
    incrementMaxSpanMs: 24 * 3600_000,
    historyMs: 90 * 24 * 3600_000,
    tmcRedeliveryMs: 5 * 60_000,
    tmcReorderMs: 5_000,
    tokenLifetimeMs: 30 * 24 * 3600_000,
    refreshLifetimeMs: 30 * 24 * 3600_000,
    refreshableApps: [],
    tmcPublisherAppKey: '12497914',
  };
}
