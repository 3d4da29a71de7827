import { type CanonicalOrder, type FlagColour, type OrderLine, OrderStatus, type Shipment } from '../ports/canonical.types.js';
import { parsePlatformTime } from '../shared/beijing-time.util.js';
import { flagTable } from '../shared/flag.util.js';
import { idString, optionalString, text } from '../shared/lossless-json.util.js';
import { fenValue } from '../shared/money.util.js';
import { asArray, asRecord } from '../shared/wire-params.util.js';

/** §3.4 status: 10 待付款, 30 已付款, 40 已发货, 50 已签收, 70 订单成功, 80 订单失败 (incl. cancel). */
export const KS_STATUS: Readonly<Record<number, OrderStatus>> = {
  10: OrderStatus.UNPAID,
  30: OrderStatus.AWAITING_SHIPMENT,
  40: OrderStatus.SHIPPED,
  50: OrderStatus.DELIVERED,
  70: OrderStatus.COMPLETED,
  80: OrderStatus.CLOSED,
};

/** note.add flag: 0 不插旗, 1 RED … 6 GREY. */
export const KS_FLAGS = flagTable({ 0: 'none', 1: 'red', 2: 'yellow', 3: 'green', 4: 'blue', 5: 'purple', 6: 'grey' });

/** Read side: `flagTagCode` on order notes, e.g. `red_flag_tag_order`. */
function flagFromTag(code: unknown): FlagColour {
  const m = /^(red|yellow|green|blue|purple|grey)_flag_tag_order$/.exec(text(code));
  return m ? (m[1] as FlagColour) : 'none';
}

function items(o: Record<string, unknown>): Record<string, unknown>[] {
  const raw = o.orderItemInfo ?? o.orderItemInfoList;
  return (Array.isArray(raw) ? raw : raw ? [raw] : []).map(asRecord);
}

function mapLine(i: Record<string, unknown>): OrderLine {
  return {
    lineId: idString(i.orderItemId) || idString(i.skuId),
    productId: optionalString(idString(i.itemId)),
    skuId: optionalString(idString(i.skuId)),
    outerSkuId: optionalString(i.skuNick) ?? optionalString(i.goodsCode),
    title: text(i.itemTitle),
    skuName: optionalString(i.skuDesc),
    quantity: Number(i.num ?? 0),
    priceFen: fenValue(i.price ?? i.originalPrice),
    paymentFen: null,
  };
}

function shipments(o: Record<string, unknown>): Shipment[] {
  const base = asRecord(o.orderBaseInfo);
  return asArray(o.orderLogisticsInfo)
    .map(asRecord)
    .filter((l) => text(l.expressNo) !== '')
    .map((l) => ({
      carrierCode: optionalString(idString(l.expressCode)),
      carrierName: optionalString(l.expressName),
      trackingNo: text(l.expressNo),
      consignedAt: parsePlatformTime(base.sendTime),
    }));
}

/**
 * Maps an order from cursor.list or detail. Notes are append-only and returned latest first:
 * the memo is rebuilt oldest first so it reads like the other platforms' memo.
 */
export function mapKsOrder(wire: unknown): CanonicalOrder {
  const o = asRecord(wire);
  const base = asRecord(o.orderBaseInfo);
  const addr = asRecord(o.orderAddress);
  const notes = asArray(asRecord(o.orderNote).orderNoteInfo).map(asRecord);
  const status = Number(base.status ?? 0);
  const encrypted = text(addr.encryptedMobile) !== '';
  const province = optionalString(addr.province);
  return {
    platform: 'kuaishou',
    orderId: idString(base.oid),
    status: KS_STATUS[status] ?? OrderStatus.UNKNOWN,
    rawStatus: String(status),
    createdAt: parsePlatformTime(base.createTime),
    paidAt: parsePlatformTime(base.payTime),
    modifiedAt: parsePlatformTime(base.updateTime) ?? new Date(0),
    totalFen: fenValue(base.totalFee) + fenValue(base.discountFee),
    paymentFen: fenValue(base.totalFee),
    postFeeFen: fenValue(base.expressFee),
    lines: items(o).map(mapLine),
    receiver: {
      name: optionalString(encrypted ? addr.encryptedConsignee : (addr.desensitiseConsignee ?? addr.consignee)),
      mobile: optionalString(encrypted ? addr.encryptedMobile : (addr.desensitiseMobile ?? addr.mobile)),
      phone: null,
      province,
      city: optionalString(addr.city),
      district: optionalString(addr.district),
      town: optionalString(addr.town),
      address: optionalString(encrypted ? addr.encryptedAddress : (addr.desensitiseAddress ?? addr.address)),
      oaid: null,
      form: encrypted ? 'cipher' : 'masked',
    },
    province,
    sellerMemo: notes.length ? notes.map((n) => text(n.note)).reverse().join('\n') : null,
    flag: notes.length ? flagFromTag(notes[0].flagTagCode) : 'none',
    buyerMessage: optionalString(base.remark),
    shipments: shipments(o),
    refunding: asArray(o.orderRefundList).length > 0,
  };
}
