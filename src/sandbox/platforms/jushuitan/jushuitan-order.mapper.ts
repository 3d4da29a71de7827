import { LosslessNumber } from 'lossless-json';
import type { SbErpOrder, SbLine, SbReship } from '../../core/types.js';
import { JST_LC_IDS } from './jushuitan.constants.js';
import { erpReceiverView } from './jushuitan-privacy.mapper.js';
import { jstTime } from './jushuitan-time.util.js';

export function idNumber(id: string): LosslessNumber | string {
  return /^\d+$/.test(id) ? new LosslessNumber(id) : id;
}

const yuan = (fen: number): number => Math.round(fen) / 100;

/** Where an ERP order came from; reship replacements are ERP-only orders linked to the original so_id. */
export interface ErpOrderOrigin {
  soId: string;
  reship?: SbReship;
}

export function erpOrigin(erp: SbErpOrder, reshipsByOId: Map<string, SbReship>): ErpOrderOrigin {
  const reship = reshipsByOId.get(erp.oId);
  return { soId: erp.soId || reship?.soId || '', reship };
}

function item(erp: SbErpOrder, line: SbLine, soId: string): Record<string, unknown> {
  return {
    oi_id: idNumber(line.lineId),
    outer_oi_id: line.lineId,
    sku_id: line.outerSkuId,
    shop_sku_id: line.skuId,
    name: line.title,
    properties_value: line.props,
    qty: line.qty,
    price: yuan(line.priceFen),
    amount: yuan(line.priceFen * line.qty),
    raw_so_id: soId,
    is_gift: false,
    item_status: erp.status,
  };
}

export function logisticsFields(erp: SbErpOrder): Record<string, unknown> {
  const s = erp.shipment;
  return {
    l_id: s?.trackingNo ?? '',
    lc_id: s ? (JST_LC_IDS[s.carrierCode] ?? s.carrierCode.toUpperCase()) : '',
    logistics_company: s?.carrierName ?? '',
    send_date: s ? jstTime(s.consignedAt) : '',
  };
}

/** One order of /open/orders/single/query. */
export function jushuitanOrder(erp: SbErpOrder, origin: ErpOrderOrigin): Record<string, unknown> {
  const amount = yuan(erp.lines.reduce((sum, l) => sum + l.priceFen * l.qty, 0));
  return {
    o_id: idNumber(erp.oId),
    so_id: origin.soId,
    shop_id: idNumber(erp.erpShopId),
    status: erp.status,
    type: erp.isReship ? '补发订单' : '普通订单',
    order_from: erp.platform ?? 'ERP',
    as_id: origin.reship ? idNumber(origin.reship.asId) : null,
    question_type: erp.questionType ?? '',
    question_desc: erp.questionDesc ?? '',
    remark: erp.remark,
    node: '',
    labels: erp.labels.join(','),
    ...erpReceiverView(erp, origin.soId),
    ...logisticsFields(erp),
    pay_amount: amount,
    paid_amount: amount,
    freight: 0,
    is_cod: false,
    modified: jstTime(erp.modifiedAt),
    ts: erp.ts,
    items: erp.lines.map((l) => item(erp, l, origin.soId)),
  };
}

/** One order of /open/logistic/query: shipment facts only, no carrier trace. */
export function jushuitanLogistic(erp: SbErpOrder, origin: ErpOrderOrigin): Record<string, unknown> {
  return {
    o_id: idNumber(erp.oId),
    shop_id: idNumber(erp.erpShopId),
    so_id: origin.soId,
    as_id: origin.reship ? idNumber(origin.reship.asId) : null,
    ...logisticsFields(erp),
    freight: 0,
    weight: 0,
    items: erp.lines.map((l) => ({ sku_id: l.outerSkuId, qty: l.qty, outer_oi_id: l.lineId, raw_so_id: origin.soId, o_id: erp.oId })),
  };
}
