import {
  type CanonicalOrder,
  OrderStatus,
  type Shipment,
  type TrackingEvent,
  TrackingState,
} from '../ports/canonical.types.js';
import { parsePlatformTime } from '../shared/beijing-time.util.js';
import { flagTable } from '../shared/flag.util.js';
import { idString, optionalString, text } from '../shared/lossless-json.util.js';
import { yuanToFen } from '../shared/money.util.js';
import { asArray, asRecord } from '../shared/wire-params.util.js';

/** §2.5 order_status: 1 待发货, 2 已发货待签收, 3 已签收. */
const ORDER_STATUS: Readonly<Record<number, OrderStatus>> = {
  1: OrderStatus.AWAITING_SHIPMENT,
  2: OrderStatus.SHIPPED,
  3: OrderStatus.DELIVERED,
};

/**
 * Status from the three PDD fields: a cancelled deal (confirm_status 2) or a completed refund
 * (refund_status 4) override the shipping state; confirm_status 0 means not yet a deal (未成交).
 */
export function pddStatus(order: Record<string, unknown>): OrderStatus {
  const confirm = Number(order.confirm_status ?? 1);
  if (confirm === 2) return OrderStatus.CANCELLED;
  if (Number(order.refund_status ?? 1) === 4) return OrderStatus.CLOSED;
  if (confirm === 0) return OrderStatus.UNPAID;
  return ORDER_STATUS[Number(order.order_status ?? 0)] ?? OrderStatus.UNKNOWN;
}

/** §2.4: tag 1 红 2 黄 3 绿 4 蓝 5 紫; no grey. */
export const PDD_FLAGS = flagTable({ 1: 'red', 2: 'yellow', 3: 'green', 4: 'blue', 5: 'purple' });

/** Maps logistics_id → carrier code/name, from pdd.logistics.companies.get kept in config. */
export type PddCarrierTable = Readonly<Record<string, { code: string; name: string }>>;

function shipment(o: Record<string, unknown>, carriers: PddCarrierTable): Shipment[] {
  const no = optionalString(o.tracking_number);
  if (!no) return [];
  const id = idString(o.logistics_id);
  const carrier = carriers[id];
  return [
    {
      carrierCode: carrier?.code ?? (id || null),
      carrierName: carrier?.name ?? null,
      trackingNo: no,
      consignedAt: parsePlatformTime(o.shipping_time),
    },
  ];
}

/** Maps an order from `order_sn_list` or `order_info`; receiver fields stay ciphertext. */
export function mapPddOrder(wire: unknown, carriers: PddCarrierTable = {}): CanonicalOrder {
  const o = asRecord(wire);
  const province = optionalString(o.province);
  return {
    platform: 'pinduoduo',
    orderId: text(o.order_sn),
    status: pddStatus(o),
    rawStatus: `order_status=${text(o.order_status)};refund_status=${text(o.refund_status)};confirm_status=${text(o.confirm_status)}`,
    createdAt: parsePlatformTime(o.created_time),
    paidAt: parsePlatformTime(o.pay_time ?? o.confirm_time),
    modifiedAt: parsePlatformTime(o.updated_at) ?? new Date(0),
    totalFen: yuanToFen(o.goods_amount),
    paymentFen: yuanToFen(o.pay_amount),
    postFeeFen: yuanToFen(o.postage),
    lines: asArray(o.item_list).map(asRecord).map((i, n) => ({
      lineId: `${text(o.order_sn)}#${n + 1}`,
      productId: optionalString(idString(i.goods_id)),
      skuId: optionalString(idString(i.sku_id)),
      outerSkuId: optionalString(i.outer_id) ?? optionalString(i.outer_goods_id),
      title: text(i.goods_name),
      skuName: optionalString(i.goods_spec),
      quantity: Number(i.goods_count ?? 0),
      priceFen: yuanToFen(i.goods_price),
      paymentFen: null,
    })),
    receiver: {
      name: optionalString(o.receiver_name),
      mobile: optionalString(o.receiver_phone),
      phone: null,
      province,
      city: optionalString(o.city),
      district: optionalString(o.town),
      town: null,
      address: optionalString(o.address) ?? optionalString(o.receiver_address),
      oaid: null,
      form: 'cipher',
    },
    province,
    sellerMemo: optionalString(o.remark),
    flag: PDD_FLAGS.toColour(o.remark_tag),
    buyerMessage: optionalString(o.buyer_memo),
    shipments: shipment(o, carriers),
    refunding: [2, 3].includes(Number(o.refund_status ?? 1)),
  };
}

const TRACE_STATE: ReadonlyArray<[RegExp, TrackingState]> = [
  [/SIGN/i, TrackingState.SIGNED],
  [/GOT|PICK|揽收/i, TrackingState.COLLECTED],
  [/DELIVER|派件|SENT_SCAN/i, TrackingState.DELIVERING],
  [/FAIL|REJECT|问题|异常/i, TrackingState.PROBLEM],
  [/ARRIVAL|DEPARTURE|TRANSPORT|运输/i, TrackingState.IN_TRANSIT],
];

/** `trace_list[{action, desc, status_desc, status_time, time}]` → newest-first events. */
export function mapPddTrace(wire: unknown): TrackingEvent[] {
  return asArray(asRecord(wire).trace_list)
    .map(asRecord)
    .map((s) => {
      const action = text(s.action) || text(s.status_desc);
      return {
        time: parsePlatformTime(s.status_time ?? s.time) ?? new Date(0),
        description: text(s.desc) || text(s.status_desc),
        state: TRACE_STATE.find(([re]) => re.test(action))?.[1] ?? null,
        location: optionalString(s.node_description),
      };
    })
    .sort((a, b) => b.time.getTime() - a.time.getTime());
}
