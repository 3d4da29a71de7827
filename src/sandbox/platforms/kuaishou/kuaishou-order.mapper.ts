import { createHash } from 'node:crypto';
import { LosslessNumber } from 'lossless-json';
import type { SbFlag, SbMemoEntry, SbOrder, SbOrderStage, SbShop } from '../../core/types.js';
import { KS_EXPRESS_CODES, KS_LISTS, KS_TIMES } from './kuaishou.constants.js';
import { kuaishouAddress } from './kuaishou-privacy.mapper.js';

/** Order status codes: 10 待付款, 30 已付款, 40 已发货, 50 已签收, 70 订单成功, 80 订单失败 (cancel → 80). */
export function kuaishouStatus(stage: SbOrderStage): number {
  switch (stage) {
    case 'unpaid':
      return 10;
    case 'paid':
      return 30;
    case 'shipped':
      return 40;
    case 'delivered':
      return 50;
    case 'finished':
      return 70;
    case 'closed_unpaid':
    case 'closed_refunded':
      return 80;
  }
}

/** orderViewStatus 1 全部, 2 待付款, 3 待发货, 4 待收货, 5 已收货, 6 交易成功, 7 已关闭. */
const VIEW_TO_STATUS: Record<number, number | undefined> = { 1: undefined, 2: 10, 3: 30, 4: 40, 5: 50, 6: 70, 7: 80 };

export function isKnownViewStatus(view: number): boolean {
  return Object.prototype.hasOwnProperty.call(VIEW_TO_STATUS, view);
}

export function matchesViewStatus(view: number, order: SbOrder): boolean {
  const wanted = VIEW_TO_STATUS[view];
  return wanted === undefined || wanted === kuaishouStatus(order.stage);
}

/** note.add flag: 0 不插旗, 1 RED, 2 YELLOW, 3 GREEN, 4 BLUE, 5 PURPLE, 6 GREY. */
const FLAG_BY_CODE: (SbFlag | undefined)[] = [undefined, 'red', 'yellow', 'green', 'blue', 'purple', 'grey'];

export function flagFromCode(code: number): SbFlag | undefined {
  return FLAG_BY_CODE[code];
}

/** flagTagCode; a note without a colour shows grey, the platform's default. */
export function flagTagCode(flag: SbFlag): string {
  return `${flag === 'none' ? 'grey' : flag}_flag_tag_order`;
}

/** Numeric ids go out as JSON numbers without passing through a double (some exceed 2^53). */
export function idNumber(id: string): LosslessNumber | string {
  return /^\d+$/.test(id) ? new LosslessNumber(id) : id;
}

/** The seller's open id as the platform would show it to this app: stable per app and seller. */
export function sellerOpenId(shop: Pick<SbShop, 'shopId' | 'appKey'>): string {
  return `f19${createHash('md5').update(`${shop.appKey}:${shop.shopId}`).digest('hex')}`;
}

function noteInfo(history: SbMemoEntry[]): Record<string, unknown>[] {
  return history
    .slice()
    .reverse()
    .slice(0, KS_LISTS.noteInfoMax)
    .map((e) => ({
      createTime: e.time,
      note: e.text,
      flagTagCode: flagTagCode(e.flag),
      operatorName: e.by.startsWith('human:') ? e.by.slice('human:'.length) : '开放平台',
    }));
}

function baseInfo(order: SbOrder, shop: SbShop | undefined): Record<string, unknown> {
  const paidAt = order.paidAt ?? 0;
  return {
    oid: idNumber(order.orderId),
    payTime: paidAt,
    buyerImage: '',
    buyerOpenId: order.buyerOpenUid,
    buyerNick: order.buyerNick,
    sellerOpenId: shop ? sellerOpenId(shop) : '',
    sellerNick: shop?.name ?? '',
    expressFee: order.postFeeFen,
    discountFee: 0,
    totalFee: order.totalFen,
    status: kuaishouStatus(order.stage),
    sendTime: order.shipment?.consignedAt ?? 0,
    refundTime: order.stage === 'closed_refunded' ? (order.closedAt ?? 0) : 0,
    createTime: order.createdAt,
    updateTime: order.modifiedAt,
    remark: order.buyerMessage ?? '',
    theDayOfDeliverGoodsTime: 2,
    validPromiseShipmentTimeStamp: paidAt ? paidAt + KS_TIMES.promiseShipMs : 0,
    cpsType: 1,
    preSale: 0,
    recvTime: 0,
    payType: paidAt ? 1 : 0,
    riskCode: 0,
  };
}

/** Kuaishou orders carry one SKU each; the first line is the order's item. */
function itemInfo(order: SbOrder): Record<string, unknown> {
  const line = order.lines[0];
  if (!line) return {};
  return {
    skuId: idNumber(line.skuId),
    relSkuId: 0,
    skuDesc: line.props,
    skuNick: line.outerSkuId,
    relItemId: 0,
    itemTitle: line.title,
    itemLinkUrl: '',
    itemPicUrl: '',
    num: line.qty,
    originalPrice: line.priceFen,
    discountFee: 0,
    price: line.priceFen,
    itemType: 1,
    goodsCode: line.outerSkuId,
    orderItemId: idNumber(line.lineId),
  };
}

function logisticsInfo(order: SbOrder): Record<string, unknown>[] {
  const s = order.shipment;
  if (!s) return [];
  const logisticsId = createHash('md5').update(s.trackingNo).digest().readUInt32BE(0);
  return [{ expressNo: s.trackingNo, expressCode: KS_EXPRESS_CODES[s.carrierCode] ?? 9999, logisticsId }];
}

/** One entry of open.order.cursor.list `orderList`, also the body of open.order.detail. */
export function kuaishouOrder(order: SbOrder, shop: SbShop | undefined): Record<string, unknown> {
  return {
    orderBaseInfo: baseInfo(order, shop),
    orderItemInfo: itemInfo(order),
    orderRefundList: [],
    orderLogisticsInfo: logisticsInfo(order),
    orderNote: { orderNoteInfo: noteInfo(order.memoHistory) },
    orderAddress: kuaishouAddress(order),
  };
}
