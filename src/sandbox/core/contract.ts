/**
 * The contract between the sandbox core (world, clock, faults, limits, server)
 * and the platform modules that render it over HTTP.
 *
 * Each platform module owns a path prefix on the one sandbox port and answers
 * in its platform's wire format; it reads and changes the world only through
 * `SandboxWorld`, and turns `WorldEvent`s into its platform's pushes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type {
  SbApp,
  SbBuyerMessage,
  SbCall,
  SbErpOrder,
  SbFaults,
  SbFlag,
  SbMemoEntry,
  SbOrder,
  SbOrderStage,
  SbPlatform,
  SbReceiver,
  SbReship,
  SbShipment,
  SbShop,
  SbToken,
  SbTrackEvent,
  SbZone,
} from './types.js';

export type SbService = SbPlatform | 'kuaidi100';

/** The sandbox's notion of now: real time plus an offset that tests may advance. */
export interface SandboxClock {
  now(): number;
  /** Move virtual time forward; the world applies whatever became due. */
  advance(ms: number): void;
}

export type WorldEvent =
  | { kind: 'order.created'; order: SbOrder }
  | { kind: 'order.paid'; order: SbOrder }
  | { kind: 'order.closed'; order: SbOrder }
  | { kind: 'order.shipped'; order: SbOrder }
  | { kind: 'order.delivered'; order: SbOrder }
  | { kind: 'order.finished'; order: SbOrder }
  | { kind: 'order.memo'; order: SbOrder; entry: SbMemoEntry }
  | { kind: 'order.address'; order: SbOrder }
  | { kind: 'track.event'; shipment: SbShipment; event: SbTrackEvent; order?: SbOrder; erpOrder?: SbErpOrder }
  | { kind: 'erp.changed'; erpOrder: SbErpOrder }
  | { kind: 'erp.reship.shipped'; reship: SbReship; erpOrder: SbErpOrder };

export interface OrderQuery {
  platform: SbPlatform;
  shopId?: string;
  /** inclusive, epoch ms */
  modifiedFrom?: number;
  /** inclusive, epoch ms */
  modifiedTo?: number;
  createdFrom?: number;
  createdTo?: number;
  stages?: SbOrderStage[];
}

export interface ErpOrderQuery {
  erpShopId?: string;
  modifiedFrom?: number;
  modifiedTo?: number;
  soIds?: string[];
  oIds?: string[];
  statuses?: string[];
  /** rowversion: ts >= startTs */
  startTs?: number;
}

/** What platform modules may do to the world. All times are epoch ms (sandbox clock). */
export interface SandboxWorld {
  readonly clock: SandboxClock;

  app(service: SbService, appKey: string): SbApp | undefined;
  /** Every app of a service (added after the first contract: Kuaidi100 subscribers are known by key, not customer). */
  apps(service?: SbService): SbApp[];
  shop(platform: SbPlatform, shopId: string): SbShop | undefined;
  shops(platform?: SbPlatform): SbShop[];
  /** Resolve an access token to its shop; reports expired/revoked tokens instead of hiding them. */
  tokenLookup(
    platform: SbPlatform,
    accessToken: string,
  ): { shop: SbShop; token: SbToken; state: 'valid' | 'expired' | 'revoked' } | undefined;
  /**
   * Resolve a refresh token (OAuth refresh): 'discarded' when a rotation replaced it (Kuaishou
   * refreshToken.discarded). Added after the first contract; issueToken throws for a non-valid one.
   */
  refreshLookup(
    platform: SbPlatform,
    refreshToken: string,
  ): { shop: SbShop; token: SbToken; state: 'valid' | 'expired' | 'revoked' | 'discarded' } | undefined;
  /** Issue a fresh token pair for a shop (OAuth code exchange / refresh). Rotates per the platform's rules. */
  issueToken(platform: SbPlatform, shopId: string, opts: { lifetimeMs: number; refreshLifetimeMs: number; rotateRefresh: boolean; byRefreshToken?: string }): SbToken;
  /** OAuth authorization codes the control API created (code → shop), single use. */
  takeAuthCode(platform: SbPlatform, code: string): SbShop | undefined;

  order(platform: SbPlatform, orderId: string): SbOrder | undefined;
  /** Sorted by modifiedAt descending (newest first), ties by orderId. */
  orders(q: OrderQuery): SbOrder[];
  /** Write a seller memo/flag; appends to memoHistory and emits order.memo. */
  writeMemo(platform: SbPlatform, orderId: string, change: { text: string; flag?: SbFlag; by: string; op: SbMemoEntry['op'] }): SbOrder;

  erpOrder(oId: string): SbErpOrder | undefined;
  erpOrderBySoId(erpShopId: string, soId: string): SbErpOrder | undefined;
  erpOrders(q: ErpOrderQuery): SbErpOrder[];
  writeErpRemark(oId: string, text: string, by: string): SbErpOrder;
  setErpLabels(oId: string, add: string[], remove: string[]): SbErpOrder;
  setErpQuestion(oId: string, questionType: string, desc: string): SbErpOrder;
  setErpReceiver(oId: string, receiver: Partial<SbReceiver>, by: string): SbErpOrder;
  /** Aftersale 补发: creates the replacement ERP order, which ships after the configured delay. Idempotent per outerAsId. */
  createReship(input: { erpShopId: string; outerAsId: string; soId: string; reason: string; lineSkus: { skuId: string; qty: number }[]; receiver?: Partial<SbReceiver> }): SbReship;
  reships(): SbReship[];

  shipmentByTracking(trackingNo: string): { shipment: SbShipment; order?: SbOrder; erpOrder?: SbErpOrder } | undefined;
  zoneOf(warehouseProvince: string, destProvince: string): SbZone;

  recordBuyerMessage(msg: Omit<SbBuyerMessage, 'time'>): SbBuyerMessage;
  buyerMessages(): SbBuyerMessage[];

  on(listener: (ev: WorldEvent) => void): () => void;
}

/** Per-platform faults and call accounting, owned by the core. */
export interface SandboxFaultBook {
  get(service: SbService): SbFaults;
  set(service: SbService, faults: SbFaults): void;
  clear(service?: SbService): void;
}

/**
 * A token bucket per key the platform limits on (app, shop, app×api).
 * `take` answers how long the caller is banned for, or 0 when the call may go through.
 */
export interface SandboxRateLimiter {
  take(key: string, limit: { perSecond?: number; perMinute?: number; burst?: number; banMs?: number }): number;
  reset(): void;
}

export interface SandboxCallLog {
  record(call: Omit<SbCall, 'time'>): void;
  calls(filter?: { platform?: SbService; method?: string; shopId?: string }): SbCall[];
  counts(): Record<string, number>;
  reset(): void;
}

/** A push a platform delivered or tried to deliver, for inspection. */
export interface SbPushRecord {
  service: SbService;
  id: string;
  topic: string;
  shopId?: string;
  deliveredAt: number[];
  /** When an attempt was answered with anything but an acknowledgement (or not in time): a retry follows. */
  unansweredAt: number[];
  acknowledgedAt?: number;
  dropped: number;
  duplicated: number;
}

export interface SandboxPushLog {
  upsert(rec: Pick<SbPushRecord, 'service' | 'id' | 'topic' | 'shopId'>): SbPushRecord;
  delivered(service: SbService, id: string): void;
  acknowledged(service: SbService, id: string): void;
  unanswered(service: SbService, id: string): void;
  records(service?: SbService): SbPushRecord[];
}

export interface SandboxContext {
  world: SandboxWorld;
  faults: SandboxFaultBook;
  limiter: SandboxRateLimiter;
  calls: SandboxCallLog;
  pushes: SandboxPushLog;
  /** Deterministic random source (seeded); platform modules use it for fault dice. */
  random(): number;
  /** Base URL the sandbox listens on, e.g. http://127.0.0.1:41234 */
  baseUrl(): string;
  /**
   * Run `fn` once the sandbox clock reaches `atMs` (virtual time: fires early when a test advances the
   * clock). Used for push retries, ERP audit delays, reship shipping, bans expiring. Returns a cancel function.
   */
  schedule(atMs: number, fn: () => void): () => void;
  /**
   * Decide the fault a call meets before it is served (latency, timeout, 5xx, rate-limit storm), from the
   * service's SbFaults and the seeded dice. Platform modules render `fail` in their own error format.
   */
  faultFor(service: SbService): Promise<{ fail?: 'timeout' | 'server_error' | 'rate_limited' }>;
}

/** A platform imitation mounted under `prefix` (e.g. '/taobao'). */
export interface PlatformModule {
  readonly service: SbService;
  readonly prefix: string;
  /** Handle an HTTP request whose path starts with prefix; `path` has the prefix removed. */
  handle(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<void>;
  /** WebSocket upgrades under the prefix (Pinduoduo message push). */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, path: string): void;
  /** Control endpoints specific to this platform, under /_sandbox/<service>/… */
  control?(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<boolean>;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

export type PlatformModuleFactory = (ctx: SandboxContext) => PlatformModule;

export type { SbOrderStage, SbFaults, SbZone };
