import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PlatformError } from '../../src/platforms/errors.js';
import { OrderStatus } from '../../src/platforms/ports/canonical.types.js';
import { ErpStage } from '../../src/platforms/ports/erp.types.js';
import { JushuitanAdapter } from '../../src/platforms/jushuitan/jushuitan.adapter.js';
import { JushuitanClient } from '../../src/platforms/jushuitan/jushuitan.client.js';
import { translateJstError } from '../../src/platforms/jushuitan/jushuitan.errors.js';
import { mapJstOrder } from '../../src/platforms/jushuitan/jushuitan.mapper.js';
import { signJst, signJstLegacy } from '../../src/platforms/jushuitan/jushuitan.sign.js';
import { FakePlatformServer } from './support/fake-platform.server.js';

const APP_KEY = '5b53060f23d84ddf9703056e84fa5a2d';
const APP_SECRET = 'e9c5ca33fecb404b8e6cdbd0ef4a6d25';

describe('Jushuitan signing vectors (§7)', () => {
  it('signs a business call (ieu/jst-java vector)', () => {
    const params = {
      app_key: APP_KEY,
      access_token: 'd7b01bf0842a4742a9450e21ffd95f60',
      timestamp: '1639128407',
      charset: 'utf-8',
      version: '2',
      biz: '{"page_index":"1","page_size":"100","nicks":["老板"]}',
    };
    expect(signJst(params, APP_SECRET)).toBe('395f5a78b446be465ac03a02491296c7');
  });
  it('signs an auth call', () => {
    const params = { app_key: APP_KEY, timestamp: '1639128407', grant_type: 'authorization_code', charset: 'utf-8', code: '123456' };
    expect(signJst(params, APP_SECRET)).toBe('05e3a51e19e0883afd1882ccd309e0b9');
  });
  it('signs the legacy gateway', () => {
    expect(signJstLegacy('orders.single.query', 'PID', 'TOKEN', '1700000000', 'PKEY')).toBe('f6d64792bb084bfb669116faa116c1e0');
  });
});

describe('Jushuitan error translation', () => {
  it.each([
    [10, 'PERMANENT', undefined],
    [100, 'AUTH_EXPIRED', undefined],
    [140, 'TRANSIENT', undefined],
    [150, 'AUTH_REVOKED', undefined],
    [199, 'RATE_LIMITED', 1000],
    [200, 'RATE_LIMITED', 60000],
    [190, 'PERMANENT', undefined],
  ])('%d → %s', (code, expected, wait) => {
    const t = translateJstError(code, 'x');
    expect(t.code).toBe(expected);
    expect(t.retryAfterMs).toBe(wait);
  });
});

const ORDER = {
  o_id: 10086,
  so_id: '4012345678901234567',
  shop_id: 10001,
  status: 'WaitConfirm',
  order_date: '2026-11-22 09:00:00',
  modified: '2026-11-22 09:05:00',
  pay_amount: 188.5,
  freight: 0,
  remark: '顺丰 特快 寄付,kf01,2026-11-22',
  buyer_message: '请尽快发货',
  labels: '加急,大促',
  receiver_state: '广东省',
  receiver_city: '深圳市',
  receiver_district: '南山区',
  receiver_address: '科技园路**号',
  receiver_name: '张**',
  receiver_mobile: '138****0000',
  l_id: '',
  ts: 123456789,
  items: [{ oi_id: 1, sku_id: 'SKU-1002', name: '连帽卫衣', properties_value: '蓝色;XL', qty: 2, price: 99.5, amount: 188.5 }],
};

describe('Jushuitan mapper', () => {
  it('maps an order with audit stage, labels and fen amounts', () => {
    const o = mapJstOrder(ORDER);
    expect(o).toMatchObject({ erpOrderId: '10086', onlineOrderId: '4012345678901234567', shopId: '10001', status: OrderStatus.AWAITING_SHIPMENT, stage: ErpStage.WAIT_AUDIT, paymentFen: 18850, labels: ['加急', '大促'], shipment: null, rowVersion: '123456789' });
    expect(o.lines[0]).toMatchObject({ skuId: 'SKU-1002', quantity: 2, priceFen: 9950 });
  });
  it.each([
    ['WaitPay', OrderStatus.UNPAID, ErpStage.WAIT_PAY],
    ['WaitFConfirm', OrderStatus.AWAITING_SHIPMENT, ErpStage.AUDITED],
    ['Delivering', OrderStatus.AWAITING_SHIPMENT, ErpStage.AUDITED],
    ['Question', OrderStatus.AWAITING_SHIPMENT, ErpStage.QUESTION],
    ['Sent', OrderStatus.SHIPPED, ErpStage.SENT],
    ['Cancelled', OrderStatus.CANCELLED, ErpStage.CANCELLED],
    ['Merged', OrderStatus.CLOSED, ErpStage.MERGED],
    ['Split', OrderStatus.CLOSED, ErpStage.SPLIT],
  ])('%s → %s / %s', (raw, status, stage) => {
    expect(mapJstOrder({ ...ORDER, status: raw })).toMatchObject({ status, stage });
  });
});

describe('Jushuitan client and adapter over HTTP', () => {
  const server = new FakePlatformServer();
  let client: JushuitanClient;
  beforeAll(async () => {
    await server.start();
    client = new JushuitanClient({ baseUrl: `${server.baseUrl}/jushuitan`, appKey: 'jk1', appSecret: 'jst-secret-1', accessToken: 'jst-token-1', now: () => new Date(1_763_773_500_000) });
  });
  afterAll(async () => server.stop());

  it('posts signed biz JSON and pages by page_index', async () => {
    server.reply({ body: JSON.stringify({ code: 0, msg: '执行成功', data: { orders: [ORDER, { ...ORDER, o_id: 10087, type: '补发订单', as_id: 556677 }], has_next: true, page_index: 1 } }) });
    const adapter = new JushuitanAdapter(client);
    const page = await adapter.listOrders({ shopId: '10001', modifiedStart: new Date('2026-11-21T16:00:00Z'), modifiedEnd: new Date('2026-11-22T01:00:00Z') });
    const req = server.last();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/jushuitan/open/orders/single/query');
    expect(req.form).toMatchObject({ app_key: 'jk1', access_token: 'jst-token-1', timestamp: '1763773500', charset: 'utf-8', version: '2' });
    expect(JSON.parse(req.form.biz)).toMatchObject({ shop_id: 10001, modified_begin: '2026-11-22 00:00:00', modified_end: '2026-11-22 09:00:00', page_index: 1 });
    const { sign, ...rest } = req.form;
    expect(sign).toBe(signJst(rest, 'jst-secret-1'));
    expect(page).toMatchObject({ hasNext: true, nextCursor: 'page:2' });
    expect(page.orders.map((o) => [o.erpOrderId, o.afterSaleId])).toEqual([['10086', null], ['10087', '556677']]);
  });

  it('files a 补发 aftersale with zero amounts and reports the ERP id', async () => {
    server.reply({ body: JSON.stringify({ code: 0, msg: '执行成功', data: [{ outer_as_id: 'rs-1', as_id: 556677, issuccess: true }] }) });
    const res = await new JushuitanAdapter(client).fileReship({ shopId: '10001', outerAfterSaleId: 'rs-1', onlineOrderId: '4012345678901234567', reason: '快递丢件', lines: [{ skuId: 'SKU-1002', quantity: 1, name: '连帽卫衣' }] });
    const biz = JSON.parse(server.last().form.biz) as Array<Record<string, unknown>>;
    expect(server.last().path).toBe('/jushuitan/open/aftersale/upload');
    expect(biz[0]).toMatchObject({ type: '补发', outer_as_id: 'rs-1', so_id: '4012345678901234567', total_amount: 0, items: [{ sku_id: 'SKU-1002', qty: 1, amount: 0, type: '补发' }] });
    expect(biz[0]).not.toHaveProperty('receiver_address');
    expect(res).toEqual({ outerAfterSaleId: 'rs-1', erpAfterSaleId: '556677', accepted: true, message: null });
  });

  it('maps code 100 to AUTH_EXPIRED and 150 on refresh to AUTH_REVOKED', async () => {
    server.reply({ body: JSON.stringify({ code: 100, msg: '无效的access_token或已过期' }) }, { body: JSON.stringify({ code: 150, msg: '服务商应用禁止刷新access_token' }) });
    const e1 = (await client.call('/open/shops/query', {}).catch((x: unknown) => x)) as PlatformError;
    expect(e1.code).toBe('AUTH_EXPIRED');
    const e2 = (await client.refresh('rt-1').catch((x: unknown) => x)) as PlatformError;
    expect(e2.code).toBe('AUTH_REVOKED');
    expect(server.last().path).toBe('/jushuitan/openWeb/auth/refreshToken');
    const { sign, ...rest } = server.last().form;
    expect(rest).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'rt-1', scope: 'all', app_key: 'jk1' });
    expect(sign).toBe(signJst(rest, 'jst-secret-1'));
  });

  it('exchanges an authorisation code for a token', async () => {
    server.reply({ body: JSON.stringify({ code: 0, msg: 'ok', data: { access_token: 'jst-token-2', expires_in: 2592000, refresh_token: 'rt-2', scope: 'all' } }) });
    const t = await client.exchangeCode('654321');
    expect(server.last().path).toBe('/jushuitan/openWeb/auth/accessToken');
    expect(t).toMatchObject({ accessToken: 'jst-token-2', refreshToken: 'rt-2' });
  });

  it('reads a shipment from logistic/query', async () => {
    server.reply({ body: JSON.stringify({ code: 0, data: { datas: [{ o_id: 10086, l_id: '78812345678', lc_id: 'ZTO', logistics_company: '中通快递', send_date: '2026-11-22 15:00:00' }] } }) });
    const s = await new JushuitanAdapter(client).getShipment('10086');
    expect(s).toEqual({ carrierCode: 'ZTO', carrierName: '中通快递', trackingNo: '78812345678', consignedAt: new Date('2026-11-22T07:00:00Z') });
  });
});
