import {
  type CanonicalOrder,
  type OrderLine,
  OrderStatus,
  type Shipment,
  type TrackingEvent,
  TrackingState,
} from '../ports/canonical.types.js';
import { parseBeijing, parsePlatformTime } from '../shared/beijing-time.util.js';
import { flagTable } from '../shared/flag.util.js';
import { idString, optionalString, text } from '../shared/lossless-json.util.js';
import { yuanToFen } from '../shared/money.util.js';
import { asArray, asRecord } from '../shared/wire-params.util.js';

/** platforms.md §1.7. */
export const TAOBAO_STATUS: Readonly<Record<string, OrderStatus>> = {
  TRADE_NO_CREATE_PAY: OrderStatus.UNPAID,
  WAIT_BUYER_PAY: OrderStatus.UNPAID,
  PAY_PENDING: OrderStatus.UNPAID,
  WAIT_PRE_AUTH_CONFIRM: OrderStatus.UNPAID,
  WAIT_SELLER_SEND_GOODS: OrderStatus.AWAITING_SHIPMENT,
  PAID_FORBID_CONSIGN: OrderStatus.AWAITING_SHIPMENT,
  SELLER_CONSIGNED_PART: OrderStatus.PARTIALLY_SHIPPED,
  WAIT_BUYER_CONFIRM_GOODS: OrderStatus.SHIPPED,
  TRADE_BUYER_SIGNED: OrderStatus.DELIVERED,
  TRADE_FINISHED: OrderStatus.COMPLETED,
  TRADE_CLOSED: OrderStatus.CLOSED,
  TRADE_CLOSED_BY_TAOBAO: OrderStatus.CANCELLED,
};

/** §1.8: 0 灰 (the default, i.e. no flag), 1 红, 2 黄, 3 绿, 4 蓝, 5 粉红/紫. */
export const TAOBAO_FLAGS = flagTable({ 0: 'none', 1: 'red', 2: 'yellow', 3: 'green', 4: 'blue', 5: 'purple' });

/** Flag value to send: grey and none are both the default 0. */
export function taobaoFlagValue(colour: CanonicalOrder['flag']): number {
  return colour === 'grey' ? 0 : (TAOBAO_FLAGS.toPlatform(colour) ?? 0);
}

/** With `simplify` off, TOP wraps lists one level deeper (`orders: {order: [...]}`). */
function list(value: unknown, inner: string): Record<string, unknown>[] {
  const direct = Array.isArray(value) ? value : asArray(asRecord(value)[inner]);
  return direct.map(asRecord);
}

function time(value: unknown): Date | null {
  return typeof value === 'string' && value ? parseBeijing(value) : null;
}

function mapLine(o: Record<string, unknown>): OrderLine {
  return {
    lineId: idString(o.oid),
    productId: optionalString(idString(o.num_iid)),
    skuId: optionalString(idString(o.sku_id)),
    outerSkuId: optionalString(o.outer_sku_id) ?? optionalString(o.outer_iid),
    title: text(o.title),
    skuName: optionalString(o.sku_properties_name),
    quantity: Number(o.num ?? 0),
    priceFen: yuanToFen(o.price),
    paymentFen: o.payment === undefined ? null : yuanToFen(o.payment),
  };
}

function shipments(trade: Record<string, unknown>, lines: Record<string, unknown>[]): Shipment[] {
  const seen = new Map<string, Shipment>();
  for (const o of lines) {
    const no = optionalString(o.invoice_no);
    if (!no || seen.has(no)) continue;
    seen.set(no, {
      carrierCode: optionalString(o.logistics_company_code) ?? null,
      carrierName: optionalString(o.logistics_company),
      trackingNo: no,
      consignedAt: time(o.consign_time) ?? time(trade.consign_time),
    });
  }
  return [...seen.values()];
}

/** Maps a TOP Trade (fullinfo or increment list) to the canonical order. */
export function mapTaobaoTrade(wire: unknown): CanonicalOrder {
  const t = asRecord(wire);
  const orders = list(t.orders, 'order');
  const rawStatus = text(t.status);
  const province = optionalString(t.receiver_state);
  return {
    platform: 'taobao',
    orderId: idString(t.tid),
    status: TAOBAO_STATUS[rawStatus] ?? OrderStatus.UNKNOWN,
    rawStatus,
    createdAt: time(t.created),
    paidAt: time(t.pay_time),
    modifiedAt: time(t.modified) ?? new Date(0),
    totalFen: yuanToFen(t.total_fee),
    paymentFen: yuanToFen(t.payment),
    postFeeFen: yuanToFen(t.post_fee),
    lines: orders.map(mapLine),
    receiver: {
      name: optionalString(t.receiver_name),
      mobile: optionalString(t.receiver_mobile),
      phone: optionalString(t.receiver_phone),
      province,
      city: optionalString(t.receiver_city),
      district: optionalString(t.receiver_district),
      town: optionalString(t.receiver_town),
      address: optionalString(t.receiver_address),
      oaid: optionalString(t.oaid),
      form: 'masked',
    },
    province,
    sellerMemo: optionalString(t.seller_memo),
    flag: TAOBAO_FLAGS.toColour(t.seller_flag),
    buyerMessage: optionalString(t.buyer_message),
    shipments: shipments(t, orders),
    refunding: orders.some((o) => typeof o.refund_status === 'string' && /^WAIT_|SELLER_REFUSE/.test(o.refund_status)),
  };
}

/** Trace actions (§1.4/§1.6 LogsticDetailTrace) to canonical states. */
const ACTION_STATE: Readonly<Record<string, TrackingState>> = {
  CREATE: TrackingState.PENDING,
  CONSIGN: TrackingState.PENDING,
  GOT: TrackingState.COLLECTED,
  ARRIVAL: TrackingState.IN_TRANSIT,
  DEPARTURE: TrackingState.IN_TRANSIT,
  SENT_CITY: TrackingState.IN_TRANSIT,
  TO_EMS: TrackingState.IN_TRANSIT,
  SENT_SCAN: TrackingState.DELIVERING,
  SIGNED: TrackingState.SIGNED,
  FAILED: TrackingState.PROBLEM,
  LOST: TrackingState.PROBLEM,
  OTHER: TrackingState.UNKNOWN,
};

/** `trace_list[{status_time, status_desc, action}]`, returned oldest first; canonical is newest first. */
export function mapTaobaoTrace(wire: unknown): TrackingEvent[] {
  const events = list(asRecord(wire).trace_list, 'transit_step_info').map((s) => ({
    time: parsePlatformTime(s.status_time) ?? new Date(0),
    description: text(s.status_desc),
    state: ACTION_STATE[text(s.action)] ?? null,
    location: null,
  }));
  return events.sort((a, b) => b.time.getTime() - a.time.getTime());
}
