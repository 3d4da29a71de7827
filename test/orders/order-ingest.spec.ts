import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ManualClock } from '../../src/common/clock.js';
import { isDeadlock } from '../../src/common/errors.js';
import { OrderEvents } from '../../src/orders/order-events.js';
import type { OrderChanged } from '../../src/orders/order-ingest.js';
import { OrderIngest } from '../../src/orders/order-ingest.js';
import { OrderEntity } from '../../src/orders/order.entity.js';
import { ShipmentEntity } from '../../src/orders/shipment.entity.js';
import { OrderStatus, type CanonicalOrder } from '../../src/platforms/ports/canonical.types.js';
import type { ShopAdapters } from '../../src/shops/shop-adapters.js';
import { startOrdersApp, type OrdersApp } from './support/orders-harness.js';

const BIG_ID = '9007199254740993123';
const PLACED = Date.parse('2026-11-22T03:00:00Z');

function order(id: string, modifiedMs: number, patch: Partial<CanonicalOrder> = {}): CanonicalOrder {
  return {
    platform: 'taobao', orderId: id, status: OrderStatus.AWAITING_SHIPMENT, rawStatus: 'WAIT_SELLER_SEND_GOODS',
    createdAt: new Date(PLACED), paidAt: new Date(PLACED + 30_000), modifiedAt: new Date(modifiedMs),
    totalFen: 1990, paymentFen: 1990, postFeeFen: 0,
    lines: [{ lineId: `${id}-1`, productId: 'p1', skuId: 's1', outerSkuId: null, title: '短袖', skuName: null, quantity: 1, priceFen: 1990, paymentFen: 1990 }],
    receiver: { name: '张**', mobile: '$cipher$abc$1$$', phone: null, province: '浙江省', city: '杭州市', district: '西湖区', town: null, address: '~addr~x~1~', oaid: 'OAID123', form: 'cipher' },
    province: '浙江省', sellerMemo: null, flag: 'none', buyerMessage: null, shipments: [], refunding: false,
    ...patch,
  };
}

describe('OrdersService ingest (monotonic, batched)', () => {
  let t: OrdersApp;
  let ingest: OrderIngest;
  let shopId: number;
  const seen: OrderChanged[] = [];
  const clock = new ManualClock(Date.parse('2026-11-22T04:00:00Z'));

  beforeAll(async () => {
    t = await startOrdersApp({ clock, adapters: {} as ShopAdapters });
    ingest = t.app.get(OrderIngest);
    t.app.get(OrderEvents).subscribe((es) => void seen.push(...es));
    t.app.get(OrderEvents).subscribe(() => {
      throw new Error('a broken subscriber');
    });
    shopId = await t.addShop('taobao', '2200001');
  });
  afterAll(async () => t.close());

  it('inserts new orders in one batch and keeps ids beyond 2^53 exact', async () => {
    const base = clock.nowMs();
    const r = await ingest.ingest(shopId, [order(BIG_ID, base), order('1001', base), order('1002', base)], 'poll');
    expect(r).toMatchObject({ inserted: 3, updated: 0, unchanged: 0, stale: 0 });
    const row = await t.ds.getRepository(OrderEntity).findOneByOrFail({ platformOrderId: BIG_ID });
    expect(row.platformOrderId).toBe(BIG_ID);
    expect(row).toMatchObject({ status: 'paid', version: 1, receiver: expect.objectContaining({ mobile: '$cipher$abc$1$$', oaid: 'OAID123' }) });
    expect(seen.filter((e) => e.changes.includes('created')).map((e) => e.platformOrderId).sort()).toEqual(['1001', '1002', BIG_ID].sort());
  });

  it('ignores an older event, leaves the same state unchanged, and lets a newer one win with a version bump', async () => {
    const base = clock.nowMs();
    const stale = await ingest.ingest(shopId, [order(BIG_ID, base - 3_600_000, { sellerMemo: 'old memo' })], 'push');
    expect(stale).toMatchObject({ stale: 1, updated: 0 });
    const same = await ingest.ingest(shopId, [order(BIG_ID, base)], 'poll');
    expect(same).toMatchObject({ unchanged: 1, updated: 0, changed: [] });
    seen.length = 0;
    const newer = await ingest.ingest(shopId, [order(BIG_ID, base + 60_000, { sellerMemo: '顺丰 特快 寄付,kf01,2026-11-22', flag: 'blue' })], 'push');
    expect(newer).toMatchObject({ updated: 1, stale: 0 });
    const row = await t.ds.getRepository(OrderEntity).findOneByOrFail({ platformOrderId: BIG_ID });
    expect(row).toMatchObject({ version: 2, sellerMemo: '顺丰 特快 寄付,kf01,2026-11-22', sellerFlag: 'blue' });
    expect(seen).toEqual([expect.objectContaining({ platformOrderId: BIG_ID, version: 2, changes: ['memo'], source: 'push' })]);
  });

  it('adds a shipment once with its zone, and a batch repeating an order keeps the newest copy', async () => {
    const base = clock.nowMs() + 120_000;
    const ship = { carrierCode: 'zhongtong', carrierName: '中通', trackingNo: '78000000000001', consignedAt: new Date(base) };
    const shipped = order('1001', base, { status: OrderStatus.SHIPPED, rawStatus: 'WAIT_BUYER_CONFIRM_GOODS', shipments: [ship] });
    const r = await ingest.ingest(shopId, [order('1001', base - 1000), shipped, shipped], 'poll');
    expect(r).toMatchObject({ updated: 1 });
    const again = await ingest.ingest(shopId, [shipped], 'poll');
    expect(again).toMatchObject({ unchanged: 1 });
    const row = await t.ds.getRepository(OrderEntity).findOneByOrFail({ platformOrderId: '1001' });
    const shipments = await t.ds.getRepository(ShipmentEntity).findBy({ orderId: row.id });
    expect(row.status).toBe('shipped');
    expect(shipments).toHaveLength(1);
    expect(shipments[0]).toMatchObject({ trackingNo: '78000000000001', zone: 2, state: 'none' });
  });

  it('emits nothing when the caller rolls its transaction back', async () => {
    seen.length = 0;
    await expect(
      t.ds.transaction(async (m) => {
        await ingest.ingest(shopId, [order('1003', clock.nowMs())], 'push', m);
        throw new Error('caller failed');
      }),
    ).rejects.toThrow('caller failed');
    expect(seen).toEqual([]);
    expect(await t.ds.getRepository(OrderEntity).countBy({ platformOrderId: '1003' })).toBe(0);
    await t.ds.transaction((m) => ingest.ingest(shopId, [order('1003', clock.nowMs())], 'push', m));
    expect(seen.map((e) => e.platformOrderId)).toEqual(['1003']);
  });

  it('twice as many flows as the pool has connections, each ingesting in its own transaction, all finish while subscribers read the database', async () => {
    const reads: number[] = [];
    const unsubscribe = t.app.get(OrderEvents).subscribe(async (es) => {
      // A subscriber that reads, as the rules and the stall watch do: it must never wait on a pool
      // whose connections the committing flows still hold.
      for (const e of es) reads.push(await t.ds.getRepository(OrderEntity).countBy({ id: e.orderId }));
    });
    try {
      // The orders exist first, so the concurrent flows update one row each (no insert gap locks); like a
      // job, a flow that InnoDB still picks as a deadlock victim runs again.
      const n = t.config.database.poolSize * 2;
      const base = clock.nowMs();
      for (let i = 0; i < n; i++) await ingest.ingest(shopId, [order(String(5000 + i), base)], 'push');
      reads.length = 0;
      const flow = async (i: number): Promise<void> => {
        for (let attempt = 1; ; attempt++) {
          try {
            await t.ds.transaction((m) => ingest.ingest(shopId, [order(String(5000 + i), base + 60_000, { sellerMemo: `第${i}单` })], 'push', m));
            return;
          } catch (err) {
            if (!isDeadlock(err) || attempt >= 10) throw err;
            await new Promise((r) => setTimeout(r, 10 * attempt));
          }
        }
      };
      const flows = Array.from({ length: n }, (_, i) => flow(i));
      await Promise.all(flows);
    } finally {
      unsubscribe();
    }
    expect(reads).toEqual(Array.from({ length: t.config.database.poolSize * 2 }, () => 1));
  });
});
