import type { OrderLine, OrderStatus, Receiver, Shipment } from './canonical.types.js';

/** Where the ERP order stands in its own workflow; the remark rules care about audit. */
export enum ErpStage {
  WAIT_PAY = 'WAIT_PAY',
  /** 已付款待审核: remarks may still be written straight into the ERP. */
  WAIT_AUDIT = 'WAIT_AUDIT',
  /** 已客审 / 发货中 / 外仓: audited; remarks become auditor tasks instead. */
  AUDITED = 'AUDITED',
  QUESTION = 'QUESTION',
  SENT = 'SENT',
  CANCELLED = 'CANCELLED',
  MERGED = 'MERGED',
  SPLIT = 'SPLIT',
  FINISHED = 'FINISHED',
  UNKNOWN = 'UNKNOWN',
}

export interface ErpOrder {
  /** Internal ERP order id (o_id). */
  erpOrderId: string;
  /** Online (marketplace) order number (so_id). */
  onlineOrderId: string;
  shopId: string;
  status: OrderStatus;
  stage: ErpStage;
  rawStatus: string;
  /** Why the ERP holds the order as a question (question_type, e.g. 缺货); null when it gives none. */
  questionType?: string | null;
  orderedAt: Date | null;
  modifiedAt: Date | null;
  paymentFen: number;
  freightFen: number;
  remark: string | null;
  buyerMessage: string | null;
  labels: string[];
  lines: OrderLine[];
  receiver: Receiver;
  shipment: Shipment | null;
  /** The aftersale (as_id) a 补发 or exchange order was made for; null for the marketplace order's own copy. */
  afterSaleId: string | null;
  /** Row version (ts) for gap-free incremental queries. */
  rowVersion: string | null;
}

export interface ErpOrderQuery {
  shopId?: string;
  onlineOrderIds?: string[];
  erpOrderIds?: string[];
  modifiedStart?: Date;
  modifiedEnd?: Date;
  /** Opaque cursor from the previous page. */
  cursor?: string;
  pageSize?: number;
}

export type ErpRemarkTarget = { onlineOrderId: string; shopId: string } | { erpOrderId: string };

export interface ErpRemarkRequest {
  target: ErpRemarkTarget;
  remark: string;
  /** Append to the existing remark rather than replace it (ERP side decides formatting). */
  append: boolean;
}

export interface ErpAddressUpdate {
  erpOrderId: string;
  receiverName: string;
  receiverMobile: string;
  province: string;
  city: string;
  district: string;
  address: string;
}

export interface ReshipLine {
  skuId: string;
  quantity: number;
  name?: string;
  /** Zero for a replacement shipment. */
  amountFen?: number;
  outerLineId?: string;
}

export interface ReshipRequest {
  shopId: string;
  /** Our idempotency key: the ERP keeps aftersales unique by it. */
  outerAfterSaleId: string;
  onlineOrderId: string;
  reason: string;
  remark?: string;
  /** Only needed when shipping somewhere else than the original receiver. */
  receiver?: {
    name: string;
    mobile: string;
    province: string;
    city: string;
    district: string;
    address: string;
  };
  lines: ReshipLine[];
}

export interface ReshipResult {
  outerAfterSaleId: string;
  erpAfterSaleId: string | null;
  accepted: boolean;
  message: string | null;
}
