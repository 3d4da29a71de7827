/** Canonical shapes shared by every platform adapter. Raw payloads never leave `platforms/<p>/`. */

export type MarketplaceName = 'taobao' | 'pinduoduo' | 'kuaishou';

export enum OrderStatus {
  UNPAID = 'UNPAID',
  AWAITING_SHIPMENT = 'AWAITING_SHIPMENT',
  PARTIALLY_SHIPPED = 'PARTIALLY_SHIPPED',
  SHIPPED = 'SHIPPED',
  DELIVERED = 'DELIVERED',
  COMPLETED = 'COMPLETED',
  /** Closed after payment (refunded / failed). */
  CLOSED = 'CLOSED',
  /** Closed before payment (timeout, buyer or platform cancel). */
  CANCELLED = 'CANCELLED',
  UNKNOWN = 'UNKNOWN',
}

export type FlagColour = 'none' | 'red' | 'yellow' | 'green' | 'blue' | 'purple' | 'grey';

export interface OrderLine {
  lineId: string;
  productId: string | null;
  skuId: string | null;
  outerSkuId: string | null;
  title: string;
  skuName: string | null;
  quantity: number;
  /** Unit price in fen. */
  priceFen: number;
  /** What the buyer paid for the line in fen, when the platform says. */
  paymentFen: number | null;
}

/**
 * Receiver exactly as the platform returns it: masked text, ciphertext or an OAID reference.
 * Never decrypted here.
 */
export interface Receiver {
  name: string | null;
  mobile: string | null;
  phone: string | null;
  province: string | null;
  city: string | null;
  district: string | null;
  town: string | null;
  address: string | null;
  /** Taobao OAID (merge/decrypt handle), when returned. */
  oaid: string | null;
  /** 'masked' = desensitised text, 'cipher' = platform ciphertext, 'plain' = as-is (ERP self-mall data). */
  form: 'masked' | 'cipher' | 'plain' | 'unknown';
}

export interface Shipment {
  carrierCode: string | null;
  carrierName: string | null;
  trackingNo: string;
  consignedAt: Date | null;
}

export interface CanonicalOrder {
  platform: MarketplaceName;
  orderId: string;
  status: OrderStatus;
  /** The platform's own status value, for logs and audits. */
  rawStatus: string;
  createdAt: Date | null;
  paidAt: Date | null;
  modifiedAt: Date;
  totalFen: number;
  paymentFen: number;
  postFeeFen: number;
  lines: OrderLine[];
  receiver: Receiver;
  province: string | null;
  sellerMemo: string | null;
  flag: FlagColour;
  buyerMessage: string | null;
  shipments: Shipment[];
  /** True while an after-sale/refund is open on the order. */
  refunding: boolean;
}

export interface OrderListQuery {
  /** Modified/updated window; each platform caps its span (Taobao 1 day, PDD 30 min, Kuaishou 7 days). */
  start: Date;
  end: Date;
  /** Opaque cursor from the previous page; absent for the first page. */
  cursor?: string;
  pageSize?: number;
  /** Oldest change first, where the platform lets the caller choose (Kuaishou `sort` 2); newest first otherwise. */
  oldestFirst?: boolean;
}

export interface OrderListPage<T = CanonicalOrder> {
  orders: T[];
  /** Pass back to get the next page; null when done. */
  nextCursor: string | null;
  hasNext: boolean;
}

export interface RemarkWriteRequest {
  orderId: string;
  /**
   * For 'replace' platforms (Taobao, PDD) the whole new memo; for 'append' platforms (Kuaishou)
   * the new line only. Composition of lines belongs to the remarks module.
   */
  text: string;
  flag?: FlagColour;
  /** PDD tag_name (≤ 3 chars); defaults to the colour name. */
  flagLabel?: string;
}

export interface RemarkWriteResult {
  orderId: string;
  mode: 'replace' | 'append';
  flag: FlagColour | null;
  modifiedAt: Date | null;
}

export interface BuyerMessageRequest {
  orderId: string;
  templateCode: string;
  params: Record<string, string>;
  /** Taobao: OAID of the order; Kuaishou: the receiver mobile ciphertext. */
  recipientRef: string;
  signName?: string;
}

export interface BuyerMessageResult {
  sent: boolean;
  /** Set when the platform offers no channel: the caller turns the reminder into an agent task. */
  unsupported?: boolean;
  messageId: string | null;
}

export enum TrackingState {
  PENDING = 'PENDING',
  COLLECTED = 'COLLECTED',
  IN_TRANSIT = 'IN_TRANSIT',
  DELIVERING = 'DELIVERING',
  SIGNED = 'SIGNED',
  PROBLEM = 'PROBLEM',
  RETURNING = 'RETURNING',
  RETURN_SIGNED = 'RETURN_SIGNED',
  REJECTED = 'REJECTED',
  REDIRECTED = 'REDIRECTED',
  CUSTOMS = 'CUSTOMS',
  UNKNOWN = 'UNKNOWN',
}

export interface TrackingEvent {
  time: Date;
  description: string;
  state: TrackingState | null;
  location: string | null;
}

export interface TrackingResult {
  carrierCode: string | null;
  trackingNo: string;
  state: TrackingState;
  signed: boolean;
  /** Newest first, as every source returns them. */
  events: TrackingEvent[];
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  /** Absolute expiry, computed from the platform's expires_in at receipt. */
  expiresAt: Date | null;
  refreshExpiresAt: Date | null;
  /** Platform's shop/user id for the grant (Taobao user id, PDD owner_id, Kuaishou open_id). */
  ownerId: string | null;
  ownerName: string | null;
}

export type PlatformEventKind =
  | 'order.created'
  | 'order.paid'
  | 'order.shipped'
  | 'order.memo'
  | 'order.address'
  | 'order.changed'
  | 'order.completed'
  | 'order.closed'
  | 'refund'
  | 'logistics'
  | 'other';

/** A pushed notification, decoded. Handlers must be idempotent on (platform, eventId). */
export interface PlatformEvent {
  platform: MarketplaceName;
  eventId: string;
  kind: PlatformEventKind;
  topic: string;
  orderId: string | null;
  /** Shop reference as the platform gives it (Taobao user id/nick, PDD mall id, Kuaishou openId). */
  shopRef: string | null;
  occurredAt: Date | null;
  /** Decoded topic content; platform-shaped, for the ingestion step to re-fetch the order. */
  content: Record<string, unknown>;
}
