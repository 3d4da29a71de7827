import { PlatformError } from '../errors.js';
import {
  type BuyerMessageRequest,
  type BuyerMessageResult,
  type CanonicalOrder,
  type OrderListPage,
  type OrderListQuery,
  OrderStatus,
  type RemarkWriteRequest,
  type RemarkWriteResult,
  type Shipment,
  type TrackingResult,
  TrackingState,
} from '../ports/canonical.types.js';
import type { MarketplaceCapabilities, MarketplacePort } from '../ports/marketplace.port.js';
import { formatBeijing, parsePlatformTime } from '../shared/beijing-time.util.js';
import { idString, optionalString } from '../shared/lossless-json.util.js';
import { asArray, asRecord } from '../shared/wire-params.util.js';
import type { TaobaoClient } from './taobao.client.js';
import { mapTaobaoTrace, mapTaobaoTrade, taobaoFlagValue } from './taobao.mapper.js';

const TRADE_FIELDS = [
  'tid,status,type,created,pay_time,modified,consign_time,end_time,total_fee,payment,post_fee',
  'seller_memo,seller_flag,buyer_message,buyer_memo,buyer_open_uid,oaid',
  'receiver_name,receiver_state,receiver_city,receiver_district,receiver_town,receiver_address',
  'receiver_mobile,receiver_phone,orders',
].join(',');

const MEMO_MAX_BYTES = 1000;
/** Trades that left the warehouse: their waybill is worth asking the logistics API for. */
const SHIPPED: ReadonlySet<OrderStatus> = new Set([OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.COMPLETED]);
const DEFAULT_PAGE_SIZE = 50;

/** Cursor: the next page number to fetch, walking from the last page back to page 1. */
const cursorOf = (page: number) => `page:${page}`;
const pageOf = (cursor: string) => Number(/^page:(\d+)$/.exec(cursor)?.[1] ?? NaN);

export class TaobaoAdapter implements MarketplacePort {
  readonly platform = 'taobao' as const;
  readonly capabilities: MarketplaceCapabilities = {
    remarkMode: 'replace',
    memoLimit: { unit: 'bytes', max: MEMO_MAX_BYTES },
    tracking: true,
    buyerMessage: true,
    unpaidOrders: true,
  };

  constructor(
    private readonly client: TaobaoClient,
    private readonly sms: { signName: string } = { signName: '' },
  ) {}

  /**
   * Results come newest-modified first, so an order modified while we page moves to page 1 and
   * pushes the rest down: walking from the last page back only ever repeats an order, never skips
   * one (the documented way to avoid 漏单). The first call reads the total to find the last page.
   */
  async listOrders(query: OrderListQuery): Promise<OrderListPage> {
    const pageSize = Math.min(query.pageSize ?? DEFAULT_PAGE_SIZE, 100);
    let page: number;
    if (query.cursor) {
      page = pageOf(query.cursor);
      if (!Number.isInteger(page) || page < 1) throw this.invalid('BAD_CURSOR', `bad cursor ${query.cursor}`);
    } else {
      const first = await this.increment(query, 1, pageSize, false);
      const total = Number(first.total_results ?? 0);
      const last = Math.max(1, Math.ceil(total / pageSize));
      if (last === 1) return { orders: this.trades(first), nextCursor: null, hasNext: false };
      page = last;
    }
    const res = await this.increment(query, page, pageSize, true);
    const hasNext = page > 1;
    return { orders: this.trades(res), nextCursor: hasNext ? cursorOf(page - 1) : null, hasNext };
  }

  async getOrder(orderId: string): Promise<CanonicalOrder> {
    const res = await this.client.call('taobao.trade.fullinfo.get', { fields: TRADE_FIELDS, tid: orderId, include_oaid: true });
    if (!res.trade) throw new PlatformError({ code: 'NOT_FOUND', platform: 'taobao', rawCode: 'NO_TRADE', rawMessage: orderId });
    const order = mapTaobaoTrade(res.trade);
    if (order.shipments.length > 0 || !SHIPPED.has(order.status)) return order;
    return { ...order, shipments: await this.waybill(order.orderId, parsePlatformTime(asRecord(res.trade).consign_time)) };
  }

  /**
   * The Trade carries no waybill we can count on (SDK metadata marks the order-level invoice_no as 暂不提供);
   * the logistics API is where Taobao gives it: trace.search answers with out_sid and company_name (§1.4).
   */
  private async waybill(tid: string, consignedAt: Date | null): Promise<Shipment[]> {
    let res: Record<string, unknown>;
    try {
      res = await this.client.call('taobao.logistics.trace.search', { tid });
    } catch (err) {
      // A trade without logistics (virtual goods, not yet picked up by the system) has no waybill to read.
      if (err instanceof PlatformError && (err.code === 'INVALID_REQUEST' || err.code === 'NOT_FOUND')) return [];
      throw err;
    }
    const trackingNo = optionalString(idString(res.out_sid));
    if (!trackingNo) return [];
    return [{ carrierCode: null, carrierName: optionalString(res.company_name), trackingNo, consignedAt }];
  }

  /** memo.update overwrites; an empty text clears the memo via `reset`. */
  async writeRemark(req: RemarkWriteRequest): Promise<RemarkWriteResult> {
    if (Buffer.byteLength(req.text, 'utf8') > MEMO_MAX_BYTES) throw this.invalid('MEMO_TOO_LONG', 'memo exceeds 1000 bytes');
    const res = await this.client.call('taobao.trade.memo.update', {
      tid: req.orderId,
      memo: req.text === '' ? undefined : req.text,
      reset: req.text === '' ? true : undefined,
      flag: req.flag ? taobaoFlagValue(req.flag) : undefined,
    });
    const trade = asRecord(res.trade);
    return { orderId: req.orderId, mode: 'replace', flag: req.flag ?? null, modifiedAt: parsePlatformTime(trade.modified) };
  }

  /**
   * Only online-send waybills are traced (§1.4): an offline.send waybill reads 对方已签收 right after
   * shipping with no scan behind it. That is not a trace, so null sends the parcel to the tracking
   * service; an online waybill not yet scanned is a trace with no events.
   */
  async getTracking(orderId: string, shipment: Shipment): Promise<TrackingResult | null> {
    const res = await this.client.call('taobao.logistics.trace.search', { tid: orderId });
    const events = mapTaobaoTrace(res);
    const signed = events.some((e) => e.state === TrackingState.SIGNED);
    if (!signed && /签收/.test(optionalString(res.status) ?? '')) return null;
    return {
      carrierCode: shipment.carrierCode,
      trackingNo: optionalString(idString(res.out_sid)) ?? shipment.trackingNo,
      state: events[0]?.state ?? TrackingState.PENDING,
      signed,
      events,
    };
  }

  /** 聚石塔 SMS by OAID; whether 催付 is an allowed template scene is [UNVERIFIED]. */
  async sendBuyerMessage(req: BuyerMessageRequest): Promise<BuyerMessageResult> {
    const res = await this.client.call('taobao.jst.sms.oaid.message.send', {
      order_id: req.orderId,
      oaid: req.recipientRef,
      sms_free_sign_name: req.signName ?? this.sms.signName,
      template_code: req.templateCode,
      params: req.params,
    });
    const result = asRecord(res.result ?? res);
    const sent = result.success !== false && result.successful !== false;
    return { sent, messageId: optionalString(result.biz_id) ?? optionalString(result.module) };
  }

  private increment(query: OrderListQuery, page: number, pageSize: number, useHasNext: boolean) {
    return this.client.call('taobao.trades.sold.increment.get', {
      fields: TRADE_FIELDS,
      start_modified: formatBeijing(query.start),
      end_modified: formatBeijing(query.end),
      page_no: page,
      page_size: pageSize,
      use_has_next: useHasNext,
    });
  }

  private trades(res: Record<string, unknown>): CanonicalOrder[] {
    const raw = res.trades;
    const list = Array.isArray(raw) ? raw : asArray(asRecord(raw).trade);
    return list.map(mapTaobaoTrade);
  }

  private invalid(rawCode: string, rawMessage: string): PlatformError {
    return new PlatformError({ code: 'INVALID_REQUEST', platform: 'taobao', rawCode, rawMessage });
  }
}
