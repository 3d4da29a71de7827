import { OrderStatus, type Shipment } from '../ports/canonical.types.js';
import { ErpStage, type ErpOrder } from '../ports/erp.types.js';
import { parsePlatformTime } from '../shared/beijing-time.util.js';
import { idString, optionalString, text } from '../shared/lossless-json.util.js';
import { yuanToFen } from '../shared/money.util.js';
import { asArray, asRecord } from '../shared/wire-params.util.js';

type StatusPair = readonly [OrderStatus, ErpStage];

/**
 * §4.1 status strings. WaitConfirm (已付款待审核) is the last state where a remark may go straight
 * into the ERP; WaitFConfirm (已客审待财审) and later are audited. The [3P] extras are mapped too.
 */
export const JST_STATUS: Readonly<Record<string, StatusPair>> = {
  WaitPay: [OrderStatus.UNPAID, ErpStage.WAIT_PAY],
  WaitConfirm: [OrderStatus.AWAITING_SHIPMENT, ErpStage.WAIT_AUDIT],
  Question: [OrderStatus.AWAITING_SHIPMENT, ErpStage.QUESTION],
  WaitFConfirm: [OrderStatus.AWAITING_SHIPMENT, ErpStage.AUDITED],
  Delivering: [OrderStatus.AWAITING_SHIPMENT, ErpStage.AUDITED],
  WaitOuterSent: [OrderStatus.AWAITING_SHIPMENT, ErpStage.AUDITED],
  Lock: [OrderStatus.AWAITING_SHIPMENT, ErpStage.UNKNOWN],
  Sent: [OrderStatus.SHIPPED, ErpStage.SENT],
  OuterSent: [OrderStatus.SHIPPED, ErpStage.SENT],
  Finished: [OrderStatus.COMPLETED, ErpStage.FINISHED],
  Cancelled: [OrderStatus.CANCELLED, ErpStage.CANCELLED],
  Delete: [OrderStatus.CANCELLED, ErpStage.CANCELLED],
  Disabled: [OrderStatus.CANCELLED, ErpStage.CANCELLED],
  SentCancelled: [OrderStatus.CANCELLED, ErpStage.CANCELLED],
  Merged: [OrderStatus.CLOSED, ErpStage.MERGED],
  Split: [OrderStatus.CLOSED, ErpStage.SPLIT],
};

/** Shipment fields on an order or a logistic/query row: `l_id` waybill, `lc_id` carrier code. */
export function mapJstShipment(row: Record<string, unknown>): Shipment | null {
  const no = optionalString(row.l_id);
  if (!no) return null;
  return {
    carrierCode: optionalString(row.lc_id),
    carrierName: optionalString(row.logistics_company),
    trackingNo: no,
    consignedAt: parsePlatformTime(row.send_date),
  };
}

/** Maps an order row of /open/orders/single/query (field names per the ieu SDK spec; amounts in yuan). */
export function mapJstOrder(wire: unknown): ErpOrder {
  const o = asRecord(wire);
  const rawStatus = text(o.status);
  const [status, stage] = JST_STATUS[rawStatus] ?? [OrderStatus.UNKNOWN, ErpStage.UNKNOWN];
  const labels = text(o.labels);
  return {
    erpOrderId: idString(o.o_id),
    onlineOrderId: text(o.so_id),
    shopId: idString(o.shop_id),
    status,
    stage,
    rawStatus,
    questionType: optionalString(o.question_type),
    orderedAt: parsePlatformTime(o.order_date),
    modifiedAt: parsePlatformTime(o.modified),
    paymentFen: yuanToFen(o.pay_amount),
    freightFen: yuanToFen(o.freight),
    remark: optionalString(o.remark),
    buyerMessage: optionalString(o.buyer_message),
    labels: labels ? labels.split(',').map((l) => l.trim()).filter(Boolean) : [],
    lines: asArray(o.items).map(asRecord).map((i) => ({
      lineId: idString(i.oi_id) || idString(i.outer_oi_id),
      productId: optionalString(i.i_id),
      skuId: optionalString(idString(i.sku_id)),
      outerSkuId: optionalString(idString(i.sku_id)),
      title: text(i.name),
      skuName: optionalString(i.properties_value),
      quantity: Number(i.qty ?? 0),
      priceFen: yuanToFen(i.price),
      paymentFen: i.amount === undefined ? null : yuanToFen(i.amount),
    })),
    receiver: {
      name: optionalString(o.receiver_name),
      mobile: optionalString(o.receiver_mobile),
      phone: optionalString(o.receiver_phone),
      province: optionalString(o.receiver_state),
      city: optionalString(o.receiver_city),
      district: optionalString(o.receiver_district),
      town: null,
      address: optionalString(o.receiver_address),
      oaid: null,
      form: 'unknown',
    },
    shipment: mapJstShipment(o),
    afterSaleId: optionalString(idString(o.as_id)),
    rowVersion: optionalString(idString(o.ts)),
  };
}
