import type {
  BuyerMessageRequest,
  BuyerMessageResult,
  CanonicalOrder,
  MarketplaceName,
  OrderListPage,
  OrderListQuery,
  RemarkWriteRequest,
  RemarkWriteResult,
  Shipment,
  TrackingResult,
} from './canonical.types.js';

export interface MarketplaceCapabilities {
  /** Taobao and PDD overwrite the memo; Kuaishou only appends notes. */
  remarkMode: 'replace' | 'append';
  memoLimit: { unit: 'bytes' | 'chars'; max: number } | null;
  /** Platform exposes a trace query for shipped orders. */
  tracking: boolean;
  /** Platform offers a channel to message buyers (SMS product). */
  buyerMessage: boolean;
  /** Unpaid orders are visible through the order APIs. */
  unpaidOrders: boolean;
}

export interface MarketplacePort {
  readonly platform: MarketplaceName;
  readonly capabilities: MarketplaceCapabilities;
  listOrders(query: OrderListQuery): Promise<OrderListPage>;
  getOrder(orderId: string): Promise<CanonicalOrder>;
  writeRemark(request: RemarkWriteRequest): Promise<RemarkWriteResult>;
  /** Null when the platform has no trace for this shipment (use the tracking service). */
  getTracking(orderId: string, shipment: Shipment): Promise<TrackingResult | null>;
  sendBuyerMessage(request: BuyerMessageRequest): Promise<BuyerMessageResult>;
  /** The platform's own clock, where its order windows are bounded by it (Pinduoduo: end ≤ its time − 3 min). */
  platformTime?(): Promise<Date>;
}
