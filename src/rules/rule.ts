import type { RemarkFields, RemarkKind } from '../remarks/remark-kinds.js';
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
    stalledAt: Date | null;
  }[];
  /** When each unpaid-order reminder for this order was sent, oldest first. */
  reminders: Date[];
  /** The stored order's version (a change bumps it). */
  version?: number;
  /** An after-sale case (refund, return) is under way on the platform. */
  refunding?: boolean;
  /** Why the ERP holds the order as a question (缺货, …); null when it does not. */
  erpQuestion?: string | null;
  /** What the buyer paid, in fen (the order total when the platform gives no payment). */
  amountFen?: number;
  /** The order's tasks opened under a key, and whether each is unfinished: a rule closes its own once the cause is gone. */
  tasks?: { key: string; open: boolean }[];
  /** Hashes of the memo lines whose reroute is already listed (handled while the order waited to ship). */
  reroutedLines?: string[];
  /** Remark requests from agents not yet handed to the outbox for some target. */
  remarkRequests?: PendingRemarkRequest[];
}

export interface PendingRemarkRequest {
  id: number;
  kind: RemarkKind;
  agentId: string;
  /** Shanghai date of the request, written in its line. */
  date: string;
  /** Non-address fields; an address change's fields stay sealed in the request. */
  fields: RemarkFields | null;
  marketplaceStaged: boolean;
  erpStaged: boolean;
}

export interface BuyerFacts {
  /** Reminders this buyer received from the shop in the last 24 hours (any order). */
  remindersLast24h: number;
  /** On the shop's do-not-chase list. */
  doNotChase: boolean;
}

export interface RuleContext<S = Record<string, unknown>> {
  order: OrderSnapshot;
  settings: S;
  now: Date;
  buyer?: BuyerFacts;
}

/**
 * A rule either fires with decisions or is skipped with the reason an operator can read.
 * `nextCheckAt` tells the scheduler when the answer may change, so scans read only due orders.
 */
export type RuleOutcome =
  | { fired: true; decisions: Decision[]; reason: string; nextCheckAt?: Date }
  | { fired: false; reason: string; nextCheckAt?: Date };

export interface Rule<S = Record<string, unknown>> {
  /** Stable name used in traces and per-rule switches, e.g. 'unpaid.chase'. */
  readonly name: string;
  /** What the rule does, in the operator's words. */
  readonly description: string;
  evaluate(ctx: RuleContext<S>): RuleOutcome;
}

export const fire = (reason: string, ...decisions: Decision[]): RuleOutcome => ({ fired: true, reason, decisions });
export const skip = (reason: string, nextCheckAt?: Date): RuleOutcome => ({ fired: false, reason, nextCheckAt });
