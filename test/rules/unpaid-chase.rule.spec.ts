import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config/config.loader.js';
import type { OrderSnapshot } from '../../src/rules/rule.js';
import { UnpaidChaseRule, type UnpaidChaseSettings } from '../../src/rules/unpaid-chase.rule.js';

const c = loadConfig({ env: { NODE_ENV: 'test', KEFU_MASTER_KEY: Buffer.alloc(32).toString('base64') } }).unpaid;
const settings: UnpaidChaseSettings = { ...c, unpaidVisible: true, buyerChannel: true };
const rule = new UnpaidChaseRule();
// Shanghai wall-clock helper: '2026-11-22 14:00' → instant.
const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);

function order(placed: Date, extra: Partial<OrderSnapshot> = {}): OrderSnapshot {
  return {
    orderId: 5, shopId: 1, platform: 'taobao', platformOrderId: '3920487712345678905', status: 'unpaid', placedAt: placed, paidAt: null,
    province: '广东省', sellerMemo: null, sellerFlag: 'none', erpStatus: null, buyerRef: 'AAE1x', shipments: [], reminders: [], ...extra,
  };
}
const run = (o: OrderSnapshot, now: Date, s: Partial<UnpaidChaseSettings> = {}, buyer = { remindersLast24h: 0, doNotChase: false }) =>
  rule.evaluate({ order: o, settings: { ...settings, ...s }, now, buyer });

describe('unpaid-order chasing (rules.md §3)', () => {
  it('first reminder 30 minutes after the order, not before', () => {
    const placed = sh('2026-11-22 14:00');
    expect(run(order(placed), sh('2026-11-22 14:29'))).toMatchObject({ fired: false, nextCheckAt: sh('2026-11-22 14:30') });
    expect(run(order(placed), sh('2026-11-22 14:31'))).toMatchObject({
      fired: true,
      decisions: [{ type: 'send_buyer_message', key: 'unpaid:5:1', purpose: 'unpaid_reminder', template: c.template, params: { benefit: c.benefit } }],
    });
  });

  it('a reminder due at 23:30 waits for 08:00', () => {
    const placed = sh('2026-11-22 23:00');
    expect(run(order(placed), sh('2026-11-22 23:30'))).toMatchObject({ fired: false, reason: '静默时段,顺延至 08:00', nextCheckAt: sh('2026-11-23 08:00') });
    expect(run(order(placed), sh('2026-11-23 08:00')).fired).toBe(true);
  });

  it('second reminder 6 h before the 3-day close, and never a third', () => {
    const placed = sh('2026-11-20 10:00');
    const once = order(placed, { reminders: [sh('2026-11-20 10:30')] });
    expect(run(once, sh('2026-11-23 03:59'))).toMatchObject({ fired: false, nextCheckAt: sh('2026-11-23 04:00') });
    // 04:00 is inside quiet hours and the order closes at 10:00, after they end: it waits for 08:00.
    expect(run(once, sh('2026-11-23 04:00'))).toMatchObject({ fired: false, nextCheckAt: sh('2026-11-23 08:00') });
    expect(run(once, sh('2026-11-23 08:00'))).toMatchObject({ fired: true, decisions: [{ key: 'unpaid:5:2' }] });
    const twice = order(placed, { reminders: [sh('2026-11-20 10:30'), sh('2026-11-23 08:00')] });
    expect(run(twice, sh('2026-11-23 09:00'))).toMatchObject({ fired: false, reason: '本订单已催付 2 次,达到上限' });
  });

  it('sends inside quiet hours when the order would close before they end', () => {
    const placed = sh('2026-11-20 06:00'); // closes 2026-11-23 06:00, second reminder due 00:00
    const once = order(placed, { reminders: [sh('2026-11-20 08:00')] });
    expect(run(once, sh('2026-11-23 00:00')).fired).toBe(true);
  });

  it('stops once paid, and for a buyer already chased today, and on the do-not-chase list', () => {
    const placed = sh('2026-11-22 14:00');
    expect(run(order(placed, { status: 'paid' }), sh('2026-11-22 15:00'))).toMatchObject({ fired: false, reason: '订单状态为 paid,不再催付' });
    expect(run(order(placed), sh('2026-11-22 15:00'), {}, { remindersLast24h: 1, doNotChase: false })).toMatchObject({ fired: false, reason: '该买家24小时内已被催付过' });
    expect(run(order(placed), sh('2026-11-22 15:00'), {}, { remindersLast24h: 0, doNotChase: true })).toMatchObject({ fired: false, reason: '买家在不催付名单中' });
  });

  it('becomes an agent task where the platform has no buyer channel, and does nothing on Pinduoduo', () => {
    const placed = sh('2026-11-22 14:00');
    expect(run(order(placed), sh('2026-11-22 15:00'), { buyerChannel: false })).toMatchObject({
      fired: true,
      decisions: [{ type: 'open_task', key: 'unpaid:5:1', taskType: 'unpaid_reminder', role: 'pre_sale' }],
    });
    expect(run(order(placed, { platform: 'pinduoduo' }), sh('2026-11-22 15:00'), { unpaidVisible: false })).toMatchObject({
      fired: false,
      reason: '该平台订单接口不提供未付款订单,无法催付',
    });
  });
});
