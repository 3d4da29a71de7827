import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { InboundEventEntity } from '../../src/orders/inbound-event.entity.js';
import { Kd100Salts } from '../../src/orders/push/kd100-salts.js';
import { OrderEntity } from '../../src/orders/order.entity.js';
import { ShipmentEntity } from '../../src/orders/shipment.entity.js';
import { TrackingEventEntity } from '../../src/orders/tracking-event.entity.js';
import { PlatformRegistry } from '../../src/platforms/registry.js';
import { KD, TB, startPushEnv, until, type PushEnv } from './push-test-env.js';
import { authAs } from '../support/auth.js';

const HOUR = 3_600_000;

describe('Kuaidi100 tracking callbacks', () => {
  let env: PushEnv;
  let salts: Kd100Salts;
  let seq = 0;
  const rows = () => env.db.getRepository(InboundEventEntity).find({ where: { platform: 'kuaidi100' } });
  const events = (shipmentId: number) => env.db.getRepository(TrackingEventEntity).find({ where: { shipmentId } });

  /** A shipped sandbox order, its shipment row on our side, and a subscription with the derived salt. */
  async function shippedAndSubscribed(): Promise<{ trackingNo: string; shipment: ShipmentEntity }> {
    const orderId = `41000000000000${String(++seq).padStart(4, '0')}`;
    const trackingNo = `7800000090${String(seq).padStart(4, '0')}`;
    env.sb.world.addOrder({ platform: 'taobao', shopId: TB.shopId, orderId });
    env.sb.world.pay('taobao', orderId);
    env.sb.world.ship('taobao', orderId, { carrierCode: 'zhongtong', trackingNo, sendType: 'offline' });
    const now = new Date();
    const order = env.db.getRepository(OrderEntity).create({
      shopId: env.shops.taobao, platform: 'taobao', platformOrderId: orderId, status: 'shipped', platformStatus: 'WAIT_BUYER_CONFIRM_GOODS',
      totalFen: 100, postFeeFen: 0, lineItems: [], sellerFlag: 'none', refunding: false, version: 1, createdAt: now, updatedAt: now,
    });
    await env.db.getRepository(OrderEntity).save(order);
    const repo = env.db.getRepository(ShipmentEntity);
    const shipment = repo.create({
      orderId: order.id, shopId: env.shops.taobao, carrierCode: 'zhongtong', carrierName: '中通', trackingNo, isReship: false,
      consignedAt: now, collectedAt: null, lastEventAt: null, lastEventDesc: null, state: 'none', zone: null,
      watchDueAt: null, stallFlag: null, stalledAt: null, createdAt: now, updatedAt: now,
    });
    await repo.save(shipment);
    const tracking = new PlatformRegistry().tracking({ baseUrl: env.config.platforms.tracking.baseUrl, customer: KD.customer, key: KD.key });
    await tracking.subscribe({ carrierCode: 'zhongtong', trackingNo, callbackUrl: `${env.url}/webhooks/kuaidi100`, salt: salts.saltFor(trackingNo) });
    return { trackingNo, shipment };
  }

  async function counts(): Promise<Record<string, number>> {
    const r = await fetch(`${env.url}/api/inbound/stats`, { headers: await authAs(env, { roles: ['operator'] }) });
    const body = (await r.json()) as { sources: { platform: string; counts: Record<string, number> }[] };
    return body.sources.find((s) => s.platform === 'kuaidi100')?.counts ?? {};
  }

  beforeAll(async () => {
    env = await startPushEnv(51);
    salts = env.app.get(Kd100Salts);
  });
  afterAll(async () => {
    await env.close();
  });

  it('verifies, stores and applies pushed scans to the shipment once each', async () => {
    const { trackingNo, shipment } = await shippedAndSubscribed();
    env.sb.clock.advance(30 * HOUR);
    const stored = await until('processed pushes', async () => {
      const mine = (await rows()).filter((r) => r.eventId.startsWith(`${trackingNo}:`));
      return mine.length > 0 && mine.every((r) => r.status === 'processed') ? mine : undefined;
    });
    expect(stored.every((r) => r.shopId === env.shops.taobao)).toBe(true);
    const world = env.sb.world.shipmentByTracking(trackingNo)!.shipment.events;
    const mine = await until('events written', async () => {
      const e = await events(shipment.id);
      return e.length === world.length ? e : undefined;
    });
    expect(new Set(mine.map((e) => e.fingerprint)).size).toBe(world.length);
    const after = await env.db.getRepository(ShipmentEntity).findOneByOrFail({ id: shipment.id });
    expect(after.collectedAt).not.toBeNull();
    expect(after.lastEventAt?.getTime()).toBe(Math.max(...world.map((e) => e.time)) - (Math.max(...world.map((e) => e.time)) % 1000));
    expect(after.state).not.toBe('none');
  });

  it('a duplicated callback is stored once and adds no events twice', async () => {
    env.sb.ctx.faults.set('kuaidi100', { pushDuplicateRate: 1 });
    const before = (await counts()).duplicate ?? 0;
    const { trackingNo, shipment } = await shippedAndSubscribed();
    env.sb.clock.advance(8 * HOUR);
    await until('duplicate counted', async () => ((await counts()).duplicate ?? 0) > before);
    env.sb.ctx.faults.clear('kuaidi100');
    await until('processed', async () => {
      const mine = (await rows()).filter((r) => r.eventId.startsWith(`${trackingNo}:`));
      return mine.length > 0 && mine.every((r) => r.status === 'processed');
    });
    const world = env.sb.world.shipmentByTracking(trackingNo)!.shipment.events;
    expect(await events(shipment.id)).toHaveLength(world.length);
  });

  it('refuses a wrong sign and a malformed param with 400, counted, changing nothing', async () => {
    const before = await counts();
    const param = JSON.stringify({ status: 'polling', message: '', lastResult: { state: '3', ischeck: '1', com: 'zhongtong', nu: '78000000990001', data: [{ context: '已签收', ftime: '2025-11-20 10:00:00' }] } });
    const forged = createHash('md5').update(param + 'guessed-salt').digest('hex').toUpperCase();
    const post = (form: Record<string, string>) =>
      fetch(`${env.url}/webhooks/kuaidi100`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    const bad = await post({ param, sign: forged });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/sign does not match/);
    const right = createHash('md5').update(param.slice(0, 40) + salts.saltFor('78000000990001')).digest('hex').toUpperCase();
    expect((await post({ param: param.slice(0, 40), sign: right })).status).toBe(400);
    const after = await counts();
    expect((after.bad_signature ?? 0) - (before.bad_signature ?? 0)).toBe(1);
    expect((after.bad_body ?? 0) - (before.bad_body ?? 0)).toBe(1);
    expect((await rows()).some((r) => r.eventId.startsWith('78000000990001:'))).toBe(false);
  });

  it('a correctly signed push for a waybill we do not ship is rejected as unknown, counted', async () => {
    const before = (await counts()).unknown_waybill ?? 0;
    const nu = '78000000990002';
    const param = JSON.stringify({ status: 'polling', message: '', lastResult: { state: '0', ischeck: '0', com: 'zhongtong', nu, data: [{ context: '运输中', ftime: '2025-11-20 10:00:00' }] } });
    const sign = createHash('md5').update(param + salts.saltFor(nu)).digest('hex').toUpperCase();
    const res = await fetch(`${env.url}/webhooks/kuaidi100`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ param, sign }).toString() });
    expect(await res.json()).toEqual({ result: true, returnCode: '200', message: '成功' });
    const row = await until('rejected', async () => (await rows()).find((r) => r.eventId.startsWith(`${nu}:`) && r.status === 'rejected'));
    expect(row.error).toMatch(/no shipment with waybill/);
    expect((await counts()).unknown_waybill).toBe(before + 1);
  });
});
