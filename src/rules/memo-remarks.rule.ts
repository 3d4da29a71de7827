import { memoLineHash, parseMemo } from '../remarks/remark-parser.js';
import type { Decision } from './decisions.js';
import type { RemarkFields } from '../remarks/remark-kinds.js';
import { fire, skip, type OrderSnapshot, type Rule, type RuleContext, type RuleOutcome } from './rule.js';

export interface MemoRemarkSettings {
  /** kefu-bridge's own id in remark lines; its lines are never sent back for fixing. */
  botId: string;
}

/** The task key of one malformed line of one order: the same line never opens a second task. */
export function remarkFixKey(orderId: number, line: string): string {
  return `remark-fix:${orderId}:${memoLineHash(line)}`;
}

/**
 * Remarks people wrote in Qianniu or the ERP (rules.md §2):
 * - a line that starts like a standard remark but lacks its agent id or date, or names 顺丰 without
 *   标快/特快 and 寄付/到付, goes back to its author as a fix-it task (to the shop's in-sale agents
 *   when the line names nobody);
 * - an address change updates the ERP order's address and lists a reroute for the warehouse; a
 *   courier request goes into the ERP remark and lists a reroute too; a ship date lists a hold for the
 *   warehouse.
 */
export class MemoRemarksRule implements Rule<MemoRemarkSettings> {
  readonly name = 'remarks.memo';
  readonly description = '人工备注:格式不对的给写备注的客服发修正任务;改地址、改快递的更新ERP并通知仓库';

  evaluate({ order, settings }: RuleContext<MemoRemarkSettings>): RuleOutcome {
    const decisions: Decision[] = [];
    const reasons: string[] = [];
    for (const line of parseMemo(order.sellerMemo)) {
      if (line.status === 'free' || line.agentId === settings.botId) continue;
      if (line.status === 'malformed') {
        decisions.push(this.fixIt(order.orderId, line.kind, line.line, line.problems, line.agentId));
        reasons.push('备注格式不对');
      } else if (line.fields.kind === 'address_change' || line.fields.kind === 'courier_request' || line.fields.kind === 'ship_date') {
        const asked = this.reroute(order, line.line, line.fields, line.agentId);
        decisions.push(...asked.decisions);
        reasons.push(asked.reason);
      }
    }
    if (!decisions.length) return skip('备注里没有要处理的人工备注');
    return fire(reasons.join('; '), ...decisions);
  }

  private fixIt(orderId: number, kind: string, line: string, problems: string[], agentId: string | null): Decision {
    // An address line carries the buyer's address: the task points at the memo instead of copying it.
    const shown = kind === 'address_change' ? '修改地址为:…(见订单备注)' : line;
    return {
      type: 'open_task',
      key: remarkFixKey(orderId, line),
      taskType: 'remark_fix',
      role: 'in_sale',
      reason: `备注格式不对(${problems.join('、')}),请按标准格式改写: ${shown}`,
      ...(agentId ? { assignToAgentId: agentId } : {}),
    };
  }

  /**
   * A new address or another courier asked for in a remark people wrote: while the order waits to
   * ship, the ERP order is updated and the warehouse sees the reroute; once it has shipped, an agent
   * must sort it out with the buyer and the courier (地址异常, rules.md §6).
   */
  private reroute(order: OrderSnapshot, line: string, fields: RemarkFields, agentId: string): { decisions: Decision[]; reason: string } {
    const hash = memoLineHash(line);
    const what = fields.kind === 'address_change' ? '改地址' : fields.kind === 'ship_date' ? '指定日期发货' : '改快递';
    if (order.reroutedLines?.includes(hash)) return { decisions: [], reason: `备注要求${what}:已处理` };
    if (order.status !== 'paid') {
      return {
        reason: `备注要求${what},但订单已${order.status === 'unpaid' ? '未付款' : '发出或结束'}`,
        decisions: order.status === 'unpaid' ? [] : [{ type: 'open_task', key: `reroute-too-late:${order.orderId}:${hash}`, taskType: 'address_exception', role: 'in_sale', reason: `备注要求${what}时订单已发货(${order.status}),请联系买家和快递处理`, assignToAgentId: agentId }],
      };
    }
    if (fields.kind === 'address_change') {
      return {
        reason: `备注要求改地址:更新ERP地址并通知仓库`,
        decisions: [
          { type: 'update_erp_address', key: `memo-address:${order.orderId}:${hash}`, memoLineHash: hash },
          { type: 'reroute', key: `reroute:${order.orderId}:${hash}`, kind: 'address', lineHash: hash, requestedBy: agentId },
        ],
      };
    }
    if (fields.kind === 'ship_date') {
      return {
        reason: `备注要求${fields.month}月${fields.day}日发货:通知仓库按期发货`,
        decisions: [{ type: 'reroute', key: `reroute:${order.orderId}:${hash}`, kind: 'ship_date', lineHash: hash, requestedBy: agentId }],
      };
    }
    const courier = fields.kind === 'courier_request' ? [fields.courier, fields.service, fields.payment].filter(Boolean).join(' ') : '';
    return {
      reason: `备注要求改快递(${courier}):写入ERP备注并通知仓库`,
      decisions: [
        { type: 'write_remark', key: `memo-erp:${order.orderId}:${hash}`, target: 'erp', fields, agentId },
        { type: 'reroute', key: `reroute:${order.orderId}:${hash}`, kind: 'courier', lineHash: hash, courier, requestedBy: agentId },
      ],
    };
  }
}
