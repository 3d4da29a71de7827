/**
 * Shipment tracking end to end against the sandbox over HTTP: Taobao online-send and Pinduoduo parcels
 * from the platforms' trace APIs, everything else from the Kuaidi100-style service (subscribed once,
 * signed callbacks, queries when callbacks stop, within its caps), on the test backend.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OrderEvents } from '../../src/orders/order-events.js';
import type { OrderChanged } from '../../src/orders/order-ingest.js';
import { ShipmentEntity } from '../../src/orders/shipment.entity.js';
import { TrackProcessor } from '../../src/orders/track.processor.js';
import { TrackingEventEntity } from '../../src/orders/tracking-event.entity.js';
import type { SbTrackEvent } from '../../src/sandbox/core/types.js';
import { eventually } from '../support/eventually.js';
import { backend } from '../support/test-env.js';
import type { Mp } from './support/sandbox-shops.js';
import { startTrackingEnv, type TestShop, type TrackingEnv } from './support/tracking-harness.js';

const HOUR = 3_600_000;

describe(`shipment tracking against the sandbox (${backend.label})`, () => {
  let env: TrackingEnv;
  let processor: TrackProcessor;
  const changes: OrderChanged[] = [];
  let seq = 0;

  const shipmentOf = (trackingNo: string) => env.ds.getRepository(ShipmentEntity).findOneByOrFail({ trackingNo });
  const stored = (shipmentId: number) => env.ds.getRepository(TrackingEventEntity).findBy({ shipmentId });
  const world = (trackingNo: string): SbTrackEvent[] => env.sb.world.shipmentByTracking(trackingNo)!.shipment.events;
  const newest = (events: SbTrackEvent[]) => events.reduce((a, e) => (e.time > a.time ? e : a));
  const signedInWorld = (trackingNo: string) => world(trackingNo).some((e) => e.state === 3);
  const subscriptions = async (trackingNo: string) => {
    const res = await fetch(`${env.sb.url}/_sandbox/kuaidi100/subscriptions`);
    return ((await res.json()) as { number: string }[]).filter((s) => s.number === trackingNo);
  };

  /** A paid order shipped now in the sandbox, ingested on our side; returns its waybill. */
  async function shipped(shop: TestShop, opts: { carrier?: string; sendType?: 'online' | 'offline' } = {}): Promise<string> {
    const order = env.sb.world.addOrder({ platform: shop.platform, shopId: shop.platformShopId });
    env.sb.world.pay(shop.platform, order.orderId);
    const trackingNo = `7${String(7_300_000_000_000 + ++seq)}`;
    env.sb.world.ship(shop.platform, order.orderId, { carrierCode: opts.carrier ?? 'zhongtong', trackingNo, sendType: opts.sendType ?? 'online' });
    await env.ingest(shop, order.orderId);
    return trackingNo;
  }

  /** Moves time on and runs the shop's tracking until the parcel is signed on our side. */
  async function trackUntilSigned(shop: TestShop, trackingNo: string): Promise<ShipmentEntity> {
    for (let day = 0; day < 12; day++) {
      const s = await shipmentOf(trackingNo);
      if (s.state === 'signed') return s;
      env.sb.clock.advance(12 * HOUR);
      await processor.trackShop(shop.id);
    }
    return shipmentOf(trackingNo);
  }

  async function expectAllEventsOnce(trackingNo: string): Promise<ShipmentEntity> {
    const s = await shipmentOf(trackingNo);
    const rows = await stored(s.id);
    expect(rows).toHaveLength(world(trackingNo).length);
    expect(new Set(rows.map((r) => r.fingerprint)).size).toBe(rows.length);
    return s;
  }

  beforeAll(async () => {
    env = await startTrackingEnv(31);
    processor = env.app.get(TrackProcessor);
    env.app.get(OrderEvents).subscribe((es) => void changes.push(...es));
  });
  afterAll(async () => {
    await env.close();
  });

  it.each<[Mp, string]>([
    ['taobao', 'taobao.logistics.trace.search'],
    ['pinduoduo', 'pdd.logistics.ordertrace.get'],
  ])('a %s parcel gets its events from the platform trace (%s) until it is signed, then is never read again', async (platform, api) => {
    const shop = await env.addShop(platform);
    const trackingNo = await shipped(shop);
    env.sb.clock.advance(12 * HOUR);
    expect(await processor.trackShop(shop.id)).toBe(1);
    let s = await expectAllEventsOnce(trackingNo);
    expect(world(trackingNo).length).toBeGreaterThan(0);
    expect(s).toMatchObject({ trackingSource: 'platform', lastEventDesc: newest(world(trackingNo)).context });
    expect(s.trackDueAt!.getTime()).toBeGreaterThan(env.sb.clock.now());
    expect(changes.some((c) => c.orderId === s.orderId && c.changes.includes('tracking'))).toBe(true);
    // Not due again before the cadence says so, however often the job runs.
    env.sb.clock.advance(env.config.orders.trackEveryMinutes * 30_000);
    expect(await processor.fanOut()).toBe(0);
    expect(await processor.trackShop(shop.id)).toBe(0);

    s = await trackUntilSigned(shop, trackingNo);
    expect(signedInWorld(trackingNo)).toBe(true);
    expect(s.state).toBe('signed');
    expect(s.trackDueAt).toBeNull();
    await expectAllEventsOnce(trackingNo);
    const reads = await env.calls(platform, api);
    env.sb.clock.advance(48 * HOUR);
    expect(await processor.fanOut()).toBe(0);
    expect(await processor.trackShop(shop.id)).toBe(0);
    expect(await env.calls(platform, api)).toBe(reads);
    expect(await subscriptions(trackingNo)).toHaveLength(0);
  });

  it('a Taobao offline-send waybill, which Taobao does not trace, goes to the tracking service', async () => {
    const shop = await env.addShop('taobao');
    const trackingNo = await shipped(shop, { sendType: 'offline' });
    expect((await shipmentOf(trackingNo)).carrierName).toBe('中通快递');
    env.sb.clock.advance(12 * HOUR);
    await processor.trackShop(shop.id);
    expect(await subscriptions(trackingNo)).toHaveLength(1);
    await eventually(async () => void (await expectAllEventsOnce(trackingNo)));
    expect((await shipmentOf(trackingNo)).trackingSource).toBe('kd100');
  });

  it('a Kuaishou parcel is subscribed once, follows signed callbacks, and is queried when they stop', async () => {
    const shop = await env.addShop('kuaishou');
    const trackingNo = await shipped(shop);
    env.sb.clock.advance(8 * HOUR);
    const queriesBefore = await env.calls('kuaidi100', 'poll/query.do');
    await processor.trackShop(shop.id);
    expect(await subscriptions(trackingNo)).toHaveLength(1);
    // The subscription pushes what the carrier has scanned so far; later scans come as they happen.
    await eventually(async () => void (await expectAllEventsOnce(trackingNo)));
    env.sb.clock.advance(4 * HOUR);
    await processor.trackShop(shop.id);
    await eventually(async () => void (await expectAllEventsOnce(trackingNo)));
    let s = await shipmentOf(trackingNo);
    expect(s).toMatchObject({ trackingSource: 'kd100', trackingSubscriptions: 1, lastEventDesc: newest(world(trackingNo)).context });
    expect(await env.calls('kuaidi100', 'poll/query.do')).toBe(queriesBefore);

    env.sb.ctx.faults.set('kuaidi100', { pushDropRate: 1 });
    try {
      env.sb.clock.advance(env.config.orders.trackSilenceMinutes * 60_000 + HOUR);
      const missed = world(trackingNo).length - (await stored(s.id)).length;
      expect(missed).toBeGreaterThan(0);
      await processor.trackShop(shop.id);
      expect(await env.calls('kuaidi100', 'poll/query.do')).toBe(queriesBefore + 1);
      await expectAllEventsOnce(trackingNo);
      s = await trackUntilSigned(shop, trackingNo);
    } finally {
      env.sb.ctx.faults.clear('kuaidi100');
    }
    expect(s.state).toBe('signed');
    expect(s.trackDueAt).toBeNull();
    await expectAllEventsOnce(trackingNo);
    expect(await subscriptions(trackingNo)).toHaveLength(1);
    const queries = await env.calls('kuaidi100', 'poll/query.do');
    env.sb.clock.advance(48 * HOUR);
    expect(await processor.trackShop(shop.id)).toBe(0);
    expect(await env.calls('kuaidi100', 'poll/query.do')).toBe(queries);
  });

  it('duplicated and reordered callbacks store each event once and never move a parcel backwards', async () => {
    const shop = await env.addShop('kuaishou');
    env.sb.ctx.faults.set('kuaidi100', { pushDuplicateRate: 1, pushReorderRate: 0.5 });
    try {
      const trackingNo = await shipped(shop, { carrier: 'yunda' });
      await processor.trackShop(shop.id);
      expect(await subscriptions(trackingNo)).toHaveLength(1);
      for (let i = 0; i < 16 && !signedInWorld(trackingNo); i++) env.sb.clock.advance(6 * HOUR);
      // Held-back pushes are released once the sandbox's reorder hold has passed.
      env.sb.clock.advance(HOUR);
      expect(signedInWorld(trackingNo)).toBe(true);
      await eventually(async () => {
        const s = await expectAllEventsOnce(trackingNo);
        expect(s.state).toBe('signed');
      });
      const s = await shipmentOf(trackingNo);
      const last = newest(world(trackingNo));
      expect(s.lastEventAt!.getTime()).toBe(last.time - (last.time % 1000));
      expect(s.lastEventDesc).toBe(last.context);
      expect(s.trackDueAt).toBeNull();
    } finally {
      env.sb.ctx.faults.clear('kuaidi100');
    }
  });
});

describe(`tracking-service caps under load (${backend.label})`, () => {
  let env: TrackingEnv;
  let processor: TrackProcessor;
  let seq = 0;

  /** Kuaishou parcels shipped now, ingested, with every callback lost: only queries can follow them. */
  async function silentParcels(shop: TestShop, n: number): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const order = env.sb.world.addOrder({ platform: 'kuaishou', shopId: shop.platformShopId });
      env.sb.world.pay('kuaishou', order.orderId);
      const trackingNo = `7${String(7_400_000_000_000 + ++seq)}`;
      env.sb.world.ship('kuaishou', order.orderId, { carrierCode: 'zhongtong', trackingNo });
      await env.ingest(shop, order.orderId);
      out.push(trackingNo);
    }
    return out;
  }

  beforeAll(async () => {
    // A tracking cadence of a minute and a minute of silence: the caps alone keep the queries in check.
    env = await startTrackingEnv(32, { orders: { trackEveryMinutes: 1, trackSilenceMinutes: 1 } });
    processor = env.app.get(TrackProcessor);
    env.sb.ctx.faults.set('kuaidi100', { pushDropRate: 1 });
  });
  afterAll(async () => {
    await env.close();
  });

  it('never queries one waybill past the per-waybill cap, however often the tick runs', async () => {
    const shop = await env.addShop('kuaishou');
    const parcels = await silentParcels(shop, 5);
    const before = { queries: await env.calls('kuaidi100', 'poll/query.do'), locked: await env.outcomes('kuaidi100', '503') };
    // A day of ticks every ten minutes (the sandbox locks a waybill queried more than 48 times in 24 h).
    for (let round = 0; round < 144; round++) {
      env.sb.clock.advance(10 * 60_000);
      if ((await processor.fanOut()) > 0) await processor.trackShop(shop.id);
    }
    const queries = (await env.calls('kuaidi100', 'poll/query.do')) - before.queries;
    const allowed = env.config.platforms.tracking.queriesPerWaybillPerDay;
    expect(await env.outcomes('kuaidi100', '503')).toBe(before.locked);
    expect(queries).toBeLessThanOrEqual(parcels.length * (allowed + 1));
    // Still queried all day: the fallback kept following the parcels, no faster than the cap allows
    // (and a little slower, as a query waits for the first tick after its gap).
    expect(queries).toBeGreaterThanOrEqual(parcels.length * allowed * 0.75);
    const rows = await env.ds.getRepository(ShipmentEntity).findBy({ shopId: shop.id });
    expect(rows.every((r) => r.trackingSubscriptions === 1 && r.trackQueriedAt !== null)).toBe(true);
  });

  it('paces a burst of due waybills under the request rate of the service', async () => {
    const shop = await env.addShop('kuaishou');
    const parcels = await silentParcels(shop, 60);
    await processor.trackShop(shop.id);
    expect((await env.ds.getRepository(ShipmentEntity).findBy({ shopId: shop.id })).every((r) => r.trackingSubscribedAt !== null)).toBe(true);
    env.sb.clock.advance(6 * 3_600_000);
    const before = { queries: await env.calls('kuaidi100', 'poll/query.do'), busy: await env.outcomes('kuaidi100', '502') };
    expect(await processor.trackShop(shop.id)).toBe(parcels.length);
    expect((await env.calls('kuaidi100', 'poll/query.do')) - before.queries).toBe(parcels.length);
    expect(await env.outcomes('kuaidi100', '502')).toBe(before.busy);
    const stored = await env.ds.getRepository(TrackingEventEntity).count();
    expect(stored).toBeGreaterThan(0);
  });
});
