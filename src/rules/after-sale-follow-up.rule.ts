import { taskWhileCause } from './cause-task.js';
import type { Rule, RuleContext, RuleOutcome } from './rule.js';

export interface AfterSaleFollowUpSettings {
  /** An unfinished after-sale case is followed up within this long (the task's due time). */
  followUpMinutes: number;
}

export const AFTER_SALE_CAUSE = 'after-sale';

/**
 * 售后跟进 (rules.md §6): an order with an after-sale case still open on the platform gets one task for
 * the after-sale agents, due within 48 h; it closes by itself once the platform shows the case finished.
 */
export class AfterSaleFollowUpRule implements Rule<AfterSaleFollowUpSettings> {
  readonly name = 'aftersale.follow_up';
  readonly description = '售后跟进:未完结的售后48小时内必须跟进';

  evaluate({ order, settings: s }: RuleContext<AfterSaleFollowUpSettings>): RuleOutcome {
    const open = Boolean(order.refunding);
    const hours = Math.round((s.followUpMinutes / 60) * 10) / 10;
    return taskWhileCause(order, AFTER_SALE_CAUSE, {
      active: open,
      why: open ? '平台有未完结的售后' : '没有未完结的售后',
      task: () => ({
        taskType: 'after_sale_follow_up',
        role: 'after_sale',
        dueInMinutes: s.followUpMinutes,
        reason: `售后未完结(退款/退货处理中):请在${hours}小时内跟进,联系买家并推进处理`,
      }),
      outcome: () => '售后已结束,自动关闭',
    });
  }
}
