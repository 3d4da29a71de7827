/** Where Taobao gives a waybill (the logistics API) and which waybills its trace really follows (§1.4). */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OrderStatus, TrackingState } from '../../src/platforms/ports/canonical.types.js';
import { TaobaoAdapter } from '../../src/platforms/taobao/taobao.adapter.js';
import { TaobaoClient } from '../../src/platforms/taobao/taobao.client.js';
import { FakePlatformServer } from './support/fake-platform.server.js';

const json = (v: unknown) => JSON.stringify(v);
const SHIPMENT = { carrierCode: null, carrierName: '中通快递', trackingNo: '78812345678', consignedAt: null };
const trade = (status: string) =>
  json({ trade_fullinfo_get_response: { trade: { tid: 4001, status, modified: '2026-11-22 10:00:00', consign_time: '2026-11-22 09:00:00', payment: '10.00', orders: { order: [{ oid: 1, title: 'T', num: 1, price: '10.00' }] } } } });
const trace = (status: string, steps: { status_time: string; status_desc: string; action: string }[]) =>
  json({ logistics_trace_search_response: { tid: 4001, out_sid: 78812345678, company_name: '中通快递', status, trace_list: { transit_step_info: steps } } });

describe('Taobao waybills and traces', () => {
  const server = new FakePlatformServer();
  let adapter: TaobaoAdapter;
  beforeAll(async () => {
    await server.start();
    adapter = new TaobaoAdapter(new TaobaoClient({ routerUrl: `${server.baseUrl}/router/rest`, appKey: 'app1', appSecret: 's', session: 'sess', now: () => new Date('2026-11-22T02:00:00Z') }));
  });
  afterAll(async () => server.stop());

  it('reads a shipped trade\'s waybill from taobao.logistics.trace.search', async () => {
    server.reply({ body: trade('WAIT_BUYER_CONFIRM_GOODS') }, { body: trace('运输中', []) });
    const order = await adapter.getOrder('4001');
    expect(server.last().form).toMatchObject({ method: 'taobao.logistics.trace.search', tid: '4001' });
    expect(order.status).toBe(OrderStatus.SHIPPED);
    expect(order.shipments).toEqual([{ carrierCode: null, carrierName: '中通快递', trackingNo: '78812345678', consignedAt: new Date('2026-11-22T01:00:00Z') }]);
  });

  it('asks nothing more for a trade not shipped yet, and shows no waybill for a trade without logistics', async () => {
    server.reply({ body: trade('WAIT_SELLER_SEND_GOODS') });
    const seen = server.seen.length;
    expect((await adapter.getOrder('4001')).shipments).toEqual([]);
    expect(server.seen.length).toBe(seen + 1);
    server.reply({ body: trade('WAIT_BUYER_CONFIRM_GOODS') }, { body: json({ error_response: { code: 15, msg: 'Remote service error', sub_code: 'isv.logistics-trace-not-exist', sub_msg: '该交易没有物流信息' } }) });
    expect((await adapter.getOrder('4001')).shipments).toEqual([]);
  });

  it('an offline-send waybill that reads 已签收 with no scan behind it is not a trace', async () => {
    server.reply({ body: trace('对方已签收', []) });
    expect(await adapter.getTracking('4001', SHIPMENT)).toBeNull();
  });

  it('an online-send waybill not yet scanned is a trace with no events', async () => {
    server.reply({ body: trace('已发货', []) });
    expect(await adapter.getTracking('4001', SHIPMENT)).toMatchObject({ state: TrackingState.PENDING, signed: false, events: [], trackingNo: '78812345678' });
    server.reply({ body: trace('对方已签收', [{ status_time: '2026-11-22 10:00:00', status_desc: '已揽收', action: 'GOT' }, { status_time: '2026-11-23 10:00:00', status_desc: '已签收', action: 'SIGNED' }]) });
    expect(await adapter.getTracking('4001', SHIPMENT)).toMatchObject({ state: TrackingState.SIGNED, signed: true });
  });
});
