/**
 * Orders move through their whole life on each marketplace, as each platform's own API reports it,
 * with parcels scanned at the speed of the destination's zone.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KsTestClient, SHOP_ID as KS_SHOP, startKuaishouSandbox } from './kuaishou/ks-test-client.js';
import { MALL_ID, PddTestClient, startPddSandbox } from './pinduoduo/pdd-test-client.js';
import { SHOP_ID as TB_SHOP, TopTestClient, startTaobaoSandbox } from './taobao/top-test-client.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const receiver = (province: string) => ({ province, city: '某市', district: '某区', name: '李四', mobile: '13700001111', address: '某路8号' });

describe('a whole order life on Taobao', () => {
  let c: TopTestClient;
  beforeAll(async () => void (c = await startTaobaoSandbox()));
  afterAll(async () => c.sb.close());

  const status = async (tid: string) =>
    (await c.call('taobao.trade.fullinfo.get', { tid, fields: 'tid,status' })).trade_fullinfo_get_response.trade.status as string;

  it('goes WAIT_BUYER_PAY → WAIT_SELLER_SEND_GOODS → WAIT_BUYER_CONFIRM_GOODS → TRADE_FINISHED, zone 1 before zone 3', async () => {
    const w = c.sb.world;
    const near = w.addOrder({ platform: 'taobao', shopId: TB_SHOP, orderId: '4100000000000000001', receiver: receiver('湖南省') });
    const far = w.addOrder({ platform: 'taobao', shopId: TB_SHOP, orderId: '4100000000000000002', receiver: receiver('西藏自治区') });
    expect(await status(near.orderId)).toBe('WAIT_BUYER_PAY');
    for (const o of [near, far]) w.pay('taobao', o.orderId);
    expect(await status(near.orderId)).toBe('WAIT_SELLER_SEND_GOODS');
    for (const o of [near, far]) w.ship('taobao', o.orderId, { carrierCode: 'zhongtong', sendType: 'online' });
    expect(await status(near.orderId)).toBe('WAIT_BUYER_CONFIRM_GOODS');
    c.sb.clock.advance(2 * DAY + HOUR);
    expect(w.order('taobao', near.orderId)?.stage).toBe('delivered');
    expect(w.order('taobao', far.orderId)?.stage).toBe('shipped');
    c.sb.clock.advance(4 * DAY);
    expect(w.order('taobao', far.orderId)?.stage).toBe('delivered');
    c.sb.clock.advance(10 * DAY);
    expect(await status(near.orderId)).toBe('TRADE_FINISHED');
    expect(await status(far.orderId)).toBe('TRADE_FINISHED');
  });

  it('closes an unpaid order 3 days after it was placed (TRADE_CLOSED_BY_TAOBAO)', async () => {
    const o = c.sb.world.addOrder({ platform: 'taobao', shopId: TB_SHOP, orderId: '4100000000000000003', receiver: receiver('广东省') });
    c.sb.clock.advance(3 * DAY - HOUR);
    expect(await status(o.orderId)).toBe('WAIT_BUYER_PAY');
    c.sb.clock.advance(2 * HOUR);
    expect(await status(o.orderId)).toBe('TRADE_CLOSED_BY_TAOBAO');
  });
});

describe('a whole order life on Pinduoduo', () => {
  let c: PddTestClient;
  beforeAll(async () => void (c = await startPddSandbox()));
  afterAll(async () => c.sb.close());

  const info = async (sn: string) => (await c.call('pdd.order.information.get', { order_sn: sn })) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  it('hides the order until paid, then order_status 1 → 2 → 3 with the tracking number', async () => {
    const w = c.sb.world;
    const o = w.addOrder({ platform: 'pinduoduo', shopId: MALL_ID, orderId: '261122-510000000000001', receiver: receiver('江苏省') });
    expect((await info(o.orderId)).error_response).toBeDefined();
    w.pay('pinduoduo', o.orderId);
    expect((await info(o.orderId)).order_info_get_response.order_info.order_status).toBe(1);
    w.ship('pinduoduo', o.orderId, { carrierCode: 'yunda', trackingNo: '4312345678901' });
    const shipped = (await info(o.orderId)).order_info_get_response.order_info;
    expect(shipped).toMatchObject({ order_status: 2, tracking_number: '4312345678901' });
    c.sb.clock.advance(4 * DAY);
    expect((await info(o.orderId)).order_info_get_response.order_info.order_status).toBe(3);
  });
});

describe('a whole order life on Kuaishou', () => {
  let c: KsTestClient;
  beforeAll(async () => void (c = await startKuaishouSandbox()));
  afterAll(async () => c.sb.close());

  const status = async (oid: string) => (await c.call('open.order.detail', { oid })).json.data.orderBaseInfo.status as number;

  it('goes 10 → 30 → 40 → 50 → 70 at zone speed', async () => {
    const w = c.sb.world;
    const o = w.addOrder({ platform: 'kuaishou', shopId: KS_SHOP, orderId: '2611220000000001', receiver: receiver('浙江省') });
    expect(await status(o.orderId)).toBe(10);
    w.pay('kuaishou', o.orderId);
    expect(await status(o.orderId)).toBe(30);
    w.ship('kuaishou', o.orderId, { carrierCode: 'yuantong' });
    expect(await status(o.orderId)).toBe(40);
    c.sb.clock.advance(DAY);
    expect(await status(o.orderId)).toBe(40); // zone 2 (浙江 from 广东): more than a day in transit
    c.sb.clock.advance(3 * DAY);
    expect(await status(o.orderId)).toBe(50);
    c.sb.clock.advance(10 * DAY);
    expect(await status(o.orderId)).toBe(70);
  });

  it('fails an unpaid order when the platform closes it (80)', async () => {
    const o = c.sb.world.addOrder({ platform: 'kuaishou', shopId: KS_SHOP, orderId: '2611220000000002', receiver: receiver('广东省') });
    c.sb.clock.advance(2 * HOUR);
    expect(await status(o.orderId)).toBe(80);
  });
});
