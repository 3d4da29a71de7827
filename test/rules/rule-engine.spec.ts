import { describe, expect, it } from '@jest/globals';
import type { Decision } from '../../src/rules/decisions.js';
import { fire, skip, type Rule, type RuleContext } from '../../src/rules/rule.js';
import { RuleEngine, type DecisionSink } from '../../src/rules/rule-engine.js';

const order: RuleContext['order'] = {
  orderId: 7,
  shopId: 1,
  platform: 'taobao',
  platformOrderId: '3920487712345678901',
  status: 'unpaid',
  placedAt: new Date('2026-11-22T01:00:00Z'),
  paidAt: null,
  province: '广东省',
  sellerMemo: null,
  sellerFlag: 'none',
  erpStatus: null,
  buyerRef: 'AAE1x',
  shipments: [],
  reminders: [],
};

const chase: Rule = {
  name: 'unpaid.chase',
  description: '未付款订单催付',
  evaluate: ({ order: o, now }) =>
    o.status !== 'unpaid'
      ? skip(`订单状态为 ${o.status},无需催付`)
      : now.getTime() - o.placedAt!.getTime() < 30 * 60_000
        ? skip('下单未满30分钟')
        : fire('下单已满30分钟且未付款', { type: 'send_buyer_message', key: `unpaid:${o.orderId}:1`, purpose: 'unpaid_reminder', template: 'unpaid', params: {} }),
};
const broken: Rule = {
  name: 'broken',
  description: 'always throws',
  evaluate: () => {
    throw new Error('zone table missing');
  },
};

function recordingSink(): DecisionSink & { performed: { rule: string; decisions: Decision[] }[] } {
  const performed: { rule: string; decisions: Decision[] }[] = [];
  return { performed, perform: async (_ctx, rule, decisions) => void performed.push({ rule, decisions }) };
}

describe('RuleEngine', () => {
  const at = (iso: string) => ({ order, settings: {}, now: new Date(iso) });

  it('says why a rule was skipped, and performs a fired rule’s decisions', async () => {
    const sink = recordingSink();
    const engine = new RuleEngine([chase], sink);
    const early = await engine.run(at('2026-11-22T01:10:00Z'), { dryRun: false, rules: {} });
    expect(early).toEqual([{ rule: 'unpaid.chase', fired: false, reason: '下单未满30分钟', decisions: [], dryRun: false }]);
    const due = await engine.run(at('2026-11-22T01:31:00Z'), { dryRun: false, rules: {} });
    expect(due[0]).toMatchObject({ fired: true, reason: '下单已满30分钟且未付款', dryRun: false });
    expect(sink.performed).toEqual([{ rule: 'unpaid.chase', decisions: due[0].decisions }]);
  });

  it('records decisions in dry run (shop-wide or per rule) and performs none', async () => {
    const sink = recordingSink();
    const engine = new RuleEngine([chase], sink);
    const shopDry = await engine.run(at('2026-11-22T02:00:00Z'), { dryRun: true, rules: {} });
    const ruleDry = await engine.run(at('2026-11-22T02:00:00Z'), { dryRun: false, rules: { 'unpaid.chase': 'dry_run' } });
    for (const t of [shopDry, ruleDry]) expect(t[0]).toMatchObject({ fired: true, dryRun: true, decisions: [{ type: 'send_buyer_message' }] });
    expect(sink.performed).toEqual([]);
  });

  it('skips a switched-off rule and keeps going past a rule that throws', async () => {
    const sink = recordingSink();
    const engine = new RuleEngine([broken, chase], sink);
    const trace = await engine.run(at('2026-11-22T02:00:00Z'), { dryRun: false, rules: {} });
    expect(trace.map((t) => [t.rule, t.fired, t.error])).toEqual([
      ['broken', false, 'zone table missing'],
      ['unpaid.chase', true, undefined],
    ]);
    const off = await engine.run(at('2026-11-22T02:00:00Z'), { dryRun: false, rules: { 'unpaid.chase': 'off' } });
    expect(off[1]).toMatchObject({ fired: false, reason: '该规则已关闭 (rule switched off)' });
    expect(sink.performed).toHaveLength(1);
  });
});
