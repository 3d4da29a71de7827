import { yuanText as yuan } from '../common/money.js';
import { shanghaiDateTime } from '../common/shanghai-time.js';
import { taskWhileCause } from './cause-task.js';
import type { OrderSnapshot, Rule, RuleContext, RuleOutcome } from './rule.js';

export interface OutOfStockSettings {
  /** The most a suggested compensation may be, as a share of what the buyer paid. */
  compensationPercent: number;
  /** The coupon offered instead. */
  couponFen: number;
  /** The buyer has this long to answer before the agent calls; also the task's due time. */
  callAfterMinutes: number;
}

export const OUT_OF_STOCK_CAUSE = 'out-of-stock';
const SHORT = '缺货';

/**
 * 缺货 (rules.md §6): while the ERP holds a paid order as a 缺货 question, an in-sale agent confirms the
 * arrival date with the warehouse and tells the buyer, calls if the buyer has not answered by the due
 * time, and may offer the compensation the task suggests. The task closes by itself once the order
 * ships, closes, or the ERP clears the question.
 */
export class OutOfStockRule implements Rule<OutOfStockSettings> {
  readonly name = 'stock.out';
  readonly description = '缺货:确认到货时间并告知买家,24小时未回复电话联系;建议补偿不超过订单金额30%或5元优惠券';

  evaluate({ order, settings: s, now }: RuleContext<OutOfStockSettings>): RuleOutcome {
    const short = order.status === 'paid' && (order.erpQuestion ?? '').includes(SHORT);
    return taskWhileCause(order, OUT_OF_STOCK_CAUSE, {
      active: short,
      why: short ? `ERP标记缺货(${order.erpQuestion})` : 'ERP未标记缺货',
      task: () => {
        const callAt = shanghaiDateTime(now.getTime() + s.callAfterMinutes * 60_000).slice(5, 16);
        const capFen = Math.floor(((order.amountFen ?? 0) * s.compensationPercent) / 100);
        return {
          taskType: 'out_of_stock',
          role: 'in_sale',
          dueInMinutes: s.callAfterMinutes,
          reason:
            `ERP标记缺货:请向仓库确认到货时间并告知买家;买家到 ${callAt} 仍未回复请电话联系。` +
            `建议补偿:不超过订单金额的${s.compensationPercent}%(¥${yuan(capFen)})或¥${yuan(s.couponFen)}优惠券`,
        };
      },
      outcome: () => closedBecause(order),
    });
  }
}

function closedBecause(order: OrderSnapshot): string {
  if (order.status === 'paid') return 'ERP已解除缺货,自动关闭';
  if (order.status === 'closed' || order.status === 'refunded') return '订单已关闭或退款,自动关闭';
  return '订单已发货,自动关闭';
}
