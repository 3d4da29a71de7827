import { PlatformError } from '../errors.js';
import type { OrderListPage, Shipment } from '../ports/canonical.types.js';
import type { ErpPort } from '../ports/erp.port.js';
import type {
  ErpAddressUpdate,
  ErpOrder,
  ErpOrderQuery,
  ErpRemarkRequest,
  ReshipRequest,
  ReshipResult,
} from '../ports/erp.types.js';
import { formatBeijing } from '../shared/beijing-time.util.js';
import { idString, optionalString, text } from '../shared/lossless-json.util.js';
import { asArray, asRecord } from '../shared/wire-params.util.js';
import type { JushuitanClient } from './jushuitan.client.js';
import { buildAfterSale } from './jushuitan.reship.js';
import { mapJstOrder, mapJstShipment } from './jushuitan.mapper.js';

/** Paths from platforms.md §4.1; address update has no documented path here, hence configurable. */
export const JST_PATHS = {
  orderQuery: '/open/orders/single/query',
  remarkByOnlineId: '/open/webapi/orderapi/modifyorder/saveremark',
  remarkByErpId: '/open/jushuitan/order/remark/upload',
  labels: '/open/jushuitan/order/label/upload',
  question: '/open/webapi/orderapi/questionorder/questions',
  afterSale: '/open/aftersale/upload',
  logistic: '/open/logistic/query',
  // [UNVERIFIED] path: not in the collected docs; override through options.
  addressUpdate: '/open/webapi/orderapi/modifyorder/modifyaddress',
} as const;

export interface JushuitanAdapterOptions {
  paths?: Partial<Record<keyof typeof JST_PATHS, string>>;
}

const MAX_WINDOW_MS = 7 * 86_400_000;

/** o_id is an int in the ERP; send it as a number when it safely is one. */
const oid = (id: string): number | string => (/^\d{1,15}$/.test(id) ? Number(id) : id);

export class JushuitanAdapter implements ErpPort {
  private readonly paths: Record<keyof typeof JST_PATHS, string>;

  constructor(
    private readonly client: JushuitanClient,
    options: JushuitanAdapterOptions = {},
  ) {
    this.paths = { ...JST_PATHS, ...options.paths };
  }

  async listOrders(query: ErpOrderQuery): Promise<OrderListPage<ErpOrder>> {
    const byIds = Boolean(query.onlineOrderIds?.length || query.erpOrderIds?.length);
    if (!byIds && (!query.modifiedStart || !query.modifiedEnd)) throw this.invalid('NO_FILTER', 'ids or a modified window are required');
    if (query.modifiedStart && query.modifiedEnd && query.modifiedEnd.getTime() - query.modifiedStart.getTime() > MAX_WINDOW_MS) {
      throw this.invalid('WINDOW_TOO_LONG', 'orders/single/query spans at most 7 days');
    }
    const page = query.cursor ? Number(/^page:(\d+)$/.exec(query.cursor)?.[1] ?? NaN) : 1;
    if (!Number.isInteger(page) || page < 1) throw this.invalid('BAD_CURSOR', String(query.cursor));
    const data = asRecord(
      await this.client.call(this.paths.orderQuery, {
        shop_id: query.shopId ? oid(query.shopId) : undefined,
        so_ids: query.onlineOrderIds,
        o_ids: query.erpOrderIds?.map(oid),
        modified_begin: query.modifiedStart ? formatBeijing(query.modifiedStart) : undefined,
        modified_end: query.modifiedEnd ? formatBeijing(query.modifiedEnd) : undefined,
        date_type: 0,
        page_index: page,
        page_size: Math.min(query.pageSize ?? 50, 100),
      }),
    );
    const hasNext = data.has_next === true;
    // The order query answers `data.orders` (ieu/jst-java JstQuerySingleOrderResponse), not the `data.datas`
    // other list APIs use (platforms.md §4.1 envelope); either is read.
    return { orders: asArray(data.orders ?? data.datas).map(mapJstOrder), nextCursor: hasNext ? `page:${page + 1}` : null, hasNext };
  }

  async getOrderByOnlineId(shopId: string, onlineOrderId: string): Promise<ErpOrder | null> {
    const page = await this.listOrders({ shopId, onlineOrderIds: [onlineOrderId], pageSize: 20 });
    return page.orders.find((o) => o.onlineOrderId === onlineOrderId) ?? null;
  }

  /** Biz field names for both remark APIs are [UNVERIFIED] beyond the paths. */
  async writeRemark(req: ErpRemarkRequest): Promise<void> {
    const { target } = req;
    if ('erpOrderId' in target) {
      await this.client.call(this.paths.remarkByErpId, { o_id: oid(target.erpOrderId), remark: req.remark, is_append: req.append });
    } else {
      await this.client.call(this.paths.remarkByOnlineId, {
        shop_id: oid(target.shopId),
        so_id: target.onlineOrderId,
        remark: req.remark,
        is_append: req.append,
      });
    }
  }

  async setLabels(erpOrderId: string, add: string[], remove: string[]): Promise<void> {
    await this.client.call(this.paths.labels, { o_id: oid(erpOrderId), labels: add, remove_labels: remove });
  }

  async markQuestion(erpOrderIds: string[], questionType: string, description: string): Promise<void> {
    await this.client.call(this.paths.question, { o_ids: erpOrderIds.map(oid), question_type: questionType, question_desc: description });
  }

  async updateAddress(u: ErpAddressUpdate): Promise<void> {
    await this.client.call(this.paths.addressUpdate, {
      o_id: oid(u.erpOrderId),
      receiver_name: u.receiverName,
      receiver_mobile: u.receiverMobile,
      receiver_state: u.province,
      receiver_city: u.city,
      receiver_district: u.district,
      receiver_address: u.address,
    });
  }

  /**
   * 补发 as an aftersale of type 补发. `outer_as_id` is unique per shop in the ERP, so a repeated
   * filing with the same id returns the first one instead of a second replacement.
   */
  async fileReship(req: ReshipRequest): Promise<ReshipResult> {
    const data = await this.client.call(this.paths.afterSale, [buildAfterSale(req)]);
    const rows = Array.isArray(data) ? data : asArray(asRecord(data).datas);
    const row = asRecord(rows.map(asRecord).find((r) => text(r.outer_as_id) === req.outerAfterSaleId) ?? rows[0]);
    const failed = row.issuccess === false || row.is_success === false;
    return {
      outerAfterSaleId: req.outerAfterSaleId,
      erpAfterSaleId: optionalString(text(row.as_id)),
      accepted: !failed,
      message: optionalString(row.msg),
    };
  }

  /** Waybill, carrier and send time only; the ERP has no carrier trace events. */
  async getShipment(erpOrderId: string): Promise<Shipment | null> {
    const data = asRecord(await this.client.call(this.paths.logistic, { o_ids: [oid(erpOrderId)], page_index: 1, page_size: 20 }));
    for (const row of asArray(data.datas ?? data.orders).map(asRecord)) {
      const s = mapJstShipment(row);
      if (s) return s;
    }
    return null;
  }

  /**
   * A 补发 replacement is an ERP-only order answering to the original so_id; its row in the logistic
   * query carries the aftersale's as_id, which tells it from the original parcel.
   */
  async getReshipShipment(ref: { shopId: string; onlineOrderId: string; erpAfterSaleId: string }): Promise<Shipment | null> {
    const data = asRecord(await this.client.call(this.paths.logistic, { shop_id: oid(ref.shopId), so_ids: [ref.onlineOrderId], page_index: 1, page_size: 20 }));
    const row = asArray(data.datas ?? data.orders).map(asRecord).find((r) => idString(r.as_id) === ref.erpAfterSaleId);
    return row ? mapJstShipment(row) : null;
  }

  private invalid(rawCode: string, rawMessage: string): PlatformError {
    return new PlatformError({ code: 'INVALID_REQUEST', platform: 'jushuitan', rawCode, rawMessage });
  }
}
