import { LosslessNumber } from 'lossless-json';
import type { SbFlag, SbOrder, SbOrderStage, SbShop } from '../../core/types.js';
import { fallbackOaid, maskAddress, maskMobile, maskName, maskNick } from './taobao-mask.util.js';
import { formatTopTime, yuan } from './taobao-time.util.js';

export type TopTradeStatus =
  | 'WAIT_BUYER_PAY'
  | 'WAIT_SELLER_SEND_GOODS'
  | 'WAIT_BUYER_CONFIRM_GOODS'
  | 'TRADE_FINISHED'
  | 'TRADE_CLOSED'
  | 'TRADE_CLOSED_BY_TAOBAO';

/** Taobao has no separate "signed" trade status for prepaid orders: a signed parcel still waits for confirm. */
const STATUS_OF_STAGE: Record<SbOrderStage, TopTradeStatus> = {
  unpaid: 'WAIT_BUYER_PAY',
  paid: 'WAIT_SELLER_SEND_GOODS',
  shipped: 'WAIT_BUYER_CONFIRM_GOODS',
  delivered: 'WAIT_BUYER_CONFIRM_GOODS',
  finished: 'TRADE_FINISHED',
  closed_unpaid: 'TRADE_CLOSED_BY_TAOBAO',
  closed_refunded: 'TRADE_CLOSED',
};

export function topStatus(stage: SbOrderStage): TopTradeStatus {
  return STATUS_OF_STAGE[stage];
}

/** Query statuses accepted by the list APIs, including the aggregates. */
export function stagesForStatus(status: string): SbOrderStage[] | undefined {
  if (status === 'ALL_WAIT_PAY') return ['unpaid'];
  if (status === 'ALL_CLOSED') return ['closed_unpaid', 'closed_refunded'];
  if (status === 'TRADE_NO_CREATE_PAY' || status === 'PAY_PENDING' || status === 'SELLER_CONSIGNED_PART') return [];
  const stages = (Object.keys(STATUS_OF_STAGE) as SbOrderStage[]).filter((s) => STATUS_OF_STAGE[s] === status);
  return stages.length > 0 ? stages : undefined;
}

/** 0 灰 (also "no flag"), 1 红, 2 黄, 3 绿, 4 蓝, 5 粉红/紫. */
const FLAG_CODES: Record<SbFlag, number> = { none: 0, grey: 0, red: 1, yellow: 2, green: 3, blue: 4, purple: 5 };
const FLAGS_BY_CODE: SbFlag[] = ['none', 'red', 'yellow', 'green', 'blue', 'purple'];

export function topFlag(flag: SbFlag): number {
  return FLAG_CODES[flag];
}

export function flagFromTop(code: number): SbFlag {
  return FLAGS_BY_CODE[code] ?? 'none';
}

/** Ids are written as bare JSON numbers (they exceed 2^53), never through Number(). */
export function idNumber(id: string): LosslessNumber | string {
  return /^\d+$/.test(id) ? new LosslessNumber(id) : id;
}

/** Fields whose presence lets TOP derive an OAID (per the fullinfo metadata). */
export const OAID_SOURCE_FIELDS = ['receiver_name', 'receiver_address', 'created', 'receiver_mobile', 'receiver_phone'];

type Wire = Record<string, unknown>;

function orderLines(order: SbOrder): Wire[] {
  const status = topStatus(order.stage);
  return order.lines.map((l) => ({
    oid: idNumber(l.lineId),
    num_iid: idNumber(l.skuId.replace(/\D/g, '') || '0'),
    sku_id: l.skuId,
    outer_sku_id: l.outerSkuId,
    title: l.title,
    sku_properties_name: l.props,
    num: l.qty,
    price: yuan(l.priceFen),
    total_fee: yuan(l.priceFen * l.qty),
    payment: yuan(l.priceFen * l.qty),
    status,
  }));
}

/** The whole Trade as TOP would hold it; callers pick fields. */
export function fullTrade(order: SbOrder, shop: SbShop | undefined): Wire {
  const r = order.receiver;
  const s = order.shipment;
  const trade: Wire = {
    tid: idNumber(order.orderId),
    status: topStatus(order.stage),
    type: 'fixed',
    created: formatTopTime(order.createdAt),
    modified: formatTopTime(order.modifiedAt),
    pay_time: order.paidAt !== undefined ? formatTopTime(order.paidAt) : undefined,
    consign_time: s ? formatTopTime(s.consignedAt) : undefined,
    end_time: order.closedAt !== undefined ? formatTopTime(order.closedAt) : undefined,
    buyer_nick: maskNick(order.buyerNick),
    buyer_open_uid: order.buyerOpenUid,
    seller_nick: shop?.name ?? '',
    seller_memo: order.memo === '' ? undefined : order.memo,
    seller_flag: topFlag(order.flag),
    buyer_message: order.buyerMessage,
    receiver_name: maskName(r.name),
    receiver_mobile: maskMobile(r.mobile),
    receiver_phone: '',
    receiver_state: r.province,
    receiver_city: r.city,
    receiver_district: r.district,
    receiver_address: maskAddress(r.address),
    num: order.lines.reduce((n, l) => n + l.qty, 0),
    total_fee: yuan(order.totalFen - order.postFeeFen),
    post_fee: yuan(order.postFeeFen),
    payment: yuan(order.totalFen),
    orders: { order: orderLines(order) },
  };
  return trade;
}

function pickOrders(orders: Wire, sub: Set<string>): Wire {
  if (sub.size === 0) return orders;
  const lines = (orders.order as Wire[]).map((l) => Object.fromEntries(Object.entries(l).filter(([k]) => sub.has(k))));
  return { order: lines };
}

/**
 * Keep only requested fields ("orders" or "orders.<x>" select lines). OAID appears only when asked for
 * (field or include_oaid) and the fields it is derived from are requested too.
 */
export function pickTradeFields(trade: Wire, order: SbOrder, fields: Set<string>, includeOaid: boolean): Wire {
  const out: Wire = {};
  const orderSub = new Set([...fields].filter((f) => f.startsWith('orders.')).map((f) => f.slice(7)));
  for (const [k, v] of Object.entries(trade)) {
    if (v === undefined) continue;
    if (k === 'orders') {
      if (fields.has('orders') || orderSub.size > 0) out.orders = pickOrders(v as Wire, fields.has('orders') ? new Set() : orderSub);
    } else if (fields.has(k)) {
      out[k] = v;
    }
  }
  const canOaid = OAID_SOURCE_FIELDS.every((f) => fields.has(f));
  if ((fields.has('oaid') || includeOaid) && canOaid) out.oaid = order.oaid || fallbackOaid(order.orderId);
  return out;
}
