import { describe, expect, it } from '@jest/globals';
import { AfterSaleFollowUpRule } from '../../src/rules/after-sale-follow-up.rule.js';
import { OutOfStockRule } from '../../src/rules/out-of-stock.rule.js';
import type { OrderSnapshot } from '../../src/rules/rule.js';

const order = (extra: Partial<OrderSnapshot> = {}): OrderSnapshot => ({
  orderId: 7, shopId: 1, platform: 'taobao', platformOrderId: '3920487712345678911', status: 'paid', placedAt: null, paidAt: null,
  province: '浙江省', sellerMemo: null, sellerFlag: 'none', erpStatus: 'QUESTION', buyerRef: null, shipments: [], reminders: [], amountFen: 12_990, tasks: [], ...extra,
});
// 2026-11-23 10:00 Shanghai
const now = new Date(Date.UTC(2026, 10, 23, 2, 0));
const stock = (extra: Partial<OrderSnapshot>) =>
  new OutOfStockRule().evaluate({ order: order(extra), settings: { compensationPercent: 30, couponFen: 500, callAfterMinutes: 1440 }, now });
const followUp = (extra: Partial<OrderSnapshot>) => new AfterSaleFollowUpRule().evaluate({ order: order(extra), settings: { followUpMinutes: 2880 }, now });

describe('out of stock and after-sale follow-up rules (rules.md §6)', () => {
  it('out of stock: one task with the call time and the capped compensation, left alone while it is open', () => {
    const out = stock({ erpQuestion: '缺货' });
    expect(out).toMatchObject({ fired: true, decisions: [{ type: 'open_task', key: 'out-of-stock:7:1', taskType: 'out_of_stock', role: 'in_sale', dueInMinutes: 1440 }] });
    const reason = out.fired && out.decisions[0].type === 'open_task' ? out.decisions[0].reason : '';
    expect(reason).toContain('买家到 11-24 10:00 仍未回复请电话联系');
    expect(reason).toContain('不超过订单金额的30%(¥38.97)或¥5.00优惠券');
    expect(stock({ erpQuestion: '缺货', tasks: [{ key: 'out-of-stock:7:1', open: true }] })).toMatchObject({ fired: false });
  });

  it('out of stock again after the first task was finished opens the next one', () => {
    expect(stock({ erpQuestion: '缺货', tasks: [{ key: 'out-of-stock:7:1', open: false }, { key: 'remark-fix:7:ab', open: true }] })).toMatchObject({
      fired: true,
      decisions: [{ type: 'open_task', key: 'out-of-stock:7:2' }],
    });
  });

  it('other questions, and orders no longer waiting to ship, are not out of stock; an open task closes with why', () => {
    expect(stock({ erpQuestion: '地址异常' })).toMatchObject({ fired: false });
    expect(stock({ erpQuestion: null })).toMatchObject({ fired: false });
    const open = [{ key: 'out-of-stock:7:1', open: true }];
    expect(stock({ erpQuestion: '缺货', status: 'shipped', tasks: open })).toMatchObject({ fired: true, decisions: [{ type: 'close_task', key: 'out-of-stock:7:1', outcome: '订单已发货,自动关闭' }] });
    expect(stock({ erpQuestion: null, status: 'refunded', tasks: open })).toMatchObject({ decisions: [{ type: 'close_task', outcome: '订单已关闭或退款,自动关闭' }] });
    expect(stock({ erpQuestion: null, tasks: open })).toMatchObject({ decisions: [{ type: 'close_task', outcome: 'ERP已解除缺货,自动关闭' }] });
  });

  it('after-sale follow-up: a task due in 48 h while the case is open, closed once it is finished', () => {
    expect(followUp({ refunding: true })).toMatchObject({
      fired: true,
      decisions: [{ type: 'open_task', key: 'after-sale:7:1', taskType: 'after_sale_follow_up', role: 'after_sale', dueInMinutes: 2880 }],
    });
    expect(followUp({ refunding: false })).toMatchObject({ fired: false });
    expect(followUp({ refunding: false, tasks: [{ key: 'after-sale:7:1', open: true }] })).toMatchObject({
      fired: true,
      decisions: [{ type: 'close_task', key: 'after-sale:7:1', outcome: '售后已结束,自动关闭' }],
    });
  });
});
