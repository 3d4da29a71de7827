/**
 * The sandbox's world model: the shared vocabulary of the platform imitations.
 *
 * The sandbox stands in for Taobao/Tmall, Pinduoduo, Kuaishou, Jushuitan and a
 * Kuaidi100-style tracking service. One in-memory world holds the truth (shops,
 * orders, parcels, memos, messages sent, reships); each platform module renders
 * that truth in its own wire format and mutates it through its own API calls.
 *
 * Nothing here is shared with kefu-bridge's platform clients: the sandbox is an
 * independent implementation written from the platform documents.
 */

export type SbPlatform = 'taobao' | 'pinduoduo' | 'kuaishou' | 'jushuitan';

/** Canonical sandbox life stage; each platform maps it to its own status enum. */
export type SbOrderStage =
  | 'unpaid' // placed, waiting for payment
  | 'paid' // paid, waiting for the seller to ship
  | 'shipped' // consigned with a tracking number (maybe not collected yet)
  | 'delivered' // signed by the buyer / 已签收
  | 'finished' // trade success (confirm received)
  | 'closed_unpaid' // closed before payment (timeout or buyer cancel)
  | 'closed_refunded'; // closed after payment (refund)

/** Canonical flag colours; platforms map them to their own codes. */
export type SbFlag = 'none' | 'red' | 'yellow' | 'green' | 'blue' | 'purple' | 'grey';

/** Zone of a destination province as seen from the shop's warehouse. */
export type SbZone = 1 | 2 | 3;

export interface SbApp {
  platform: SbPlatform | 'kuaidi100';
  appKey: string;
  appSecret: string;
  /** Kuaishou: separate request-signing secret. */
  signSecret?: string;
  /** Kuaishou: base64 AES key for push bodies ("消息私钥"). */
  pushAesKey?: string;
  /** Kuaishou / Kuaidi100: where pushes go. */
  pushUrl?: string;
}

export interface SbToken {
  accessToken: string;
  refreshToken: string;
  /** epoch ms */
  expiresAt: number;
  refreshExpiresAt: number;
  revoked: boolean;
  /** Kuaishou: a refresh token that was rotated away dies (refreshToken.discarded). */
  discarded?: boolean;
}

export interface SbShop {
  platform: SbPlatform;
  /** Platform's shop/seller id as a string (Taobao user id, PDD mall id, Kuaishou seller id, JST shop id). */
  shopId: string;
  name: string;
  appKey: string;
  /** Current valid tokens first; old ones kept to answer 'expired/discarded' correctly. */
  tokens: SbToken[];
  /** Province of the shop's warehouse, for zoning. Default 广东省. */
  warehouseProvince: string;
  /** For marketplace shops mirrored into the ERP: the Jushuitan shop id. */
  erpShopId?: string;
}

export interface SbReceiver {
  province: string;
  city: string;
  district: string;
  /** Plain values exist only inside the sandbox; platforms render them masked/encrypted. */
  name: string;
  mobile: string;
  address: string;
}

export interface SbLine {
  lineId: string;
  skuId: string;
  outerSkuId: string;
  title: string;
  props: string;
  qty: number;
  /** price per unit in fen */
  priceFen: number;
}

export interface SbTrackEvent {
  /** epoch ms */
  time: number;
  /** Kuaidi100 state code 0–14 at this event (1 揽收, 0 在途, 5 派件, 3 签收 …). */
  state: number;
  /** Taobao-style action: GOT, DEPARTURE, ARRIVAL, SENT_SCAN, SIGNED, … */
  action: string;
  context: string;
  city?: string;
}

export interface SbShipment {
  carrierCode: string; // lower-case kuaidi100 code: zhongtong, yuantong, shunfeng, yunda, ems …
  carrierName: string; // 中通, 顺丰 …
  trackingNo: string;
  /** epoch ms of consignment (shipped in the platform) */
  consignedAt: number;
  /** Events already visible (time <= now), oldest first. */
  events: SbTrackEvent[];
  /** Future events, applied by the world when their time comes. */
  pending: SbTrackEvent[];
  /** 'online' waybills are traced by Taobao; 'offline' are not (platforms.md §1.4). */
  sendType: 'online' | 'offline';
}

export interface SbMemoEntry {
  time: number;
  /** 'api:<appKey>' for API writes, 'human:<name>' for scenario/human writes. */
  by: string;
  /** Memo text after the write (the whole memo for overwrite platforms, the added note for append ones). */
  text: string;
  flag: SbFlag;
  op: 'update' | 'add' | 'append' | 'reset';
}

export interface SbOrder {
  platform: SbPlatform;
  shopId: string;
  /** Platform order id as a string (may exceed 2^53). */
  orderId: string;
  stage: SbOrderStage;
  createdAt: number;
  paidAt?: number;
  closedAt?: number;
  /** epoch ms of the last change the platform shows (drives incremental lists). */
  modifiedAt: number;
  buyerNick: string;
  buyerOpenUid: string;
  /** Taobao OAID / PDD & Kuaishou ciphertext seeds, fixed at creation. */
  oaid: string;
  receiver: SbReceiver;
  lines: SbLine[];
  totalFen: number;
  postFeeFen: number;
  /** Seller memo as the platform holds it (Kuaishou: all notes joined, newest last). */
  memo: string;
  flag: SbFlag;
  memoHistory: SbMemoEntry[];
  buyerMessage?: string;
  shipment?: SbShipment;
  /** Unpaid orders auto-close at this time (Taobao: 3 days after creation). */
  autoCloseAt?: number;
}

/** Jushuitan's own copy of a marketplace order. */
export type SbErpStatus =
  | 'WaitPay'
  | 'WaitConfirm'
  | 'WaitFConfirm'
  | 'Delivering'
  | 'Sent'
  | 'Question'
  | 'Cancelled'
  | 'Merged'
  | 'Split';

export interface SbErpOrder {
  /** ERP internal order id (o_id), numeric string. */
  oId: string;
  /** Jushuitan shop id. */
  erpShopId: string;
  /** Marketplace order id (so_id); empty for ERP-only orders such as reships. */
  soId: string;
  platform?: SbPlatform;
  status: SbErpStatus;
  /** epoch ms when the order was audited (客审), if it was. */
  auditedAt?: number;
  remark: string;
  remarkHistory: SbMemoEntry[];
  labels: string[];
  questionType?: string;
  questionDesc?: string;
  receiver: SbReceiver;
  addressHistory: { time: number; by: string; receiver: SbReceiver }[];
  lines: SbLine[];
  modifiedAt: number;
  /** Rowversion-like counter for start_ts queries. */
  ts: number;
  outOfStock: boolean;
  isReship: boolean;
  shipment?: SbShipment;
}

export interface SbReship {
  asId: string;
  outerAsId: string;
  erpShopId: string;
  soId: string;
  createdAt: number;
  reason: string;
  /** ERP order created for the replacement. */
  replacementOId: string;
  /** When the ERP ships it and a tracking number appears. */
  shipAt: number;
}

export interface SbBuyerMessage {
  time: number;
  platform: SbPlatform;
  shopId: string;
  orderId?: string;
  /** Taobao OAID, Kuaishou buyer open id … whatever the channel addressed. */
  to: string;
  channel: string; // 'taobao.jst.sms.oaid.message.send', 'open.sms.send' …
  template?: string;
  content: string;
  appKey: string;
}

/** Faults a platform can be told to show, by scenario or control endpoint. */
export interface SbFaults {
  latencyMs?: number;
  /** probability 0..1 that a call hangs past any sane client timeout */
  timeoutRate?: number;
  /** probability 0..1 of an HTTP 5xx / platform service error */
  errorRate?: number;
  /** until this epoch ms, every call is rate-limited */
  rateLimitStormUntil?: number;
  pushDropRate?: number;
  pushDuplicateRate?: number;
  /** probability that a push is held back and delivered after later ones */
  pushReorderRate?: number;
  pushDelayMs?: number;
}

/** One recorded API call, for inspection. */
export interface SbCall {
  time: number;
  platform: SbPlatform | 'kuaidi100';
  method: string;
  shopId?: string;
  /** 'ok', or the platform error code the call was answered with */
  outcome: string;
}
