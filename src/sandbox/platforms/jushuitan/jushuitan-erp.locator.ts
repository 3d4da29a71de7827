import type { SandboxContext } from '../../core/contract.js';
import type { SbErpOrder, SbReship } from '../../core/types.js';
import { JST_ERRORS } from './jushuitan.constants.js';
import type { JstFail } from './jushuitan-gateway.handler.js';
import { strOf } from './jushuitan-http.util.js';

export const bizFail = (detail: string): JstFail => ({ error: JST_ERRORS.bizInvalid, detail });

export function asObject(biz: unknown): Record<string, unknown> | undefined {
  return biz && typeof biz === 'object' && !Array.isArray(biz) ? (biz as Record<string, unknown>) : undefined;
}

/** Finds ERP orders by internal id or by online order id, and links reship replacements to their origin. */
export class ErpLocator {
  constructor(private readonly ctx: SandboxContext) {}

  reshipsByOId(): Map<string, SbReship> {
    return new Map(this.ctx.world.reships().map((r) => [r.replacementOId, r]));
  }

  /** The marketplace order's own ERP copy (not a reship) for a so_id, in a shop when one is named. */
  bySoId(soId: string, erpShopId?: string): SbErpOrder | undefined {
    if (erpShopId) return this.ctx.world.erpOrderBySoId(erpShopId, soId);
    return this.ctx.world.erpOrders({ soIds: [soId] }).find((e) => !e.isReship);
  }

  /** `o_id`, or `so_id` (+ optional `shop_id`): whichever the request names. */
  target(b: Record<string, unknown>): SbErpOrder | JstFail {
    const oId = strOf(b.o_id);
    const soId = strOf(b.so_id);
    if (!oId && !soId) return bizFail('o_id和so_id不能同时为空');
    const erp = oId ? this.ctx.world.erpOrder(oId) : this.bySoId(soId ?? '', strOf(b.shop_id));
    return erp ?? { error: JST_ERRORS.notFound };
  }
}
