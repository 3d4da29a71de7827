import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UserEntity } from '../../src/auth/user.entity.js';
import { ErpPoller } from '../../src/orders/erp-poller.js';
import { OrderPoller } from '../../src/orders/order-poller.js';
import { OrderEntity } from '../../src/orders/order.entity.js';
import { OrdersService } from '../../src/orders/orders.service.js';
import { ShopAdapters } from '../../src/shops/shop-adapters.js';
import type { TaskEntity } from '../../src/tasks/task.entity.js';
import type { TaskView } from '../../src/tasks/task.view.js';
import { FIXTURES } from '../shops/shops-sandbox-setup.js';
import type { ApiClient } from '../shops/shops-test-support.js';
import { eventually } from '../support/eventually.js';
import { backend } from '../support/test-env.js';
import { startAftersaleEnv, type AftersaleEnv, type Mp } from './support/aftersale-env.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const ERP_SHOP = FIXTURES.find((f) => f.platform === 'jushuitan')!.shopId;
const yuan = (fen: number) => (fen / 100).toFixed(2);

/** rules.md §6: out of stock, after-sale follow-up and the agents' compensation authority, against the sandbox. */
describe(`in-sale and after-sale tasks (${backend.label})`, () => {
  let env: AftersaleEnv;

  beforeAll(async () => {
    env = await startAftersaleEnv({ seed: 61 });
  }, 60_000);
  afterAll(async () => {
    await env?.close();
  });

  /** What one poll tick does for a shop: its orders, then their ERP copies. */
  async function pollWithErp(p: Mp): Promise<void> {
    env.clock.advance(2 * MIN);
    await env.t.app.get(OrderPoller).poll(env.shops[p], p, { resource: 'orders' });
    await env.t.app.get(ErpPoller).poll(env.shops[p]);
  }
  /** A paid order the ERP then holds as 缺货, polled into kefu-bridge with its ERP copy. */
  async function outOfStock(p: Mp): Promise<OrderEntity> {
    const o = await env.paidOrder(p);
    env.sb.world.setOutOfStock(env.sb.world.erpOrderBySoId(ERP_SHOP, o.platformOrderId)!.oId, true);
    await pollWithErp(p);
    return env.ds.getRepository(OrderEntity).findOneByOrFail({ id: o.id });
  }
  async function taskOf(orderId: number, type: string): Promise<TaskEntity> {
    let found: TaskEntity[] = [];
    await eventually(async () => {
      found = await env.tasks({ orderId, type });
      expect(found).toHaveLength(1);
    }, 10_000);
    return found[0];
  }
  /** The platform's order as the adapter reads it, with an after-sale case open or not, stored by ingestion. */
  async function ingestRefunding(p: Mp, platformOrderId: string, refunding: boolean): Promise<void> {
    const order = await (await env.t.app.get(ShopAdapters).marketplace(env.shops[p])).getOrder(platformOrderId);
    env.clock.advance(1000);
    await env.t.app.get(OrdersService).ingest(env.shops[p], [{ ...order, refunding, modifiedAt: env.clock.now() }], 'poll');
  }

  describe('out of stock (缺货)', () => {
    it('opens one in-sale task with the compensation suggestion and the time to call, and closes it once the order ships', async () => {
      const order = await outOfStock('taobao');
      expect(order).toMatchObject({ erpStage: 'QUESTION', erpQuestion: '缺货' });
      const task = await taskOf(order.id, 'out_of_stock');
      const paid = order.paymentFen ?? order.totalFen;
      expect(paid).toBeGreaterThan(0);
      expect(task).toMatchObject({ role: 'in_sale', status: 'open', shopId: env.shops.taobao });
      expect(task.reason).toContain('确认到货时间并告知买家');
      expect(task.reason).toContain('电话联系');
      expect(task.reason).toContain(`不超过订单金额的30%(¥${yuan(Math.floor(paid * 0.3))})或¥5.00优惠券`);
      expect(task.dueAt.getTime() - task.createdAt.getTime()).toBe(24 * HOUR);

      // The ERP order changes again while still out of stock: still the one task.
      env.sb.world.writeErpRemark(order.erpOrderId!, '等待到货', 'human:kf01');
      await pollWithErp('taobao');
      expect(await env.tasks({ orderId: order.id, type: 'out_of_stock' })).toHaveLength(1);

      env.sb.world.ship('taobao', order.platformOrderId, { carrierCode: 'zhongtong', trackingNo: '7309900000001', plan: 'none' });
      await env.ingest('taobao', order.platformOrderId);
      await eventually(async () => expect((await env.tasks({ id: task.id }))[0]).toMatchObject({ status: 'done', outcome: '订单已发货,自动关闭' }), 10_000);
    });

    it('leaves orders the ERP does not hold as 缺货 alone', async () => {
      const o = await env.paidOrder('kuaishou');
      await pollWithErp('kuaishou');
      const row = await env.ds.getRepository(OrderEntity).findOneByOrFail({ id: o.id });
      expect(row).toMatchObject({ erpStage: 'WAIT_AUDIT', erpQuestion: null });
      await eventually(async () => expect((await env.api.get(`/api/orders/${o.id}/rules`)).body).toEqual(
        expect.arrayContaining([expect.objectContaining({ rule: 'stock.out', fired: false, reason: 'ERP未标记缺货' })]),
      ), 10_000);
      expect(await env.tasks({ orderId: o.id })).toEqual([]);
    });

    it('takes the share and the coupon from the shop settings', async () => {
      const patched = await env.api.send('PATCH', `/api/shops/${env.shops.kuaishou}/settings`, { tasks: { outOfStockCompensationPercent: 20, outOfStockCouponFen: 800 } });
      expect(patched.status).toBe(200);
      const order = await outOfStock('kuaishou');
      const task = await taskOf(order.id, 'out_of_stock');
      const paid = order.paymentFen ?? order.totalFen;
      expect(task.reason).toContain(`不超过订单金额的20%(¥${yuan(Math.floor(paid * 0.2))})或¥8.00优惠券`);
    });
  });

  describe('after-sale follow-up', () => {
    it('an open after-sale case is a task for the after-sale agents due in 48 h, closed once the case is finished', async () => {
      const o = await env.paidOrder('kuaishou');
      await ingestRefunding('kuaishou', o.platformOrderId, true);
      const task = await taskOf(o.id, 'after_sale_follow_up');
      expect(task).toMatchObject({ role: 'after_sale', status: 'open' });
      expect(task.reason).toContain('48小时内跟进');
      expect(task.dueAt.getTime() - task.createdAt.getTime()).toBe(48 * HOUR);

      await ingestRefunding('kuaishou', o.platformOrderId, false);
      await eventually(async () => expect((await env.tasks({ id: task.id }))[0]).toMatchObject({ status: 'done', outcome: '售后已结束,自动关闭' }), 10_000);

      // A second after-sale case on the same order is a new task.
      await ingestRefunding('kuaishou', o.platformOrderId, true);
      await eventually(async () => expect(await env.tasks({ orderId: o.id, type: 'after_sale_follow_up', status: 'open' })).toHaveLength(1), 10_000);
      expect(await env.tasks({ orderId: o.id, type: 'after_sale_follow_up' })).toHaveLength(2);
    });
  });

  describe('compensation authority', () => {
    let agent: ApiClient;
    let lead: ApiClient;
    let leadId: number;
    let task: TaskEntity;
    const compensate = (who: ApiClient, body: unknown) => who.post(`/api/tasks/${task.id}/compensate`, body);

    beforeAll(async () => {
      agent = await env.as({ roles: ['in_sale'], agentId: 'kf21', shopIds: [env.shops.taobao] });
      lead = await env.as({ roles: ['lead'], name: 'order-tasks lead', shopIds: [env.shops.taobao] });
      leadId = (await env.ds.getRepository(UserEntity).findOneByOrFail({ name: 'order-tasks lead' })).id;
      task = await taskOf((await outOfStock('taobao')).id, 'out_of_stock');
    });

    it('refuses a bad amount with 400 naming the field', async () => {
      for (const body of [{}, { amountFen: 'ten' }, { amountFen: 0 }, { amountFen: 12.5 }]) {
        const r = await compensate(agent, body);
        expect(r.status).toBe(400);
        expect(r.text).toContain('amountFen');
      }
      const r = await compensate(agent, { amountFen: 500, note: 'x'.repeat(201) });
      expect(r.status).toBe(400);
      expect(r.text).toContain('note');
    });

    it('an agent grants up to ¥10, recorded in the history; above that the task goes to the lead, who may grant it', async () => {
      const small = await compensate(agent, { amountFen: 800, note: '缺货补偿' });
      expect(small.status).toBe(200);
      expect(small.body).toMatchObject({ status: 'open', priority: 0 });
      expect((small.body as TaskView).history.at(-1)).toMatchObject({ event: 'compensate', compensation: { amountFen: 800, granted: true } });
      expect((small.body as TaskView).history.at(-1)!.note).toContain('¥8.00');

      const limit = await compensate(agent, { amountFen: 1000 });
      expect(limit.body).toMatchObject({ status: 'open', priority: 0 });
      expect((limit.body as TaskView).history.at(-1)).toMatchObject({ compensation: { amountFen: 1000, granted: true } });

      const big = await compensate(agent, { amountFen: 1500 });
      expect(big.status).toBe(200);
      expect(big.body).toMatchObject({ status: 'escalated', priority: 1, assignee: { id: leadId } });
      expect((big.body as TaskView).history.at(-1)).toMatchObject({ event: 'compensate', compensation: { amountFen: 1500, granted: false } });
      expect((big.body as TaskView).history.at(-1)!.note).toContain('超出客服权限¥10.00');

      expect((await compensate(agent, { amountFen: 100 })).status).toBe(403);
      const granted = await compensate(lead, { amountFen: 1500 });
      expect(granted.status).toBe(200);
      expect(granted.body).toMatchObject({ status: 'escalated', priority: 1 });
      expect((granted.body as TaskView).history.at(-1)).toMatchObject({ compensation: { amountFen: 1500, granted: true } });
      const stored = (await env.tasks({ id: task.id }))[0];
      expect(stored.history.filter((h) => h.event === 'compensate').map((h) => h.compensation)).toEqual([
        { amountFen: 800, granted: true },
        { amountFen: 1000, granted: true },
        { amountFen: 1500, granted: false },
        { amountFen: 1500, granted: true },
      ]);
    });

    it('follows the shop own authority', async () => {
      expect((await env.api.send('PATCH', `/api/shops/${env.shops.taobao}/settings`, { tasks: { compensationAuthorityFen: 2000 } })).status).toBe(200);
      task = await taskOf((await outOfStock('taobao')).id, 'out_of_stock');
      const r = await compensate(agent, { amountFen: 1500 });
      expect(r.body).toMatchObject({ status: 'open' });
      expect((r.body as TaskView).history.at(-1)).toMatchObject({ compensation: { amountFen: 1500, granted: true } });
      expect((await compensate(agent, { amountFen: 2001 })).body).toMatchObject({ status: 'escalated' });
    });
  });
});
