import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ErpCopyWriter } from '../../src/orders/erp-copy.writer.js';
import { ErpPoller } from '../../src/orders/erp-poller.js';
import { OrderPoller } from '../../src/orders/order-poller.js';
import { OrderEntity } from '../../src/orders/order.entity.js';
import { OrderEvents } from '../../src/orders/order-events.js';
import type { OrderChanged } from '../../src/orders/order-ingest.js';
import { PollProcessor } from '../../src/orders/poll.processor.js';
import { SyncStateEntity } from '../../src/orders/sync-state.entity.js';
import type { ErpOrder } from '../../src/platforms/ports/erp.types.js';
import { ShopAdapters } from '../../src/shops/shop-adapters.js';
import { startLiveEnv, type LiveEnv, type LiveShop } from './support/live-env.js';

const MIN = 60_000;

/** The ERP copy of marketplace orders: Jushuitan order id, status and audit stage, polled per ERP shop. */
describe('ERP copy of canonical orders', () => {
  let env: LiveEnv;
  let db: DataSource;
  let tb: LiveShop;
  let ks: LiveShop;
  const changes: OrderChanged[] = [];

  const row = (shop: LiveShop, orderId: string) => db.getRepository(OrderEntity).findOneByOrFail({ shopId: shop.id, platformOrderId: orderId });
  const paid = (shop: LiveShop): string => {
    const o = env.sb.world.addOrder({ platform: shop.platform, shopId: shop.platformShopId });
    env.sb.world.pay(shop.platform, o.orderId);
    return o.orderId;
  };
  const erpOf = (shop: LiveShop, orderId: string) => env.sb.world.erpOrderBySoId(shop.erpShopId!, orderId)!;
  /** What one poll tick does for a shop: its orders, then their ERP copies. */
  const pollBoth = async (shop: LiveShop) => {
    await env.t.app.get(OrderPoller).poll(shop.id, shop.platform, { resource: 'orders' });
    return env.t.app.get(ErpPoller).poll(shop.id);
  };

  beforeAll(async () => {
    env = await startLiveEnv({
      seed: 41,
      shops: [
        { platform: 'taobao', platformShopId: '3320001', erpShopId: '18200001' },
        { platform: 'kuaishou', platformShopId: '2220001', erpShopId: '18200002' },
      ],
      overrides: { orders: { initialLookbackMs: 2 * 3_600_000 } },
    });
    db = env.t.app.get(DataSource);
    tb = env.shop('taobao');
    ks = env.shop('kuaishou');
    env.t.app.get(OrderEvents).subscribe((es) => void changes.push(...es));
  });
  afterAll(async () => {
    await env?.close();
  });

  it('does not read the ERP ahead of the shop own polling', async () => {
    paid(tb);
    env.sb.clock.advance(2 * MIN);
    expect(await env.t.app.get(ErpPoller).poll(tb.id)).toEqual({ windows: 0, orders: 0, changed: 0, caughtUp: true });
  });

  it('fills erpOrderId, status and stage 待审核 for paid orders, then 已审核 once the ERP audits them', async () => {
    const ids = [paid(tb), paid(tb), paid(ks)];
    env.sb.clock.advance(2 * MIN);
    const first = await pollBoth(tb);
    expect(first.caughtUp).toBe(true);
    await pollBoth(ks);
    for (const [shop, id] of [[tb, ids[0]], [tb, ids[1]], [ks, ids[2]]] as const) {
      expect(await row(shop, id)).toMatchObject({ erpOrderId: erpOf(shop, id).oId, erpStatus: 'WaitConfirm', erpStage: 'WAIT_AUDIT' });
    }
    expect(changes.filter((c) => c.changes.includes('erp')).map((c) => c.platformOrderId)).toEqual(expect.arrayContaining(ids));
    env.sb.clock.advance(12 * MIN);
    await pollBoth(tb);
    const audited = await row(tb, ids[0]);
    expect(audited).toMatchObject({ erpStatus: 'WaitFConfirm', erpStage: 'AUDITED' });
    expect(new Date(audited.erpModifiedAt!).getTime()).toBe(Math.floor(erpOf(tb, ids[0]).modifiedAt / 1000) * 1000);
  });

  it('never lets an older ERP read overwrite a newer one', async () => {
    const id = paid(tb);
    env.sb.clock.advance(2 * MIN);
    await pollBoth(tb);
    const erp = await env.t.app.get(ShopAdapters).erp(tb.id);
    const early: ErpOrder | null = await erp.getOrderByOnlineId(tb.erpShopId!, id);
    expect(early?.stage).toBe('WAIT_AUDIT');
    env.sb.clock.advance(20 * MIN);
    await pollBoth(tb);
    const before = await row(tb, id);
    expect(before.erpStage).toBe('AUDITED');
    const writer = env.t.app.get(ErpCopyWriter);
    const events = await db.transaction((m) => writer.apply(m, tb.id, [early!], 'poll'));
    expect(events).toEqual([]);
    expect(await row(tb, id)).toMatchObject({ erpStage: 'AUDITED', version: before.version });
  });

  it('keeps the order own ERP copy when a 补发 order names the same online order, and shows 异常', async () => {
    const reshipped = paid(tb);
    const short = paid(tb);
    env.sb.world.setOutOfStock(erpOf(tb, short).oId, true);
    env.sb.clock.advance(2 * MIN);
    await pollBoth(tb);
    const own = erpOf(tb, reshipped).oId;
    env.sb.world.createReship({ erpShopId: tb.erpShopId!, outerAsId: 'rs-erp-1', soId: reshipped, reason: '快递丢件', lineSkus: [] });
    env.sb.clock.advance(40 * MIN);
    await pollBoth(tb);
    expect((await row(tb, reshipped)).erpOrderId).toBe(own);
    expect(await row(tb, short)).toMatchObject({ erpStatus: 'Question', erpStage: 'QUESTION' });
  });

  it('runs from the poll tick: one ERP job per shop with an ERP shop, its own cursor', async () => {
    const id = paid(ks);
    env.sb.clock.advance(2 * MIN);
    const processor = env.t.app.get(PollProcessor);
    await processor.pollShop({ shopId: ks.id, platform: 'kuaishou' });
    await processor.pollShop({ shopId: ks.id, platform: 'erp' });
    expect((await row(ks, id)).erpStage).toBe('WAIT_AUDIT');
    const state = await db.getRepository(SyncStateEntity).findOneByOrFail({ shopId: ks.id, resource: 'erp' });
    expect(state).toMatchObject({ failureCount: 0, lastError: null });
    expect(state.listCalls).toBeGreaterThan(0);
  });
});
