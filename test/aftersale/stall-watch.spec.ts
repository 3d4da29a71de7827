import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { StallWatch } from '../../src/logistics/stall-watch.service.js';
import { ShipmentEntity } from '../../src/orders/shipment.entity.js';
import { TrackProcessor } from '../../src/orders/track.processor.js';
import { shanghaiDate, shanghaiParts } from '../../src/common/shanghai-time.js';
import { eventually } from '../support/eventually.js';
import { ShopEntity } from '../../src/shops/shop.entity.js';
import { FIXTURES } from '../shops/shops-sandbox-setup.js';
import { backend } from '../support/test-env.js';
import { startAftersaleEnv, type AftersaleEnv, type Mp } from './support/aftersale-env.js';

const HOUR = 3_600_000;
const shopOf = (p: Mp) => FIXTURES.find((f) => f.platform === p)!.shopId;
let seq = 0;

describe(`stalled-logistics watch against the sandbox (${backend.label})`, () => {
  let env: AftersaleEnv;
  let watch: StallWatch;

  beforeAll(async () => {
    env = await startAftersaleEnv();
    watch = env.t.app.get(StallWatch);
  }, 60000);
  afterAll(async () => {
    await env?.close();
  });

  /** A paid order shipped now to `province`, its parcel silent unless a test scans it; stored by ingestion. */
  async function shipped(p: Mp, province: string): Promise<{ platformOrderId: string; trackingNo: string; shipmentId: number }> {
    const o = env.sb.world.addOrder({ platform: p, shopId: shopOf(p) });
    env.sb.world.setReceiver(p, o.orderId, { province });
    env.sb.world.pay(p, o.orderId);
    const trackingNo = `7300${String(++seq).padStart(8, '0')}`;
    env.sb.world.ship(p, o.orderId, { carrierCode: 'zhongtong', trackingNo, plan: 'none' });
    const order = await env.ingest(p, o.orderId);
    const [parcel] = await env.ds.getRepository(ShipmentEntity).findBy({ orderId: order.id });
    return { platformOrderId: o.orderId, trackingNo, shipmentId: parcel.id };
  }
  /** The courier scans the parcel in the sandbox, and kefu-bridge reads it from Pinduoduo's trace API. */
  async function scanned(trackingNo: string, context: string): Promise<void> {
    env.sb.world.addTrackEvent(trackingNo, { time: env.clock.nowMs(), state: 0, action: 'DEPARTURE', context });
    env.clock.advance(1000); // the scan happened: the sandbox shows it from now on
    await env.t.app.get(TrackProcessor).trackShop(env.shops.pinduoduo);
  }
  const parcel = (id: number) => env.ds.getRepository(ShipmentEntity).findOneByOrFail({ id });
  /** Runs the scan and answers whether it read this parcel. */
  async function scanFinds(id: number): Promise<boolean> {
    const before = await parcel(id);
    const due = before.watchDueAt !== null && before.watchDueAt.getTime() <= env.clock.nowMs();
    const result = await watch.scan();
    if (due) expect(result.shipments).toBeGreaterThanOrEqual(1);
    return due;
  }

  it('zone 1: nothing at 23 h without an update, a stall at 25 h, flagged once, cleared by a new event', async () => {
    const p = await shipped('pinduoduo', '广东省');
    await scanned(p.trackingNo, '【广州市】已揽收');
    const collected = await parcel(p.shipmentId);
    expect(collected).toMatchObject({ zone: 1, lastEventDesc: '【广州市】已揽收', stallFlag: null });
    const lastEvent = collected.lastEventAt!.getTime();
    expect(collected.watchDueAt!.getTime()).toBe(lastEvent + 24 * HOUR + 1);

    env.clock.set(new Date(lastEvent + 23 * HOUR));
    expect(await scanFinds(p.shipmentId)).toBe(false);
    expect((await parcel(p.shipmentId)).stallFlag).toBeNull();
    const sbOrder = () => env.sb.world.order('pinduoduo', p.platformOrderId)!;
    const chaseTasks = async () => env.tasks({ orderId: collected.orderId, type: 'chase_logistics' });
    expect(sbOrder().memo).toBe('');
    expect(await chaseTasks()).toHaveLength(0);

    env.clock.set(new Date(lastEvent + 25 * HOUR));
    expect(await scanFinds(p.shipmentId)).toBe(true);
    const stalled = await parcel(p.shipmentId);
    expect(stalled).toMatchObject({ stallFlag: 'no_update' });
    // Chased: 已催件 in the memo with the chase flag, and one task for an in-sale agent to follow the courier.
    await eventually(() => expect(sbOrder().memo).toBe(`已催件 系统 ${shanghaiDate(env.clock.now())}`), 10_000);
    expect(sbOrder().flag).toBe('blue');
    expect((await chaseTasks()).map((t) => t.role)).toEqual(['in_sale']);
    // Virtual time runs on with real time: the stall was flagged within the last few moments.
    expect(env.clock.nowMs() - stalled.stalledAt!.getTime()).toBeLessThan(5000);
    expect(stalled.stallRefAt!.getTime()).toBe(lastEvent);
    // One flag per stall: looked at again only when the chase is due to escalate.
    expect(stalled.watchDueAt!.getTime()).toBe(stalled.stalledAt!.getTime() + 24 * HOUR + 1);
    expect(await scanFinds(p.shipmentId)).toBe(false);
    expect((await parcel(p.shipmentId)).stalledAt!.getTime()).toBe(stalled.stalledAt!.getTime());

    env.clock.advance(HOUR);
    await scanned(p.trackingNo, '【长沙市】已发出');
    const moved = await parcel(p.shipmentId);
    expect(moved).toMatchObject({ stallFlag: null, stalledAt: null, stallRefAt: null, lastEventDesc: '【长沙市】已发出' });
    expect(moved.watchDueAt!.getTime()).toBe(moved.lastEventAt!.getTime() + 24 * HOUR + 1);
  });

  it('zone 2: nothing at 30 h without an update, a stall at 49 h', async () => {
    const p = await shipped('pinduoduo', '浙江省');
    await scanned(p.trackingNo, '【广州市】已揽收');
    const lastEvent = (await parcel(p.shipmentId)).lastEventAt!.getTime();
    expect((await parcel(p.shipmentId)).zone).toBe(2);
    env.clock.set(new Date(lastEvent + 30 * HOUR));
    expect(await scanFinds(p.shipmentId)).toBe(false);
    expect((await parcel(p.shipmentId)).stallFlag).toBeNull();
    env.clock.set(new Date(lastEvent + 49 * HOUR));
    expect(await scanFinds(p.shipmentId)).toBe(true);
    expect((await parcel(p.shipmentId)).stallFlag).toBe('no_update');
  });

  it('not collected at 25 h is a stall, unless a promotion window is on; a waybill that never moves is a fake ship', async () => {
    const quiet = await shipped('kuaishou', '浙江省');
    const kuaishou = await env.ds.getRepository(ShopEntity).findOneByOrFail({ id: env.shops.kuaishou });
    const consigned = (await parcel(quiet.shipmentId)).consignedAt!.getTime();
    expect((await parcel(quiet.shipmentId)).watchDueAt!.getTime()).toBe(consigned + 24 * HOUR + 1);

    // The Pinduoduo shop runs no promotion: its silent parcel is chased at 25 h.
    const plain = await shipped('pinduoduo', '浙江省');
    env.clock.set(new Date(consigned + 25 * HOUR));
    const md = (t: number) => { const d = shanghaiParts(t); return `${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`; };
    await env.ds.getRepository(ShopEntity).update({ id: kuaishou.id }, { settings: { ...kuaishou.settings, promotions: [{ name: '店庆', start: md(consigned), end: md(consigned + 5 * 24 * HOUR) }] } });
    await watch.scan();
    expect((await parcel(plain.shipmentId)).stallFlag).toBe('not_collected');
    const promo = await parcel(quiet.shipmentId);
    expect(promo.stallFlag).toBeNull();
    // Inside the promotion the next look is when a silent waybill counts as a fake ship.
    expect(promo.watchDueAt!.getTime()).toBe(consigned + 48 * HOUR + 1);
    env.clock.set(new Date(consigned + 49 * HOUR));
    await watch.scan();
    expect((await parcel(quiet.shipmentId)).stallFlag).toBe('fake_ship');
  });

  it('stops watching a parcel once it is signed', async () => {
    const p = await shipped('pinduoduo', '广东省');
    env.sb.world.addTrackEvent(p.trackingNo, { time: env.clock.nowMs(), state: 3, action: 'SIGNED', context: '已签收' });
    env.clock.advance(1000);
    await env.t.app.get(TrackProcessor).trackShop(env.shops.pinduoduo);
    expect(await parcel(p.shipmentId)).toMatchObject({ state: 'signed', watchDueAt: null });
  });
});
