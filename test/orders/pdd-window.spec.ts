import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { OrderPoller } from '../../src/orders/order-poller.js';
import { OrderEntity } from '../../src/orders/order.entity.js';
import { SyncStateEntity } from '../../src/orders/sync-state.entity.js';
import { startLiveEnv, type LiveEnv } from './support/live-env.js';

const MIN = 60_000;

/** Pinduoduo's increment list only shows an update minutes after it happened, by Pinduoduo's own clock. */
describe('Pinduoduo windows end before platform time', () => {
  let env: LiveEnv;
  let db: DataSource;

  beforeAll(async () => {
    // Our clock runs 5 minutes ahead of Pinduoduo's: a window ending at our time − 3 min would pass
    // orders PDD does not show yet, and the cursor would move past them.
    env = await startLiveEnv({
      seed: 51,
      shops: [{ platform: 'pinduoduo', platformShopId: '8830001' }],
      clockOffsetMs: 5 * MIN,
      overrides: { orders: { overlapMs: 30_000, initialLookbackMs: 3_600_000 } },
    });
    db = env.t.app.get(DataSource);
  });
  afterAll(async () => {
    await env?.close();
  });

  it('ends each window 3 minutes before pdd.time.get and loses no order updated near the end', async () => {
    const shop = env.shop('pinduoduo');
    const poller = env.t.app.get(OrderPoller);
    const order = env.sb.world.addOrder({ platform: 'pinduoduo', shopId: shop.platformShopId });
    env.sb.world.pay('pinduoduo', order.orderId);
    env.sb.clock.advance(MIN);
    // The sandbox clock runs on with real time: PDD's time (whole seconds) is read somewhere in between.
    const before = Math.floor(env.sb.clock.now() / 1000) * 1000;
    await poller.poll(shop.id, 'pinduoduo', { resource: 'orders' });
    const after = env.sb.clock.now();
    const state = await db.getRepository(SyncStateEntity).findOneByOrFail({ shopId: shop.id, resource: 'orders' });
    const end = new Date(state.windowEnd!).getTime() + env.t.config.orders.pddLagMs;
    expect(end).toBeGreaterThanOrEqual(before);
    expect(end).toBeLessThanOrEqual(after);
    expect(await db.getRepository(OrderEntity).countBy({ shopId: shop.id })).toBe(0);
    env.sb.clock.advance(10 * MIN);
    const out = await poller.poll(shop.id, 'pinduoduo', { resource: 'orders' });
    expect(out.caughtUp).toBe(true);
    expect(await db.getRepository(OrderEntity).findOneBy({ shopId: shop.id, platformOrderId: order.orderId })).toMatchObject({ status: 'paid' });
  });
});
