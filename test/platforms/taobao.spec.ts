import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PlatformError } from '../../src/platforms/errors.js';
import { OrderStatus, TrackingState } from '../../src/platforms/ports/canonical.types.js';
import { TaobaoAdapter } from '../../src/platforms/taobao/taobao.adapter.js';
import { TaobaoClient } from '../../src/platforms/taobao/taobao.client.js';
import { translateTopError } from '../../src/platforms/taobao/taobao.errors.js';
import { mapTaobaoTrade } from '../../src/platforms/taobao/taobao.mapper.js';
import { signTmc, signTop } from '../../src/platforms/taobao/taobao.sign.js';
import { mapTmcMessage } from '../../src/platforms/taobao/taobao.tmc.js';
import { FakePlatformServer } from './support/fake-platform.server.js';

const OFFICIAL = {
  method: 'taobao.item.seller.get',
  app_key: '12345678',
  session: 'test',
  timestamp: '2016-01-01 12:00:00',
  format: 'json',
  v: '2.0',
  sign_method: 'md5',
  fields: 'num_iid,title,nick,price,num',
  num_iid: '11223344',
};

describe('Taobao signing vectors (§7)', () => {
  it('matches the official md5 example', () => {
    expect(signTop(OFFICIAL, 'helloworld', 'md5')).toBe('66987CB115214E59E6EC978214934FB8');
  });
  it('matches hmac and hmac-sha256', () => {
    expect(signTop({ ...OFFICIAL, sign_method: 'hmac' }, 'helloworld', 'hmac')).toBe('D56D7858309C31B6251083A874D48273');
    expect(signTop({ ...OFFICIAL, sign_method: 'hmac-sha256' }, 'helloworld', 'hmac-sha256')).toBe(
      '04DB15AD0774D5CFCE2C837DE43E3FCEA9011ED74F3038FB6AB5F3C4CEA119E8',
    );
  });
  it('wraps the secret on both sides (differs from the legacy prefix-only vector)', () => {
    expect(signTop({ fields: 'nick,sex', nick: 'winwindg' }, 'carver')).not.toBe('E780A69E04E438846FAF25AD28047415');
  });
  it('ignores an existing sign param', () => {
    expect(signTop({ ...OFFICIAL, sign: 'WHATEVER' }, 'helloworld')).toBe('66987CB115214E59E6EC978214934FB8');
  });
  it('signs the TMC handshake', () => {
    expect(signTmc('12345678', 'helloworld', 'default', '1700000000000')).toBe('C86848D198760FA334AA309207C72ECD');
  });
});

describe('Taobao error translation', () => {
  it.each([
    [{ code: 7, msg: 'App Call Limited', sub_code: 'accesscontrol.limited-by-api-access-count', sub_msg: 'This ban will last for 23 more seconds' }, 'RATE_LIMITED', 23_000],
    [{ code: 27, msg: 'Invalid session', sub_code: 'invalid-sessionkey', sub_msg: 'SessionKey非法' }, 'AUTH_EXPIRED', undefined],
    [{ code: 15, msg: 'Remote service error', sub_code: 'isp.top-remote-connection-timeout' }, 'TRANSIENT', undefined],
    [{ code: 50, msg: 'Remote service error', sub_code: 'isp.unknown-error' }, 'TRANSIENT', undefined],
    [{ code: 25, msg: 'Invalid signature' }, 'PERMANENT', undefined],
    [{ code: 11, msg: 'Insufficient ISV Permissions', sub_code: 'isv.permission-api-package-limit' }, 'PERMANENT', undefined],
    [{ code: 41, msg: 'Invalid Arguments' }, 'INVALID_REQUEST', undefined],
    [{ code: 15, msg: 'Remote service error', sub_code: 'isv.trade-not-exist', sub_msg: '交易不存在' }, 'NOT_FOUND', undefined],
    [{ code: 50, sub_code: 'isv.invalid-parameter' }, 'INVALID_REQUEST', undefined],
  ])('%j → %s', (body, code, wait) => {
    const t = translateTopError(body);
    expect(t.code).toBe(code);
    expect(t.retryAfterMs).toBe(wait);
  });
});

const TRADE = {
  tid: 4012345678901234567,
  status: 'WAIT_SELLER_SEND_GOODS',
  created: '2026-11-21 23:50:01',
  pay_time: '2026-11-21 23:51:10',
  modified: '2026-11-22 00:05:00',
  total_fee: '199.00',
  payment: '188.50',
  post_fee: '0.00',
  seller_memo: '顺丰 特快 寄付,kf01,2026-11-22',
  seller_flag: 2,
  buyer_message: '请尽快发货',
  receiver_name: '张**',
  receiver_state: '广东省',
  receiver_city: '深圳市',
  receiver_district: '南山区',
  receiver_address: '科技园路**号',
  receiver_mobile: '138****0000',
  oaid: '1aBcDeFgHiJkLmN',
  orders: {
    order: [
      { oid: 4012345678901234568, num_iid: 600000000001, sku_id: '5000001', outer_sku_id: 'SKU-1002', title: '连帽卫衣', sku_properties_name: '颜色:蓝色;尺码:XL', num: 2, price: '99.50', payment: '188.50', invoice_no: '78812345678', logistics_company: '中通快递', consign_time: '2026-11-22 10:00:00' },
    ],
  },
};

describe('Taobao mapper', () => {
  it('maps a fullinfo trade with big ids, fen amounts, flag and shipment', () => {
    const o = mapTaobaoTrade({ ...TRADE, tid: '4012345678901234567', orders: { order: [{ ...TRADE.orders.order[0], oid: '4012345678901234568' }] } });
    expect(o.orderId).toBe('4012345678901234567');
    expect(o.status).toBe(OrderStatus.AWAITING_SHIPMENT);
    expect(o.paymentFen).toBe(18850);
    expect(o.totalFen).toBe(19900);
    expect(o.flag).toBe('yellow');
    expect(o.province).toBe('广东省');
    expect(o.receiver).toMatchObject({ name: '张**', oaid: '1aBcDeFgHiJkLmN', form: 'masked' });
    expect(o.modifiedAt.toISOString()).toBe('2026-11-21T16:05:00.000Z');
    expect(o.lines[0]).toMatchObject({ lineId: '4012345678901234568', quantity: 2, priceFen: 9950, outerSkuId: 'SKU-1002' });
    expect(o.shipments).toEqual([
      { carrierCode: null, carrierName: '中通快递', trackingNo: '78812345678', consignedAt: new Date('2026-11-22T02:00:00Z') },
    ]);
  });
  it.each([
    ['WAIT_BUYER_PAY', OrderStatus.UNPAID],
    ['TRADE_NO_CREATE_PAY', OrderStatus.UNPAID],
    ['SELLER_CONSIGNED_PART', OrderStatus.PARTIALLY_SHIPPED],
    ['WAIT_BUYER_CONFIRM_GOODS', OrderStatus.SHIPPED],
    ['TRADE_BUYER_SIGNED', OrderStatus.DELIVERED],
    ['TRADE_FINISHED', OrderStatus.COMPLETED],
    ['TRADE_CLOSED', OrderStatus.CLOSED],
    ['TRADE_CLOSED_BY_TAOBAO', OrderStatus.CANCELLED],
    ['SOMETHING_NEW', OrderStatus.UNKNOWN],
  ])('status %s → %s', (raw, status) => {
    expect(mapTaobaoTrade({ ...TRADE, status: raw }).status).toBe(status);
  });
  it('maps a TMC memo message with a big tid inside content', () => {
    const e = mapTmcMessage({
      id: 5678,
      topic: 'taobao_trade_TradeMemoModified',
      content: '{"tid":4012345678901234567,"seller_memo":"x","seller_flag":1}',
      pub_time: '2026-11-22 10:00:00',
      user_id: 3001,
    });
    expect(e).toMatchObject({ kind: 'order.memo', orderId: '4012345678901234567', shopRef: '3001', eventId: '5678' });
  });
});

const json = (v: unknown) => JSON.stringify(v);
const bigTrade = (tid: string) => json({ ...TRADE, tid: 0 }).replace('"tid":0', `"tid":${tid}`);

describe('Taobao client and adapter over HTTP', () => {
  const server = new FakePlatformServer();
  let client: TaobaoClient;
  beforeAll(async () => {
    await server.start();
    client = new TaobaoClient({
      routerUrl: `${server.baseUrl}/taobao/router/rest`,
      oauthTokenUrl: `${server.baseUrl}/taobao/oauth/token`,
      appKey: 'app1',
      appSecret: 'secret-123',
      signMethod: 'hmac-sha256',
      session: 'sess-abc',
      now: () => new Date('2026-11-21T16:30:00Z'),
    });
  });
  afterAll(async () => server.stop());

  it('posts signed common params and reads the envelope, keeping a big tid exact', async () => {
    server.reply({ body: `{"trade_fullinfo_get_response":{"trade":${bigTrade('4012345678901234567')}}}` });
    const order = await new TaobaoAdapter(client).getOrder('4012345678901234567');
    const req = server.last();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/taobao/router/rest');
    expect(req.form).toMatchObject({ method: 'taobao.trade.fullinfo.get', app_key: 'app1', session: 'sess-abc', v: '2.0', format: 'json', sign_method: 'hmac-sha256', tid: '4012345678901234567', timestamp: '2026-11-22 00:30:00' });
    const { sign, ...rest } = req.form;
    expect(sign).toBe(signTop(rest, 'secret-123', 'hmac-sha256'));
    expect(order.orderId).toBe('4012345678901234567');
  });

  it('walks increment pages from the last page back to page 1', async () => {
    const page = (tids: string[], extra: string) =>
      `{"trades_sold_increment_get_response":{${extra}"trades":{"trade":[${tids.map(bigTrade).join(',')}]}}}`;
    server.reply({ body: page(['1'], '"total_results":5,') }, { body: page(['5'], '"has_next":false,') }, { body: page(['3', '4'], '"has_next":true,') }, { body: page(['1', '2'], '"has_next":true,') });
    const adapter = new TaobaoAdapter(client);
    const q = { start: new Date('2026-11-21T16:00:00Z'), end: new Date('2026-11-21T16:30:00Z'), pageSize: 2 };
    const seenPages: string[] = [];
    const ids: string[] = [];
    let cursor: string | undefined;
    const before = server.seen.length;
    do {
      const res = await adapter.listOrders({ ...q, cursor });
      ids.push(...res.orders.map((o) => o.orderId));
      cursor = res.nextCursor ?? undefined;
    } while (cursor);
    for (const r of server.seen.slice(before)) seenPages.push(`${r.form.page_no}/${r.form.use_has_next}`);
    expect(seenPages).toEqual(['1/false', '3/true', '2/true', '1/true']);
    expect(ids).toEqual(['5', '3', '4', '1', '2']);
    expect(server.last().form.start_modified).toBe('2026-11-22 00:00:00');
  });

  it('translates an error_response with a ban into RATE_LIMITED and strips the session', async () => {
    server.reply({ body: json({ error_response: { code: 7, msg: 'App Call Limited session=sess-abc', sub_code: 'accesscontrol.limited-by-app-access-count', sub_msg: 'This ban will last for 5 more seconds' } }) });
    const failure = (await client.call('taobao.trade.fullinfo.get', { tid: '1' }).catch((e: unknown) => e)) as PlatformError;
    expect(failure).toBeInstanceOf(PlatformError);
    expect(failure.code).toBe('RATE_LIMITED');
    expect(failure.retryAfterMs).toBe(5000);
    expect(failure.message).not.toContain('sess-abc');
  });

  it('writes a memo with flag and rejects one over 1000 bytes', async () => {
    server.reply({ body: json({ trade_memo_update_response: { trade: { tid: 1, modified: '2026-11-22 10:00:00' } } }) });
    const adapter = new TaobaoAdapter(client);
    const res = await adapter.writeRemark({ orderId: '1', text: '已催件 kf01 2026-11-22', flag: 'blue' });
    expect(server.last().form).toMatchObject({ method: 'taobao.trade.memo.update', tid: '1', memo: '已催件 kf01 2026-11-22', flag: '4' });
    expect(res.modifiedAt?.toISOString()).toBe('2026-11-22T02:00:00.000Z');
    const tooLong = await adapter.writeRemark({ orderId: '1', text: '备'.repeat(334) }).catch((e: unknown) => e);
    expect((tooLong as PlatformError).code).toBe('INVALID_REQUEST');
  });

  it('reads a logistics trace newest first', async () => {
    server.reply({ body: json({ logistics_trace_search_response: { out_sid: '78812345678', company_name: '中通快递', trace_list: { transit_step_info: [{ status_time: '2026-11-22 10:00:00', status_desc: '已揽收', action: 'GOT' }, { status_time: '2026-11-23 09:00:00', status_desc: '已签收', action: 'SIGNED' }] } } }) });
    const res = await new TaobaoAdapter(client).getTracking('1', { carrierCode: null, carrierName: '中通快递', trackingNo: '78812345678', consignedAt: null });
    expect(res?.state).toBe(TrackingState.SIGNED);
    expect(res?.signed).toBe(true);
    expect(res?.events.map((e) => e.description)).toEqual(['已签收', '已揽收']);
  });

  it('exchanges an OAuth code at the configured token URL', async () => {
    server.reply({ body: json({ access_token: 'tok-new', expires_in: 86400, refresh_token: 'ref-1', re_expires_in: 172800, taobao_user_id: '3001', taobao_user_nick: '%E5%BA%97' }) });
    const t = await client.exchangeCode('code-1', 'https://cb');
    expect(server.last().path).toBe('/taobao/oauth/token');
    expect(server.last().form).toMatchObject({ grant_type: 'authorization_code', code: 'code-1', client_id: 'app1' });
    expect(t).toMatchObject({ accessToken: 'tok-new', refreshToken: 'ref-1', ownerId: '3001', ownerName: '店' });
    expect(t.expiresAt?.toISOString()).toBe('2026-11-22T16:30:00.000Z');
  });
});
