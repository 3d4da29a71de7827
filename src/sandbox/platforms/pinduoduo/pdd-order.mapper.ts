import { LosslessNumber } from 'lossless-json';
import type { SbFlag, SbOrder, SbOrderStage } from '../../core/types.js';
import {
  formatPddTime, maskAddress, maskName, maskPhone, pddPhoneCipher, pddTextCipher, yuanNumber,
} from './pdd-format.util.js';

/** PDD shows only 成交 (paid) orders: nothing before payment, nothing closed unpaid. */
export function pddVisible(stage: SbOrderStage): boolean {
  return stage !== 'unpaid' && stage !== 'closed_unpaid';
}

/** 1 待发货, 2 已发货待签收, 3 已签收. A refunded order keeps its shipping state. */
export function pddOrderStatus(order: SbOrder): 1 | 2 | 3 {
  switch (order.stage) {
    case 'shipped':
      return 2;
    case 'delivered':
    case 'finished':
      return 3;
    case 'closed_refunded':
      return order.shipment ? 2 : 1;
    case 'unpaid':
    case 'paid':
    case 'closed_unpaid':
      return 1;
  }
}

/** 1 无售后或售后关闭, 4 退款成功. */
export function pddRefundStatus(order: SbOrder): 1 | 4 {
  return order.stage === 'closed_refunded' ? 4 : 1;
}

const TAGS: Partial<Record<SbFlag, number>> = { red: 1, yellow: 2, green: 3, blue: 4, purple: 5 };
const FLAG_OF_TAG: SbFlag[] = ['none', 'red', 'yellow', 'green', 'blue', 'purple'];
const TAG_DEFAULT_NAMES = ['', '红色', '黄色', '绿色', '蓝色', '紫色'];

/** PDD has no grey: a grey or missing flag has no tag. */
export function pddTag(flag: SbFlag): number | null {
  return TAGS[flag] ?? null;
}

export function flagOfTag(tag: number): SbFlag {
  return FLAG_OF_TAG[tag] ?? 'none';
}

type Wire = Record<string, unknown>;

/**
 * Receiver fields: ciphertext while the order waits for shipping; afterwards PDD stops returning them
 * (FAQ: "收件人信息请在订单待发货状态获取后密文保存") and only masked values are left. [UNVERIFIED exact form]
 */
function receiverFields(order: SbOrder): Wire {
  const r = order.receiver;
  const full = `${r.province}${r.city}${r.district}${r.address}`;
  const masks = { receiver_name_mask: maskName(r.name), receiver_phone_mask: maskPhone(r.mobile), receiver_address_mask: maskAddress(r.address) };
  const sn = order.orderId;
  const open = order.stage === 'paid';
  return {
    receiver_name: open ? pddTextCipher(r.name, sn, 'name') : masks.receiver_name_mask,
    receiver_phone: open ? pddPhoneCipher(r.mobile, sn) : masks.receiver_phone_mask,
    receiver_address: open ? pddTextCipher(r.address, sn, 'address') : masks.receiver_address_mask,
    address: open ? pddTextCipher(full, sn, 'full') : maskAddress(full),
    ...masks,
    country: '中国',
    province: r.province,
    city: r.city,
    town: r.district,
  };
}

function itemList(order: SbOrder): Wire[] {
  return order.lines.map((l) => ({
    goods_id: new LosslessNumber(l.skuId.replace(/\D/g, '') || '0'),
    sku_id: new LosslessNumber(l.lineId.replace(/\D/g, '').slice(-15) || '0'),
    outer_id: l.outerSkuId,
    outer_goods_id: l.outerSkuId.split('-')[0] ?? l.outerSkuId,
    goods_name: l.title,
    goods_spec: l.props,
    goods_count: l.qty,
    goods_price: yuanNumber(l.priceFen),
  }));
}

/** One order as pdd.order.information.get's order_info (and the increment list items) render it. */
export function pddOrderInfo(order: SbOrder, tagName: string | undefined, logisticsIds: Record<string, number>): Wire {
  const s = order.shipment;
  const tag = pddTag(order.flag);
  const goods = order.lines.reduce((n, l) => n + l.priceFen * l.qty, 0);
  return {
    order_sn: order.orderId,
    order_status: pddOrderStatus(order),
    refund_status: pddRefundStatus(order),
    after_sales_status: order.stage === 'closed_refunded' ? 10 : 0,
    confirm_status: 1,
    group_status: 1,
    risk_control_status: 0,
    trade_type: 0,
    created_time: formatPddTime(order.createdAt),
    confirm_time: formatPddTime(order.paidAt ?? order.createdAt),
    pay_time: formatPddTime(order.paidAt ?? order.createdAt),
    updated_at: formatPddTime(order.modifiedAt),
    shipping_time: s ? formatPddTime(s.consignedAt) : '',
    receive_time: order.stage === 'finished' ? formatPddTime(order.modifiedAt) : '',
    last_ship_time: formatPddTime((order.paidAt ?? order.createdAt) + 48 * 3600_000),
    tracking_number: s?.trackingNo ?? '',
    logistics_id: s ? (logisticsIds[s.carrierCode] ?? 0) : 0,
    remark: order.memo,
    remark_tag: tag,
    remark_tag_name: tag === null ? null : (tagName ?? TAG_DEFAULT_NAMES[tag]),
    buyer_memo: order.buyerMessage ?? '',
    ...receiverFields(order),
    pay_amount: yuanNumber(order.totalFen),
    goods_amount: yuanNumber(goods),
    discount_amount: yuanNumber(Math.max(0, goods + order.postFeeFen - order.totalFen)),
    postage: yuanNumber(order.postFeeFen),
    item_list: itemList(order),
  };
}
