import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ActionEntity } from '../../src/actions/action.entity.js';
import { OrderEntity } from '../../src/orders/order.entity.js';
import { RuleEvaluationEntity } from '../../src/rules/rule-evaluation.entity.js';
import { RulesProcessor } from '../../src/rules/rules.processor.js';
import { RulesService } from '../../src/rules/rules.service.js';
import { backend } from '../support/test-env.js';
import { eventually } from '../support/eventually.js';
import { startRulesHarness, type RulesHarness } from './support/rules-harness.js';

const MIN = 60_000;

describe(`shop settings and the rules engine wired to orders (${backend.label})`, () => {
  let h: RulesHarness;

  beforeAll(async () => {
    h = await startRulesHarness();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  const evaluations = (orderId: number) => h.ds.getRepository(RuleEvaluationEntity).find({ where: { orderId }, order: { rule: 'ASC' } });
  const actionsOf = (orderId: number) => h.ds.getRepository(ActionEntity).find({ where: { orderId }, order: { id: 'ASC' } });

  /** An unpaid Taobao order placed `agoMs` ago (time moves on meanwhile), polled into kefu-bridge. */
  async function unpaidTaobaoOrder(agoMs: number): Promise<OrderEntity> {
    const o = h.sb.world.addOrder({ platform: 'taobao', shopId: h.platformShopId('taobao') });
    h.sb.clock.advance(agoMs);
    await h.poll('taobao');
    return h.order('taobao', o.orderId);
  }

  describe('per-shop settings', () => {
    it('shows the configured defaults, and a patch overrides only what it names', async () => {
      const id = h.shops.pinduoduo;
      const before = await h.call('GET', `/api/shops/${id}/settings`, ['operator']);
      expect(before.status).toBe(200);
      expect(before.body.effective.unpaid.firstReminderAfterMinutes).toBe(30);
      expect(before.body.effective.remarks.flags.address_change).toBe('yellow');
      expect(before.body.overrides).toEqual({});

      const patched = await h.call('PATCH', `/api/shops/${id}/settings`, ['operator'], { unpaid: { firstReminderAfterMinutes: 45 }, remarks: { flags: { chased: 'green' } } });
      expect(patched.status).toBe(200);
      expect(patched.body.effective.unpaid.firstReminderAfterMinutes).toBe(45);
      expect(patched.body.effective.unpaid.secondReminderBeforeCloseHours).toBe(6);
      expect(patched.body.effective.remarks.flags).toMatchObject({ chased: 'green', address_change: 'yellow' });
      expect(patched.body.overrides).toEqual({ unpaid: { firstReminderAfterMinutes: 45 }, remarks: { flags: { chased: 'green' } } });

      const reset = await h.call('PATCH', `/api/shops/${id}/settings`, ['operator'], { unpaid: { firstReminderAfterMinutes: null } });
      expect(reset.body.effective.unpaid.firstReminderAfterMinutes).toBe(30);
      expect(reset.body.overrides).toEqual({ remarks: { flags: { chased: 'green' } } });
    });

    it('refuses bad values with 400 naming the key, and stores nothing', async () => {
      const id = h.shops.kuaishou;
      const cases: [unknown, string][] = [
        [{ unpaid: { firstReminderAfterMinutes: 0 } }, 'settings.unpaid.firstReminderAfterMinutes'],
        [{ unpaid: { quietHours: { start: '25:00' } } }, 'settings.unpaid.quietHours.start'],
        [{ rules: { 'unpaid.chase': 'sometimes' } }, 'settings.rules.unpaid.chase'],
        [{ rules: { 'no.such.rule': 'off' } }, 'settings.rules.no.such.rule'],
        [{ remarks: { flags: { reship: 'orange' } } }, 'settings.remarks.flags.reship'],
        [{ dryRun: 'yes' }, 'settings.dryRun'],
        [{ bogus: 1 }, 'settings.bogus'],
        [[], 'settings'],
        [{ rules: 'x' }, 'settings.rules'],
        [{ unpaid: { quietHours: { start: 25 } } }, 'settings.unpaid.quietHours.start'],
        [{ remarks: { flags: [1, 2] } }, 'settings.remarks.flags'],
        [{ tasks: { slaMinutes: { default: -5 } } }, 'settings.tasks.slaMinutes.default'],
      ];
      for (const [body, key] of cases) {
        const res = await h.call('PATCH', `/api/shops/${id}/settings`, ['operator'], body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect((res.body.message as string[]).join('; ')).toContain(`${key}:`);
      }
      const after = await h.call('GET', `/api/shops/${id}/settings`, ['operator']);
      expect(after.body.overrides).toEqual({});
    });
  });

  describe('evaluation on order changes', () => {
    it('records for every rule why it fired or was skipped, and stages the decisions as actions', async () => {
      const order = await unpaidTaobaoOrder(40 * MIN);
      await eventually(async () => expect(await evaluations(order.id)).toHaveLength(h.t.app.get(RulesService).ruleNames.length));
      const byRule = Object.fromEntries((await evaluations(order.id)).map((e) => [e.rule, e]));
      expect(byRule['unpaid.chase']).toMatchObject({ fired: true, dryRun: false, reason: '下单后未付款,第 1 次催付' });
      expect(byRule['unpaid.chase'].decisions).toEqual([expect.objectContaining({ type: 'send_buyer_message', key: `unpaid:${order.id}:1` })]);
      expect(byRule['logistics.stall']).toMatchObject({ fired: false, reason: '没有在途包裹', decisions: [] });
      const actions = await actionsOf(order.id);
      expect(actions.map((a) => [a.type, a.idempotencyKey])).toEqual([['buyer.message', `unpaid:${order.id}:1`]]);
      // Fired: looked at again later, so the second reminder gets its due time.
      const row = await h.ds.getRepository(OrderEntity).findOneByOrFail({ id: order.id });
      expect(row.rulesDueAt!.getTime()).toBeGreaterThan(h.sb.clock.now());
    });

    it('duplicated and repeated change events leave one action per decision', async () => {
      const order = await unpaidTaobaoOrder(35 * MIN);
      // The reminder is on record once the buyer.message action ran.
      await eventually(async () => expect((await actionsOf(order.id)).map((a) => [a.status, a.lastError])).toEqual([['done', null]]));
      const processor = h.t.app.get(RulesProcessor);
      const event = { orderId: order.id, shopId: order.shopId, platform: 'taobao', platformOrderId: order.platformOrderId, version: order.version, changes: ['memo'], source: 'push' as const };
      const before = h.sb.clock.now();
      await Promise.all([processor.onChanged([event]), processor.onChanged([event]), processor.onChanged([{ ...event, version: order.version + 1 }])]);
      const trace = await h.t.app.get(RulesService).evaluate(order.id);
      // The first reminder is on record, so the rule now waits for the second one.
      expect(trace.find((e) => e.rule === 'unpaid.chase')).toMatchObject({ fired: false, reason: '第 2 次催付时间未到' });
      const e = (await evaluations(order.id)).find((r) => r.rule === 'unpaid.chase')!;
      expect(e.evaluatedAt.getTime()).toBeGreaterThanOrEqual(before);
      expect((await actionsOf(order.id)).map((a) => a.idempotencyKey)).toEqual([`unpaid:${order.id}:1`]);
    });

    it('an order whose next check comes later is picked up by the due scan then, not before', async () => {
      const order = await unpaidTaobaoOrder(10 * MIN);
      await eventually(async () => expect((await evaluations(order.id)).find((e) => e.rule === 'unpaid.chase')?.reason).toBe('第 1 次催付时间未到'));
      const row = await h.ds.getRepository(OrderEntity).findOneByOrFail({ id: order.id });
      expect(row.rulesDueAt!.getTime()).toBe(row.placedAt!.getTime() + 30 * MIN);
      const scanner = h.t.app.get(RulesProcessor);
      const dueNow = await scanner.scan();
      expect(await actionsOf(order.id)).toEqual([]);
      h.sb.clock.advance(21 * MIN);
      expect(await scanner.scan()).toBeGreaterThan(dueNow);
      await eventually(async () => expect((await actionsOf(order.id)).map((a) => a.idempotencyKey)).toEqual([`unpaid:${order.id}:1`]));
    });
  });

  describe('dry run', () => {
    it('shop-wide: decisions are recorded as dry run and nothing is staged', async () => {
      const patched = await h.call('PATCH', `/api/shops/${h.shops.taobao}/settings`, ['operator'], { dryRun: true });
      expect(patched.status).toBe(200);
      const order = await unpaidTaobaoOrder(40 * MIN);
      await eventually(async () => expect((await evaluations(order.id)).find((e) => e.rule === 'unpaid.chase')).toBeDefined());
      const chase = (await evaluations(order.id)).find((e) => e.rule === 'unpaid.chase')!;
      expect(chase).toMatchObject({ fired: true, dryRun: true, lastFiredDryRun: true });
      expect(chase.decisions).toEqual([expect.objectContaining({ type: 'send_buyer_message', key: `unpaid:${order.id}:1` })]);
      expect(await actionsOf(order.id)).toEqual([]);
    });

    it('per rule: dry_run records, off skips with the reason, and the other rules still run', async () => {
      await h.call('PATCH', `/api/shops/${h.shops.taobao}/settings`, ['operator'], { dryRun: false, rules: { 'unpaid.chase': 'dry_run' } });
      const a = await unpaidTaobaoOrder(40 * MIN);
      await eventually(async () => expect((await evaluations(a.id)).find((e) => e.rule === 'unpaid.chase')).toMatchObject({ fired: true, dryRun: true }));
      expect(await actionsOf(a.id)).toEqual([]);

      await h.call('PATCH', `/api/shops/${h.shops.taobao}/settings`, ['operator'], { rules: { 'unpaid.chase': 'off' } });
      const b = await unpaidTaobaoOrder(40 * MIN);
      await eventually(async () => expect((await evaluations(b.id)).find((e) => e.rule === 'unpaid.chase')).toMatchObject({ fired: false, reason: '该规则已关闭 (rule switched off)' }));
      expect((await evaluations(b.id)).find((e) => e.rule === 'logistics.stall')).toMatchObject({ fired: false, reason: '没有在途包裹' });
      expect(await actionsOf(b.id)).toEqual([]);
      await h.call('PATCH', `/api/shops/${h.shops.taobao}/settings`, ['operator'], { rules: null, dryRun: null });
    });
  });
});
