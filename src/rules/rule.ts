import type { Decision } from './decisions.js';

/** What a rule sees: an order with its parts, the shop's settings and the time. Plain data only. */
export interface OrderSnapshot {
  orderId: number;
  shopId: number;
  platform: string;
  platformOrderId: string;
  status: string;
  placedAt: Date | null;
  paidAt: Date | null;
  province: string | null;
  sellerMemo: string | null;
  sellerFlag: string;
  erpStatus: string | null;
  buyerRef: string | null;
  shipments: {
    id: number;
    carrierCode: string;
    trackingNo: string;
    consignedAt: Date | null;
    lastEventAt: Date | null;
    lastEventDesc: string | null;
    state: string;
    zone: number | null;
    stallFlag: string | null;
  }[];
}

export interface RuleContext<S = Record<string, unknown>> {
  order: OrderSnapshot;
  settings: S;
  now: Date;
}

/** A rule either fires with decisions or is skipped with the reason an operator can read. */
export type RuleOutcome = { fired: true; decisions: Decision[]; reason: string } | { fired: false; reason: string };

export interface Rule<S = Record<string, unknown>> {
  /** Stable name used in traces and per-rule switches, e.g. 'unpaid.chase'. */
  readonly name: string;
  /** What the rule does, in the operator's words. */
  readonly description: string;
  evaluate(ctx: RuleContext<S>): RuleOutcome;
}

export const fire = (reason: string, ...decisions: Decision[]): RuleOutcome => ({ fired: true, reason, decisions });
export const skip = (reason: string): RuleOutcome => ({ fired: false, reason });
