import { activePromotion, type MonthDayWindow } from './calendar.js';
import type { Decision } from './decisions.js';
import { fire, skip, type OrderSnapshot, type Rule, type RuleContext, type RuleOutcome } from './rule.js';

export interface StallSettings {
  thresholdsHours: { zone1: number; zone2: number; zone3: number; notCollected: number };
  escalateAfterHours: number;
  promotions: MonthDayWindow[];
  botId: string;
  buyerMessage: string | null;
  /** A consigned waybill with no event at all after this long is a suspected fake ship. */
  fakeShipAfterHours: number;
}

type Shipment = OrderSnapshot['shipments'][number];
const HOUR = 3_600_000;
const DONE_STATES = new Set(['signed', 'returned']);

/** What the watch concludes about one parcel now: stalled (on which last event), or when to look again. */
export type StallVerdict =
  | { shipmentId: number; stalled: true; cause: string; reason: string; refAt: Date }
  | { shipmentId: number; stalled: false; reason: string; nextCheckAt?: Date };

/** A parcel the watch is done with: signed, returned, or never consigned. */
export const isWatched = (sh: Pick<Shipment, 'state' | 'consignedAt'>): boolean => !DONE_STATES.has(sh.state) && sh.consignedAt !== null;

/**
 * 物流超时/催件 (rules.md §4): zone 1 without an update for more than 24 h, zones 2–3 for more than
 * 48 h, consigned but not collected after 24 h (suspended during big promotions), a waybill that never
 * shows anything (fake ship). One chase per stall — the decision keys carry the stall's last event —
 * and an escalation to reship-or-refund when the chase brought nothing within 24 h.
 */
export class LogisticsStallRule implements Rule<StallSettings> {
  readonly name = 'logistics.stall';
  readonly description = '物流超时催件:一区24小时、二三区48小时无更新,或发货24小时未揽收(大促除外)';

  evaluate({ order, settings: s, now }: RuleContext<StallSettings>): RuleOutcome {
    const open = order.shipments.filter(isWatched);
    if (!open.length) return skip('没有在途包裹');
    const decisions: Decision[] = [];
    const reasons: string[] = [];
    let nextCheckAt: Date | undefined;
    for (const sh of open) {
      const verdict = this.judge(sh, s, now);
      if (verdict.stalled) {
        decisions.push(...this.decide(order, sh, verdict.cause, verdict.reason, s, now));
        reasons.push(verdict.reason);
      } else if (verdict.nextCheckAt && (!nextCheckAt || verdict.nextCheckAt < nextCheckAt)) nextCheckAt = verdict.nextCheckAt;
      if (!verdict.stalled) reasons.push(verdict.reason);
    }
    return decisions.length ? fire(reasons.join('; '), ...decisions) : skip(reasons.join('; '), nextCheckAt);
  }

  /** The verdict on each parcel still watched, with the same judgement `evaluate` acts on. */
  verdicts(shipments: Shipment[], s: StallSettings, now: Date): StallVerdict[] {
    return shipments.filter(isWatched).map((sh) => {
      const v = this.judge(sh, s, now);
      return v.stalled ? { shipmentId: sh.id, ...v, refAt: (sh.lastEventAt ?? sh.consignedAt)! } : { shipmentId: sh.id, ...v };
    });
  }

  private judge(sh: Shipment, s: StallSettings, now: Date): { stalled: true; cause: string; reason: string } | { stalled: false; reason: string; nextCheckAt?: Date } {
    const t = now.getTime();
    if (!sh.lastEventAt) {
      const since = sh.consignedAt!.getTime();
      if (t - since > s.fakeShipAfterHours * HOUR) return { stalled: true, cause: 'fake_ship', reason: `${sh.trackingNo} 发货${s.fakeShipAfterHours}小时无任何物流记录,疑似虚假发货` };
      const limit = since + s.thresholdsHours.notCollected * HOUR;
      if (t <= limit) return { stalled: false, reason: `${sh.trackingNo} 未揽收,未超过${s.thresholdsHours.notCollected}小时`, nextCheckAt: new Date(limit + 1) };
      const promo = activePromotion(s.promotions, now);
      if (promo) return { stalled: false, reason: `${sh.trackingNo} 未揽收超时,但处于大促(${promo.name})期间,暂不催件`, nextCheckAt: new Date(since + s.fakeShipAfterHours * HOUR + 1) };
      return { stalled: true, cause: 'not_collected', reason: `${sh.trackingNo} 发货超过${s.thresholdsHours.notCollected}小时未揽收` };
    }
    const zone = sh.zone ?? 2;
    const hours = zone === 1 ? s.thresholdsHours.zone1 : zone === 2 ? s.thresholdsHours.zone2 : s.thresholdsHours.zone3;
    const limit = sh.lastEventAt.getTime() + hours * HOUR;
    if (t <= limit) return { stalled: false, reason: `${sh.trackingNo} ${zone}区,物流更新未超过${hours}小时`, nextCheckAt: new Date(limit + 1) };
    return { stalled: true, cause: 'no_update', reason: `${sh.trackingNo} ${zone}区超过${hours}小时无物流更新` };
  }

  private decide(order: OrderSnapshot, sh: Shipment, cause: string, reason: string, s: StallSettings, now: Date): Decision[] {
    // The stall is identified by the last thing the parcel did: a new event starts a new stall.
    const stallKey = `${sh.id}:${(sh.lastEventAt ?? sh.consignedAt)!.getTime()}`;
    const last = sh.lastEventDesc ? `最后物流:${sh.lastEventDesc}` : '无物流记录';
    const out: Decision[] = [
      { type: 'write_remark', key: `chase:${stallKey}:marketplace`, target: 'marketplace', fields: { kind: 'chased' }, agentId: s.botId, flag: 'blue' },
      { type: 'open_task', key: `chase-task:${stallKey}`, taskType: cause === 'fake_ship' ? 'fake_ship' : 'chase_logistics', role: 'in_sale', reason: `${reason}。${last}` },
    ];
    if (s.buyerMessage) out.push({ type: 'send_buyer_message', key: `chase-msg:${stallKey}`, purpose: 'stall_notice', template: s.buyerMessage, params: {} });
    if (sh.stalledAt && now.getTime() - sh.stalledAt.getTime() > s.escalateAfterHours * HOUR) {
      out.push({ type: 'open_task', key: `chase-escalate:${stallKey}`, taskType: 'reship_or_refund', role: 'after_sale', reason: `催件${s.escalateAfterHours}小时后仍无物流更新,请补发或退款。${last}`, priority: 1 });
    }
    return out;
  }
}
