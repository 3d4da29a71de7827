import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { InboundEventEntity } from '../../src/orders/inbound-event.entity.js';
import { InboundEventsService } from '../../src/orders/push/inbound-events.service.js';
import type { TaobaoModule } from '../../src/sandbox/platforms/taobao/taobao.module.js';
import { PushLeases } from '../../src/orders/push/push-leases.service.js';
import { TmcConsumer } from '../../src/orders/push/tmc-consumer.service.js';
import { OrderStatus } from '../../src/platforms/ports/canonical.types.js';
import { TB, startPushEnv, until, type PushEnv } from './push-test-env.js';

describe('Taobao TMC pull', () => {
  let env: PushEnv;
  let tmc: TmcConsumer;
  let seq = 0;
  const rows = () => env.db.getRepository(InboundEventEntity).find({ where: { platform: 'taobao', source: 'tmc' } });
  const pending = () => (env.sb.modules.find((m) => m.prefix === '/taobao') as TaobaoModule).tmc.pending(TB.appKey);
  const newOrderId = () => `40000000000000${String(++seq).padStart(4, '0')}`;
  const processedFor = (orderId: string, n: number) =>
    until(`${n} processed events of ${orderId}`, async () => {
      const mine = (await rows()).filter((r) => r.payload.includes(orderId));
      return mine.length === n && mine.every((r) => r.status === 'processed') ? mine : undefined;
    });

  beforeAll(async () => {
    env = await startPushEnv(31);
    tmc = env.app.get(TmcConsumer);
  });
  afterAll(async () => {
    await env.close();
  });

  it('stores pulled messages, confirms them, and ingests each order once as Taobao now reports it', async () => {
    const orderId = newOrderId();
    env.sb.world.addOrder({ platform: 'taobao', shopId: TB.shopId, orderId });
    env.sb.world.pay('taobao', orderId);
    const [round] = await tmc.consumeAll();
    expect(round).toMatchObject({ appKey: TB.appKey, pulled: 2, confirmed: 2, failed: 0 });
    expect(pending()).toHaveLength(0);
    const stored = await processedFor(orderId, 2);
    expect(stored.map((r) => r.topic).sort()).toEqual(['taobao_trade_TradeBuyerPay', 'taobao_trade_TradeCreate']);
    expect(stored.every((r) => r.shopId === env.shops.taobao)).toBe(true);
    // Both events may go in one batch, which fetches the order once: at most one ingest per event.
    const calls = env.ingest.forOrder(orderId);
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeLessThanOrEqual(2);
    expect(calls.every((c) => c.source === 'push' && c.shopId === env.shops.taobao)).toBe(true);
    expect(calls.every((c) => c.orders.filter((o) => o.orderId === orderId).every((o) => o.status === OrderStatus.AWAITING_SHIPMENT))).toBe(true);
  });

  it('a duplicated message is stored and processed once', async () => {
    env.sb.ctx.faults.set('taobao', { pushDuplicateRate: 1 });
    const orderId = newOrderId();
    env.sb.world.addOrder({ platform: 'taobao', shopId: TB.shopId, orderId });
    env.sb.ctx.faults.clear('taobao');
    const [round] = await tmc.consumeAll();
    expect(round.pulled).toBe(2);
    expect(pending()).toHaveLength(0);
    await processedFor(orderId, 1);
    expect(env.ingest.forOrder(orderId)).toHaveLength(1);
  });

  it('leaves a message whose storage failed unconfirmed, and stores it when TMC hands it out again', async () => {
    const inbound = env.app.get(InboundEventsService);
    const spy = jest.spyOn(inbound, 'store').mockRejectedValueOnce(new Error('database unavailable'));
    const orderId = newOrderId();
    env.sb.world.addOrder({ platform: 'taobao', shopId: TB.shopId, orderId });
    const [first] = await tmc.consumeAll();
    expect(first).toMatchObject({ pulled: 1, confirmed: 0, failed: 1 });
    expect(pending()).toHaveLength(1);
    expect((await rows()).some((r) => r.payload.includes(orderId))).toBe(false);
    spy.mockRestore();
    env.sb.clock.advance(5 * 60_000 + 1_000);
    const [again] = await tmc.consumeAll();
    expect(again).toMatchObject({ pulled: 1, confirmed: 1, failed: 0 });
    expect(pending()).toHaveLength(0);
    await processedFor(orderId, 1);
    expect(env.ingest.forOrder(orderId)).toHaveLength(1);
  });

  it('pulls an app in one process at a time: while another holds its lease, this one leaves it alone', async () => {
    const leases = env.app.get(PushLeases);
    const orderId = newOrderId();
    env.sb.world.addOrder({ platform: 'taobao', shopId: TB.shopId, orderId });
    expect(await leases.acquire(`tmc:${TB.appKey}`, 'other-worker:1', 60_000)).toBe(true);
    expect(await tmc.consumeAll()).toEqual([]);
    expect(pending()).toHaveLength(1);
    await leases.release(`tmc:${TB.appKey}`, 'other-worker:1');
    const [round] = await tmc.consumeAll();
    expect(round).toMatchObject({ appKey: TB.appKey, pulled: 1, confirmed: 1 });
    // The round gave its lease back: the other worker may take the next one.
    expect(await leases.holderOf(`tmc:${TB.appKey}`)).toBeNull();
    await processedFor(orderId, 1);
  });
});
