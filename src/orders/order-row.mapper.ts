import { OrderStatus as Canonical, type CanonicalOrder } from '../platforms/ports/canonical.types.js';
import type { OrderEntity, OrderStatus } from './order.entity.js';

const STATUS: Record<Canonical, OrderStatus> = {
  [Canonical.UNPAID]: 'unpaid',
  [Canonical.AWAITING_SHIPMENT]: 'paid',
  [Canonical.PARTIALLY_SHIPPED]: 'shipped',
  [Canonical.SHIPPED]: 'shipped',
  [Canonical.DELIVERED]: 'delivered',
  [Canonical.COMPLETED]: 'finished',
  [Canonical.CLOSED]: 'refunded',
  [Canonical.CANCELLED]: 'closed',
  [Canonical.UNKNOWN]: 'unknown',
};

/** The platform-owned columns of an order row; everything ingestion may overwrite. */
export type OrderFields = Pick<
  OrderEntity,
  | 'status'
  | 'platformStatus'
  | 'buyerRef'
  | 'receiver'
  | 'province'
  | 'totalFen'
  | 'paymentFen'
  | 'postFeeFen'
  | 'lineItems'
  | 'sellerMemo'
  | 'sellerFlag'
  | 'buyerMessage'
  | 'refunding'
  | 'placedAt'
  | 'paidAt'
  | 'closedAt'
  | 'platformModifiedAt'
>;

const CLOSED: OrderStatus[] = ['closed', 'refunded', 'finished'];

export function orderFields(o: CanonicalOrder): OrderFields {
  // Kuaishou reports a cancelled unpaid order as 订单失败 like a refunded one; no payment means never paid.
  const status = o.status === Canonical.CLOSED && !o.paidAt ? 'closed' : STATUS[o.status];
  return {
    status,
    platformStatus: o.rawStatus.slice(0, 48),
    buyerRef: o.receiver.oaid,
    // Stored exactly as given (masked, ciphertext or OAID); nothing here decrypts.
    receiver: { ...o.receiver },
    province: o.province ?? o.receiver.province,
    totalFen: o.totalFen,
    paymentFen: o.paymentFen,
    postFeeFen: o.postFeeFen,
    lineItems: o.lines,
    sellerMemo: o.sellerMemo,
    sellerFlag: o.flag,
    buyerMessage: o.buyerMessage,
    refunding: o.refunding,
    placedAt: o.createdAt,
    paidAt: o.paidAt,
    closedAt: CLOSED.includes(status) ? o.modifiedAt : null,
    platformModifiedAt: o.modifiedAt,
  };
}

/** Which parts differ between a stored row and new fields; empty means the same state. */
export function orderChanges(row: OrderEntity, f: OrderFields): string[] {
  const changes: string[] = [];
  if (row.status !== f.status || row.platformStatus !== f.platformStatus) changes.push('status');
  if ((row.sellerMemo ?? null) !== f.sellerMemo || row.sellerFlag !== f.sellerFlag) changes.push('memo');
  if (json(row.receiver) !== json(f.receiver) || (row.province ?? null) !== f.province) changes.push('receiver');
  if (row.totalFen !== f.totalFen || (row.paymentFen ?? null) !== f.paymentFen || row.postFeeFen !== f.postFeeFen) changes.push('amount');
  if (json(row.lineItems) !== json(f.lineItems)) changes.push('lines');
  if ((row.buyerMessage ?? null) !== f.buyerMessage) changes.push('buyer_message');
  if (Boolean(row.refunding) !== f.refunding) changes.push('refund');
  if (!sameTime(row.paidAt, f.paidAt)) changes.push('paid_at');
  return changes;
}

export function sameTime(a: Date | null | undefined, b: Date | null | undefined): boolean {
  return (a ? new Date(a).getTime() : null) === (b ? b.getTime() : null);
}

/** Stable JSON (sorted keys) so a stored row and fresh fields compare by content, not key order. */
function json(v: unknown): string {
  return JSON.stringify(v ?? null, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val) && !(val instanceof Date)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : val,
  );
}
