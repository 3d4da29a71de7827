/**
 * Tunables of the Pinduoduo imitation. [UNVERIFIED] values are not published by Pinduoduo; they live
 * here (adjustable through PUT /_sandbox/pinduoduo/config) instead of inside the code.
 */
export interface PddLimit {
  perSecond?: number;
  perMinute?: number;
  burst?: number;
  banMs?: number;
}

export interface PddConfig {
  /** [UNVERIFIED] third-party notes say 10 minutes. */
  timestampToleranceMs: number;
  /** Per-shop limiters from the API metadata (limiterLevel 1), answered with 70031. */
  shopLimits: Record<string, PddLimit>;
  /** Whole-app limiter, answered with 52101. [UNVERIFIED numbers] */
  appLimit: PddLimit;
  /** Limiters per app for one API (ordertrace: 4800 / 20 s per app), answered with 52101. */
  appApiLimits: Record<string, PddLimit>;
  /** pdd.order.number.list.increment.get: end - start ≤ 30 min (official). */
  incrementMaxSpanMs: number;
  /** Orders show in the increment list only this long after their update (FAQ: end ≤ server time − 3 min). */
  incrementLagMs: number;
  /** Orders with 成交时间 in the last 3 months only. */
  historyMs: number;
  /** Unacked WebSocket messages are sent again after this. [UNVERIFIED] */
  wsRedeliveryMs: number;
  /** Accepted age of the timestamp in the WebSocket path. [UNVERIFIED] */
  wsTimestampToleranceMs: number;
  /** A reorder fault holds a message back this long. */
  wsReorderMs: number;
  /** [UNVERIFIED] token lifetimes */
  tokenLifetimeMs: number;
  refreshLifetimeMs: number;
  /** Carrier (kuaidi100 code) → PDD logistics_id. [UNVERIFIED ids] */
  logisticsIds: Record<string, number>;
}

export function defaultPddConfig(): PddConfig {
  return {
    timestampToleranceMs: 10 * 60_000,
    shopLimits: {
      'pdd.order.number.list.increment.get': { perMinute: 3000, banMs: 10_000 },
      'pdd.order.information.get': { perMinute: 30_000, banMs: 10_000 },
    },
    appLimit: { perSecond: 1000, burst: 2000, banMs: 5_000 },
    appApiLimits: { 'pdd.logistics.ordertrace.get': { perSecond: 240, burst: 4800, banMs: 20_000 } },
    incrementMaxSpanMs: 30 * 60_000,
    incrementLagMs: 3 * 60_000,
    historyMs: 90 * 24 * 3600_000,
    wsRedeliveryMs: 60_000,
    wsTimestampToleranceMs: 10 * 60_000,
    wsReorderMs: 5_000,
    tokenLifetimeMs: 30 * 24 * 3600_000,
    refreshLifetimeMs: 60 * 24 * 3600_000,
    logisticsIds: { shentong: 1, shunfeng: 44, yuantong: 85, zhongtong: 115, ems: 118, yunda: 121, jd: 120, jtexpress: 384 },
  };
}
