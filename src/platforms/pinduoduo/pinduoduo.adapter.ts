import { PlatformError } from '../errors.js';
import {
  type BuyerMessageResult,
  type CanonicalOrder,
  type OrderListPage,
  type OrderListQuery,
  type RemarkWriteRequest,
  type RemarkWriteResult,
  type Shipment,
  type TrackingResult,
  TrackingState,
} from '../ports/canonical.types.js';
import type { MarketplaceCapabilities, MarketplacePort } from '../ports/marketplace.port.js';
import { text } from '../shared/lossless-json.util.js';
import { asArray } from '../shared/wire-params.util.js';
import type { PinduoduoClient } from './pinduoduo.client.js';
import { translatePddError } from './pinduoduo.errors.js';
import { mapPddOrder, mapPddTrace, PDD_FLAGS, type PddCarrierTable } from './pinduoduo.mapper.js';

const MAX_WINDOW_MS = 30 * 60_000;
const DEFAULT_PAGE_SIZE = 100;
const FLAG_LABEL: Record<string, string> = { red: '红旗', yellow: '黄旗', green: '绿旗', blue: '蓝旗', purple: '紫旗' };

export interface PinduoduoAdapterOptions {
  carriers?: PddCarrierTable;
}

export class PinduoduoAdapter implements MarketplacePort {
  readonly platform = 'pinduoduo' as const;
  readonly capabilities: MarketplaceCapabilities = {
    remarkMode: 'replace',
    // The note length limit is not documented [UNVERIFIED]; only tag_name's 3 chars is.
    memoLimit: null,
    tracking: true,
    buyerMessage: false,
    unpaidOrders: false,
  };

  constructor(
    private readonly client: PinduoduoClient,
    private readonly options: PinduoduoAdapterOptions = {},
  ) {}

  /** pdd.time.get: order windows must end 3 minutes before this (FAQ §2.6), whatever our clock says. */
  platformTime(): Promise<Date> {
    return this.client.serverTime();
  }

  /**
   * Newest-updated first, so pages are walked from the last back to the first (FAQ §2.6); the first
   * call asks for the total without use_has_next. The caller keeps `end` ≤ PDD time − 3 min.
   */
  async listOrders(query: OrderListQuery): Promise<OrderListPage> {
    if (query.end.getTime() - query.start.getTime() > MAX_WINDOW_MS) {
      throw this.invalid('WINDOW_TOO_LONG', 'pdd.order.number.list.increment.get spans at most 30 minutes');
    }
    const pageSize = Math.min(query.pageSize ?? DEFAULT_PAGE_SIZE, 100);
    let page: number;
    if (query.cursor) {
      page = Number(/^page:(\d+)$/.exec(query.cursor)?.[1] ?? NaN);
      if (!Number.isInteger(page) || page < 1) throw this.invalid('BAD_CURSOR', query.cursor);
    } else {
      const first = await this.increment(query, 1, pageSize, false);
      const last = Math.max(1, Math.ceil(Number(first.total_count ?? 0) / pageSize));
      if (last === 1) return { orders: this.orders(first), nextCursor: null, hasNext: false };
      page = last;
    }
    const res = await this.increment(query, page, pageSize, true);
    return { orders: this.orders(res), nextCursor: page > 1 ? `page:${page - 1}` : null, hasNext: page > 1 };
  }

  async getOrder(orderId: string): Promise<CanonicalOrder> {
    const res = await this.client.call('pdd.order.information.get', 'order_info_get_response', { order_sn: orderId });
    if (!res.order_info) throw new PlatformError({ code: 'NOT_FOUND', platform: 'pinduoduo', rawCode: 'NO_ORDER', rawMessage: orderId });
    return mapPddOrder(res.order_info, this.options.carriers);
  }

  /** note.update overwrites; tag and tag_name travel together or not at all, and there is no grey. */
  async writeRemark(req: RemarkWriteRequest): Promise<RemarkWriteResult> {
    const tag = req.flag ? PDD_FLAGS.toPlatform(req.flag) : null;
    const tagName = tag ? (req.flagLabel ?? FLAG_LABEL[req.flag ?? ''] ?? '').slice(0, 3) : undefined;
    const res = await this.client.call('pdd.order.note.update', 'response', {
      order_sn: req.orderId,
      note: req.text,
      tag: tag ?? undefined,
      tag_name: tagName,
    });
    if (res.success === false) {
      const t = translatePddError({ error_code: text(res.error_code), error_msg: text(res.error_msg) });
      throw new PlatformError({ ...t, platform: 'pinduoduo', api: 'pdd.order.note.update' });
    }
    return { orderId: req.orderId, mode: 'replace', flag: tag ? (req.flag ?? null) : null, modifiedAt: null };
  }

  async getTracking(_orderId: string, shipment: Shipment): Promise<TrackingResult | null> {
    if (!shipment.carrierCode) return null;
    // The response key is misspelt by the platform ("resposne").
    const res = await this.client.call('pdd.logistics.ordertrace.get', 'logistics_ordertrace_get_resposne', {
      company_code: shipment.carrierCode,
      mail_no: shipment.trackingNo,
    });
    // A waybill not scanned yet is still PDD's to trace: an empty trace, not "use the tracking service".
    const events = mapPddTrace(res);
    return {
      carrierCode: shipment.carrierCode,
      trackingNo: shipment.trackingNo,
      state: events[0]?.state ?? TrackingState.PENDING,
      signed: events.some((e) => e.state === TrackingState.SIGNED),
      events,
    };
  }

  /** No buyer channel is wired for PDD (scenario rules unresearched): reminders become agent tasks. */
  async sendBuyerMessage(): Promise<BuyerMessageResult> {
    return { sent: false, unsupported: true, messageId: null };
  }

  private increment(query: OrderListQuery, page: number, pageSize: number, useHasNext: boolean) {
    return this.client.call('pdd.order.number.list.increment.get', 'order_sn_increment_get_response', {
      start_updated_at: Math.floor(query.start.getTime() / 1000),
      end_updated_at: Math.floor(query.end.getTime() / 1000),
      order_status: 5,
      refund_status: 5,
      page,
      page_size: pageSize,
      use_has_next: useHasNext,
    });
  }

  private orders(res: Record<string, unknown>): CanonicalOrder[] {
    return asArray(res.order_sn_list).map((o) => mapPddOrder(o, this.options.carriers));
  }

  private invalid(rawCode: string, rawMessage: string): PlatformError {
    return new PlatformError({ code: 'INVALID_REQUEST', platform: 'pinduoduo', rawCode, rawMessage });
  }
}
