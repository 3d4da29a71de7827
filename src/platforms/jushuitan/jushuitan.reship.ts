import type { ReshipRequest } from '../ports/erp.types.js';
import { yuanFromFen } from '../shared/money.util.js';

/**
 * One `/open/aftersale/upload` entry of type 补发 (§4.1). Amounts are zero for a replacement; the
 * receiver is only sent when it differs from the original order's. The ERP still needs a manual
 * confirmation of 补发 aftersales ("补发、换货售后单确认时需在系统中手动确认").
 */
export function buildAfterSale(req: ReshipRequest): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    shop_id: /^\d+$/.test(req.shopId) ? Number(req.shopId) : req.shopId,
    outer_as_id: req.outerAfterSaleId,
    so_id: req.onlineOrderId,
    type: '补发',
    shop_status: 'WAIT_SELLER_AGREE',
    good_status: 'BUYER_NOT_RECEIVED',
    question_type: req.reason,
    remark: req.remark ?? req.reason,
    total_amount: 0,
    refund: 0,
    payment: 0,
    items: req.lines.map((l, i) => ({
      outer_oi_id: l.outerLineId ?? `${req.outerAfterSaleId}-${i + 1}`,
      sku_id: l.skuId,
      qty: l.quantity,
      amount: yuanFromFen(l.amountFen ?? 0),
      type: '补发',
      name: l.name,
    })),
  };
  if (req.receiver) {
    Object.assign(entry, {
      receiver_name_en: req.receiver.name,
      receiver_mobile_en: req.receiver.mobile,
      receiver_state: req.receiver.province,
      receiver_city: req.receiver.city,
      receiver_district: req.receiver.district,
      receiver_address: req.receiver.address,
    });
  }
  return entry;
}
