import { PlatformError } from '../errors.js';
import type {
  BuyerMessageRequest,
  BuyerMessageResult,
  CanonicalOrder,
  OrderListPage,
  OrderListQuery,
  RemarkWriteRequest,
  RemarkWriteResult,
  TrackingResult,
} from '../ports/canonical.types.js';
import type { MarketplaceCapabilities, MarketplacePort } from '../ports/marketplace.port.js';
import { optionalString, text } from '../shared/lossless-json.util.js';
import { asArray, asRecord } from '../shared/wire-params.util.js';
import type { KuaishouClient } from './kuaishou.client.js';
import { KS_FLAGS, mapKsOrder } from './kuaishou.mapper.js';

const MAX_WINDOW_MS = 7 * 86_400_000;
const NOTE_MAX_CHARS = 200;
/** The list cursor's end marker. */
const NO_MORE = 'nomore';

export interface KuaishouAdapterOptions {
  /** SMS signature id for open.sms.send; its parameter names are [UNVERIFIED]. */
  smsSignId?: string;
  staffId?: string;
}

export class KuaishouAdapter implements MarketplacePort {
  readonly platform = 'kuaishou' as const;
  readonly capabilities: MarketplaceCapabilities = {
    remarkMode: 'append',
    memoLimit: { unit: 'chars', max: NOTE_MAX_CHARS },
    tracking: false,
    buyerMessage: true,
    unpaidOrders: true,
  };

  constructor(
    private readonly client: KuaishouClient,
    private readonly options: KuaishouAdapterOptions = {},
  ) {}

  /** By update time (queryType 2), all statuses (orderViewStatus 1), span ≤ 7 days, cursor paging. */
  async listOrders(query: OrderListQuery): Promise<OrderListPage> {
    if (query.end.getTime() - query.start.getTime() > MAX_WINDOW_MS) {
      throw this.invalid('WINDOW_TOO_LONG', 'open.order.cursor.list spans at most 7 days');
    }
    const data = asRecord(
      await this.client.call('open.order.cursor.list', 'GET', {
        orderViewStatus: 1,
        pageSize: Math.min(query.pageSize ?? 50, 50),
        sort: query.oldestFirst ? 2 : 1,
        queryType: 2,
        beginTime: query.start.getTime(),
        endTime: query.end.getTime(),
        cpsType: 0,
        cursor: query.cursor ?? '',
      }),
    );
    const next = text(data.cursor);
    const hasNext = next !== '' && next !== NO_MORE;
    return { orders: asArray(data.orderList).map(mapKsOrder), nextCursor: hasNext ? next : null, hasNext };
  }

  async getOrder(orderId: string): Promise<CanonicalOrder> {
    const data = await this.client.call('open.order.detail', 'GET', { oid: orderId });
    if (!data) throw new PlatformError({ code: 'NOT_FOUND', platform: 'kuaishou', rawCode: 'NO_ORDER', rawMessage: orderId });
    return mapKsOrder(data);
  }

  /** Notes only append and a flag cannot be cleared: `text` is the new line, not the whole memo. */
  async writeRemark(req: RemarkWriteRequest): Promise<RemarkWriteResult> {
    if ([...req.text].length > NOTE_MAX_CHARS) throw this.invalid('NOTE_TOO_LONG', 'note exceeds 200 characters');
    await this.client.call('open.seller.order.note.add', 'POST', {
      orderId: req.orderId,
      note: req.text,
      flag: req.flag ? (KS_FLAGS.toPlatform(req.flag) ?? 0) : 0,
      staffId: this.options.staffId,
    });
    return { orderId: req.orderId, mode: 'append', flag: req.flag && req.flag !== 'none' ? req.flag : null, modifiedAt: null };
  }

  /** No merchant trace API exists: the carrier-tracking service covers Kuaishou. */
  async getTracking(): Promise<TrackingResult | null> {
    return null;
  }

  async sendBuyerMessage(req: BuyerMessageRequest): Promise<BuyerMessageResult> {
    const data = asRecord(
      await this.client.call('open.sms.send', 'POST', {
        signId: req.signName ?? this.options.smsSignId,
        templateId: req.templateCode,
        templateParam: JSON.stringify(req.params),
        mobile: req.recipientRef,
      }),
    );
    return { sent: true, messageId: optionalString(data.messageId) };
  }

  private invalid(rawCode: string, rawMessage: string): PlatformError {
    return new PlatformError({ code: 'INVALID_REQUEST', platform: 'kuaishou', rawCode, rawMessage });
  }
}
