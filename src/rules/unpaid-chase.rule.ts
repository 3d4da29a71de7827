import { fire, skip, type Rule, type RuleContext, type RuleOutcome } from './rule.js';
import { quietHoursEnd } from './calendar.js';

export interface UnpaidChaseSettings {
  enabled: boolean;
  firstReminderAfterMinutes: number;
  secondReminderBeforeCloseHours: number;
  autoCloseHours: number;
  maxRemindersPerOrder: number;
  maxRemindersPerBuyerPerDay: number;
  quietHours: { start: string; end: string };
  template: string;
  benefit: string;
  /** The platform shows unpaid orders at all (Pinduoduo does not). */
  unpaidVisible: boolean;
  /** The platform has a buyer channel (Taobao SMS by OAID, Kuaishou SMS); otherwise an agent task. */
  buyerChannel: boolean;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * 静默订单催付 (rules.md §3): a first reminder 30 min after the order, a second 6 h before the
 * platform closes it; never in quiet hours (held to their end unless the order would close first);
 * at most 2 per order and 1 per buyer per day; stops once the order is paid, closed or cancelled.
 */
export class UnpaidChaseRule implements Rule<UnpaidChaseSettings> {
  readonly name = 'unpaid.chase';
  readonly description = '静默订单催付:下单30分钟后第一次提醒,关闭前6小时第二次;静默时段顺延至08:00';

  evaluate({ order, settings: s, now, buyer }: RuleContext<UnpaidChaseSettings>): RuleOutcome {
    if (!s.enabled) return skip('本店未开启催付');
    if (!s.unpaidVisible) return skip('该平台订单接口不提供未付款订单,无法催付');
    if (order.status !== 'unpaid') return skip(`订单状态为 ${order.status},不再催付`);
    if (!order.placedAt) return skip('缺少下单时间');
    if (buyer?.doNotChase) return skip('买家在不催付名单中');
    const sent = order.reminders.length;
    if (sent >= Math.min(s.maxRemindersPerOrder, 2)) return skip(`本订单已催付 ${sent} 次,达到上限`);
    const closesAt = order.placedAt.getTime() + s.autoCloseHours * HOUR;
    if (now.getTime() >= closesAt) return skip('订单已到自动关闭时间');
    const dueAt = sent === 0 ? order.placedAt.getTime() + s.firstReminderAfterMinutes * MIN : closesAt - s.secondReminderBeforeCloseHours * HOUR;
    if (now.getTime() < dueAt) return skip(`第 ${sent + 1} 次催付时间未到`, new Date(dueAt));
    const quietEnd = quietHoursEnd(s.quietHours, now);
    if (quietEnd && quietEnd.getTime() < closesAt) return skip(`静默时段,顺延至 ${s.quietHours.end}`, quietEnd);
    if ((buyer?.remindersLast24h ?? 0) >= s.maxRemindersPerBuyerPerDay) return skip('该买家24小时内已被催付过', new Date(now.getTime() + HOUR));
    const key = `unpaid:${order.orderId}:${sent + 1}`;
    const reason = `下单后未付款,第 ${sent + 1} 次催付`;
    if (!s.buyerChannel) return fire(`${reason}(平台无买家消息通道,转人工)`, { type: 'open_task', key, taskType: 'unpaid_reminder', role: 'pre_sale', reason });
    return fire(reason, { type: 'send_buyer_message', key, purpose: 'unpaid_reminder', template: s.template, params: { benefit: s.benefit } });
  }
}
