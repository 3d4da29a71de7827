import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Clock } from '../../src/common/clock.js';
import { OrderPoller } from '../../src/orders/order-poller.js';
import { OrderEntity } from '../../src/orders/order.entity.js';
import { ShipmentEntity } from '../../src/orders/shipment.entity.js';
import { SyncStateEntity } from '../../src/orders/sync-state.entity.js';
import { PollProcessor } from '../../src/orders/poll.processor.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import type { SbOrder } from '../../src/sandbox/core/types.js';
import { eventually } from '../support/eventually.js';
import { startOrdersApp, type OrdersApp } from './support/orders-harness.js';
import { SandboxShopAdapters, type Mp } from './support/sandbox-shops.js';

const HOUR = 3_600_000;
const STATUS: Record<string, string> = {
  unpaid: 'unpaid', paid: 'paid', shipped: 'shipped', delivered: 'delivered', finished: 'finished', closed_unpaid: 'closed', closed_refunded: 'refunded',
};
const PLATFORMS: Mp[] = ['taobao', 'pinduoduo', 'kuaishou'];

class SandboxClock extends Clock {
  constructor(private readonly sb: RunningSandbox) {
    super();
  }
  now(): Date {
    return new Date(this.sb.clock.now());
  }
}

describe('polling marketplace orders against the sandbox', () => {
  let sb: RunningSandbox;
  let t: OrdersApp;
  let adapters: SandboxShopAdapters;
  const shops = {} as Record<Mp, { id: number; platformShopId: string }>;

  /** Orders over the past day: created every half hour, most paid, some shipped, a few with memos or closed. */
  function simulateDay(): void {
    let n = 0;
    for (let step = 0; step < 48; step++) {
      for (const p of PLATFORMS) {
        const shop = shops[p].platformShopId;
        for (let k = 0; k < 3; k++) {
          const o = sb.world.addOrder({ platform: p, shopId: shop });
          n++;
          if (n % 7 !== 0) sb.world.pay(p, o.orderId);
        }
        const paid = sb.world.orders({ platform: p, shopId: shop }).filter((o) => o.stage === 'paid');
        for (const o of paid.slice(0, 1)) sb.world.ship(p, o.orderId, { carrierCode: 'zhongtong', trackingNo: `78${String(++n).padStart(10, '0')}` });
        if (step % 5 === 0 && paid[1]) sb.world.writeMemo(p, paid[1].orderId, { text: `发票抬头:某某公司,kf01,第${step}`, flag: 'yellow', by: 'kf01', op: 'update' });
      }
      sb.clock.advance(HOUR / 2);
    }
  }

  async function expectEqual(p: Mp): Promise<void> {
    // PDD shows only paid orders, and only once its index caught up (≥ 3 min).
    const cutoff = sb.clock.now() - t.config.orders.pddLagMs - 30_000;
    const visible = (o: SbOrder) => (p !== 'pinduoduo' ? true : o.paidAt !== undefined && o.modifiedAt <= cutoff);
    const expected = sb.world.orders({ platform: p, shopId: shops[p].platformShopId }).filter(visible);
    const rows = await t.ds.getRepository(OrderEntity).findBy({ shopId: shops[p].id });
    const byId = new Map(rows.map((r) => [r.platformOrderId, r]));
    expect(rows.length).toBeGreaterThanOrEqual(expected.length);
    expect(new Set(rows.map((r) => r.platformOrderId)).size).toBe(rows.length);
    expect(expected.length).toBeGreaterThan(50);
    for (const o of expected) {
      const row = byId.get(o.orderId);
      expect({ id: o.orderId, status: row?.status }).toEqual({ id: o.orderId, status: STATUS[o.stage] });
      if (o.memo) expect(row?.sellerMemo).toContain(o.memo.split('\n').pop());
      // The Trade as Taobao renders it carries no waybill (that comes from the trace API).
      if (o.shipment && p !== 'taobao') {
        const ships = await t.ds.getRepository(ShipmentEntity).findBy({ orderId: row!.id });
        expect(ships.map((s) => s.trackingNo)).toContain(o.shipment.trackingNo);
      }
    }
  }

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, autoTick: false, seed: 11, startAt: Date.now() - 24 * HOUR - 6 * 60_000 });
    adapters = new SandboxShopAdapters(sb);
    // Rules evaluate in dry run: a chase remark written to the platform mid-test would change the
    // orders this test compares (polling is what is under test here).
    t = await startOrdersApp({ clock: new SandboxClock(sb), adapters, overrides: { orders: { initialLookbackMs: 26 * HOUR }, rules: { dryRun: true } } });
    for (const [i, p] of PLATFORMS.entries()) {
      const platformShopId = String(5_500_000 + i);
      const id = await t.addShop(p, platformShopId);
      adapters.connect(id, p, platformShopId);
      shops[p] = { id, platformShopId };
    }
    simulateDay();
  });
  afterAll(async () => {
    await t?.close();
    await sb?.close();
  });

  it('polls a day of orders per platform to equality with the platform, within each platform window rule', async () => {
    const poller = t.app.get(OrderPoller);
    for (const p of PLATFORMS) {
      const out = await poller.poll(shops[p].id, p, { resource: 'orders' });
      expect(out.caughtUp).toBe(true);
      await expectEqual(p);
    }
    const states = await t.ds.getRepository(SyncStateEntity).find();
    expect(states.every((s) => s.failureCount === 0 && s.lastError === null)).toBe(true);
    const taobao = states.find((s) => s.shopId === shops.taobao.id)!;
    // Only changed orders cost a detail read; a second pass over the same windows reads none.
    expect(taobao.detailCalls).toBeGreaterThan(0);
    const again = await poller.poll(shops.taobao.id, 'taobao', { resource: 'orders' });
    expect(again.detailCalls).toBe(0);
  });

  it('keeps polling through a rate-limit storm without errors or lost orders', async () => {
    sb.world.addOrder({ platform: 'taobao', shopId: shops.taobao.platformShopId });
    sb.clock.advance(60_000);
    const res = await fetch(`${sb.url}/_sandbox/faults/taobao`, { method: 'PUT', body: JSON.stringify({ rateLimitStormUntil: sb.clock.now() + 2500 }) });
    expect(res.ok).toBe(true);
    const out = await t.app.get(OrderPoller).poll(shops.taobao.id, 'taobao', { resource: 'orders' });
    expect(out.caughtUp).toBe(true);
    await expectEqual('taobao');
    const state = await t.ds.getRepository(SyncStateEntity).findOneByOrFail({ shopId: shops.taobao.id, resource: 'orders' });
    expect(state.failureCount).toBe(0);
  });

  it('continues after the token expires mid-run, once the shop adapters are refreshed', async () => {
    for (let i = 0; i < 5; i++) sb.world.pay('kuaishou', sb.world.addOrder({ platform: 'kuaishou', shopId: shops.kuaishou.platformShopId }).orderId);
    sb.clock.advance(60_000);
    sb.world.expireTokens('kuaishou', shops.kuaishou.platformShopId);
    await t.app.get(PollProcessor).pollShop({ shopId: shops.kuaishou.id, platform: 'kuaishou' });
    expect(adapters.invalidated).toContain(shops.kuaishou.id);
    await expectEqual('kuaishou');
  });

  it('the poll tick fans out one deterministic job per active marketplace shop, and the jobs run', async () => {
    sb.world.pay('pinduoduo', sb.world.addOrder({ platform: 'pinduoduo', shopId: shops.pinduoduo.platformShopId }).orderId);
    sb.clock.advance(5 * 60_000);
    expect(await t.app.get(PollProcessor).fanOut()).toBe(3);
    await eventually(() => expectEqual('pinduoduo'), 20000);
  });
});
