import type { SandboxContext } from '../../core/contract.js';
import type { SbErpOrder } from '../../core/types.js';
import { JST_LISTS, JST_TIMES } from './jushuitan.constants.js';
import { asObject, bizFail, type ErpLocator } from './jushuitan-erp.locator.js';
import type { JstCall, JstFail, JstOutcome } from './jushuitan-gateway.handler.js';
import { idList, intOf, strOf } from './jushuitan-http.util.js';
import { erpOrigin, jushuitanLogistic, jushuitanOrder, type ErpOrderOrigin } from './jushuitan-order.mapper.js';
import { parseJstTime } from './jushuitan-time.util.js';

interface QueryInput {
  shopId?: string;
  soIds?: string[];
  oIds?: string[];
  from?: number;
  to?: number;
  statuses?: string[];
  startTs?: number;
  pageIndex: number;
  pageSize: number;
}

function readWindow(b: Record<string, unknown>): { from?: number; to?: number } | JstFail {
  const hasBegin = b.modified_begin !== undefined && b.modified_begin !== '';
  const hasEnd = b.modified_end !== undefined && b.modified_end !== '';
  if (hasBegin !== hasEnd) return bizFail('modified_begin和modified_end必须同时存在');
  if (!hasBegin) return {};
  const from = parseJstTime(b.modified_begin);
  const to = parseJstTime(b.modified_end);
  if (from === undefined || to === undefined) return bizFail('时间格式应为yyyy-MM-dd HH:mm:ss');
  if (to < from) return bizFail('modified_end不能早于modified_begin');
  if (to - from > JST_TIMES.maxWindowMs) return bizFail('修改时间间隔不能超过7天');
  return { from, to };
}

function readPaging(b: Record<string, unknown>): { pageIndex: number; pageSize: number } | JstFail {
  const pageIndex = b.page_index === undefined ? 1 : intOf(b.page_index);
  const pageSize = b.page_size === undefined ? JST_LISTS.defaultPageSize : intOf(b.page_size);
  if (pageIndex === undefined || pageIndex < 1) return bizFail('page_index从1开始');
  if (pageSize === undefined || pageSize < 1 || pageSize > JST_LISTS.maxPageSize) return bizFail('page_size不能超过100');
  return { pageIndex, pageSize };
}

function readQuery(biz: unknown): QueryInput | JstFail {
  const b = asObject(biz);
  if (!b) return bizFail('biz必须是对象');
  const soIds = idList(b.so_ids);
  if (soIds && soIds.length > JST_LISTS.maxSoIds) return bizFail('so_ids最多20个');
  const window = readWindow(b);
  if ('error' in window) return window;
  const paging = readPaging(b);
  if ('error' in paging) return paging;
  const startTs = intOf(b.start_ts);
  const oIds = idList(b.o_ids);
  if (window.from === undefined && !soIds?.length && !oIds?.length && startTs === undefined) {
    return bizFail('修改时间、so_ids、o_ids、start_ts至少需要一个');
  }
  const status = strOf(b.status);
  return { shopId: strOf(b.shop_id), soIds, oIds, ...window, statuses: status ? [status] : undefined, startTs, ...paging };
}

/** /open/orders/single/query and /open/logistic/query: rowversion-ordered pages over the ERP's orders. */
export class JushuitanQuery {
  constructor(
    private readonly ctx: SandboxContext,
    private readonly find: ErpLocator,
  ) {}

  orders(call: JstCall): JstOutcome {
    const q = readQuery(call.biz);
    if ('error' in q) return q;
    return { data: this.page(q, this.select(q), jushuitanOrder) };
  }

  /** Only orders that left the warehouse have a waybill; a reship's appears once the ERP ships it. */
  logistics(call: JstCall): JstOutcome {
    const q = readQuery(call.biz);
    if ('error' in q) return q;
    const shipped = this.select(q).filter(({ erp }) => erp.shipment !== undefined);
    return { data: this.page(q, shipped, jushuitanLogistic) };
  }

  /** Reship replacements carry no so_id of their own; they answer to the original order's so_id. */
  private select(q: QueryInput): { erp: SbErpOrder; origin: ErpOrderOrigin }[] {
    const reships = this.find.reshipsByOId();
    const soIds = q.soIds?.length ? new Set(q.soIds) : undefined;
    return this.ctx.world
      .erpOrders({ erpShopId: q.shopId, oIds: q.oIds?.length ? q.oIds : undefined, statuses: q.statuses, modifiedFrom: q.from, modifiedTo: q.to, startTs: q.startTs })
      .map((erp) => ({ erp, origin: erpOrigin(erp, reships) }))
      .filter(({ origin }) => !soIds || soIds.has(origin.soId));
  }

  private page(
    q: QueryInput,
    rows: { erp: SbErpOrder; origin: ErpOrderOrigin }[],
    render: (erp: SbErpOrder, origin: ErpOrderOrigin) => Record<string, unknown>,
  ): Record<string, unknown> {
    const start = (q.pageIndex - 1) * q.pageSize;
    const slice = rows.slice(start, start + q.pageSize);
    return {
      page_size: q.pageSize,
      page_index: q.pageIndex,
      data_count: rows.length,
      page_count: Math.ceil(rows.length / q.pageSize),
      has_next: start + q.pageSize < rows.length,
      orders: slice.map(({ erp, origin }) => render(erp, origin)),
    };
  }
}
