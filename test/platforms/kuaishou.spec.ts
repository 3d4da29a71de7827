import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCipheriv, randomBytes } from 'node:crypto';
import { PlatformError } from '../../src/platforms/errors.js';
import { OrderStatus } from '../../src/platforms/ports/canonical.types.js';
import { KuaishouAdapter } from '../../src/platforms/kuaishou/kuaishou.adapter.js';
import { KuaishouClient } from '../../src/platforms/kuaishou/kuaishou.client.js';
import { translateKsError } from '../../src/platforms/kuaishou/kuaishou.errors.js';
import { mapKsOrder } from '../../src/platforms/kuaishou/kuaishou.mapper.js';
import { decodeKsEvent } from '../../src/platforms/kuaishou/kuaishou.push.js';
import { signKs } from '../../src/platforms/kuaishou/kuaishou.sign.js';
import { FakePlatformServer } from './support/fake-platform.server.js';

const WHALESKY = {
  access_token: 'token',
  appkey: 'ks123',
  method: 'open.seller.order.list',
  param: '{"title":"短袖"}',
  timestamp: '1583271919000',
  version: '1',
};

describe('Kuaishou signing vectors (§7)', () => {
  it('MD5 gives lower hex', () => {
    expect(signKs({ ...WHALESKY, signMethod: 'MD5' }, 'sign-secret', 'MD5')).toBe('6005da269b372ff10945e565ef37a4c6');
  });
  it('HMAC_SHA256 gives Base64', () => {
    expect(signKs({ ...WHALESKY, signMethod: 'HMAC_SHA256' }, 'sign-secret', 'HMAC_SHA256')).toBe('ZpPrG0oB1g/T93FyyVD+VCzRey41yqxZoCqcGg7upYM=');
  });
});

describe('Kuaishou error translation', () => {
  const now = new Date('2026-11-22T15:00:00Z'); // 23:00 Beijing
  it.each([
    [{ result: 100200102, error: 'access_denied', error_msg: 'refreshToken.discarded' }, 'AUTH_REVOKED'],
    [{ result: 24, error_msg: 'AUTHORIZATION_REVOKED' }, 'AUTH_REVOKED'],
    [{ result: 100200500, error: 'server_error' }, 'TRANSIENT'],
    [{ result: 28, error_msg: '鉴权失败' }, 'AUTH_EXPIRED'],
    [{ result: 300004, error_msg: 'SEARCH TIME RANGE EXPAND 7 DAYS' }, 'INVALID_REQUEST'],
    [{ result: 999, error_msg: 'Exceed qps limit, KEY [apiId:1;appkey:ks1], MAX_QPS [300.0]' }, 'RATE_LIMITED'],
  ])('%j → %s', (body, code) => {
    expect(translateKsError(body, now).code).toBe(code);
  });
  it('waits for the Beijing day to roll over on daily quota', () => {
    const t = translateKsError({ result: 999, error_msg: 'Exceed quota limit, KEY [appkey:ks1]' }, now);
    expect(t).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 3600_000 });
  });
});

const ORDER = {
  orderBaseInfo: { oid: 2614567890123456, status: 30, createTime: 1763773200000, payTime: 1763773260000, updateTime: 1763773500000, totalFee: 9900, discountFee: 1000, expressFee: 0, remark: '送人的，不要价签', sendTime: 0 },
  orderItemInfo: { skuId: 7001, itemId: 8001, itemTitle: '羊毛围巾', skuDesc: '灰色', skuNick: 'SCARF-GR', num: 1, price: 9900, originalPrice: 10900 },
  orderAddress: { province: '四川省', city: '成都市', district: '武侯区', encryptedConsignee: '#enc-name#', encryptedMobile: '#enc-mobile#', encryptedAddress: '#enc-addr#', desensitiseConsignee: '李*' },
  orderNote: { orderNoteInfo: [{ note: '已催件 kf01 2026-11-22', flagTagCode: 'blue_flag_tag_order' }, { note: '顺丰 特快 寄付,kf01,2026-11-21', flagTagCode: 'red_flag_tag_order' }] },
  orderLogisticsInfo: [],
};

describe('Kuaishou mapper', () => {
  it('maps fen amounts, ciphertext receiver and append-only notes', () => {
    const o = mapKsOrder(ORDER);
    expect(o).toMatchObject({ orderId: '2614567890123456', status: OrderStatus.AWAITING_SHIPMENT, paymentFen: 9900, totalFen: 10900, province: '四川省', flag: 'blue', buyerMessage: '送人的，不要价签' });
    expect(o.receiver).toMatchObject({ name: '#enc-name#', mobile: '#enc-mobile#', form: 'cipher' });
    expect(o.sellerMemo).toBe('顺丰 特快 寄付,kf01,2026-11-21\n已催件 kf01 2026-11-22');
    expect(o.lines[0]).toMatchObject({ skuId: '7001', outerSkuId: 'SCARF-GR', priceFen: 9900 });
  });
  it.each([
    [10, OrderStatus.UNPAID],
    [40, OrderStatus.SHIPPED],
    [50, OrderStatus.DELIVERED],
    [70, OrderStatus.COMPLETED],
    [80, OrderStatus.CLOSED],
    [0, OrderStatus.UNKNOWN],
  ])('status %d → %s', (status, expected) => {
    expect(mapKsOrder({ ...ORDER, orderBaseInfo: { ...ORDER.orderBaseInfo, status } }).status).toBe(expected);
  });
});

describe('Kuaishou push decoding', () => {
  const encrypt = (plain: string, key: Buffer) => {
    const c = createCipheriv(`aes-${key.length * 8}-cbc`, key, Buffer.alloc(16, 0));
    return Buffer.concat([c.update(plain, 'utf8'), c.final()]).toString('base64');
  };
  it('round-trips {"test":true} with a random 128-bit key', () => {
    const key = randomBytes(16);
    expect(decodeKsEvent(encrypt('{"test":true}', key), key.toString('base64'))).toEqual({ test: true });
  });
  it('decodes an order event with info as a JSON string', () => {
    const key = randomBytes(32);
    const msg = JSON.stringify({ eventId: 'ev-1', bizId: 2614567890123456, openId: 'open-9', event: 'kwaishop_order_paySuccess', info: '{"oid":2614567890123456,"status":30}', createTime: 1763773260000, test: false });
    const res = decodeKsEvent(encrypt(msg, key), key.toString('base64'));
    expect(res).toMatchObject({ test: false, event: { eventId: 'ev-1', kind: 'order.paid', orderId: '2614567890123456', shopRef: 'open-9' } });
  });
  it('rejects a body encrypted with another key', () => {
    const body = encrypt('{"test":true,"padding":"xxxxxxxxxxxxxxxx"}', randomBytes(16));
    expect(() => decodeKsEvent(body, randomBytes(16).toString('base64'))).toThrow();
  });
});

describe('Kuaishou client and adapter over HTTP', () => {
  const server = new FakePlatformServer();
  let client: KuaishouClient;
  beforeAll(async () => {
    await server.start();
    client = new KuaishouClient({ baseUrl: `${server.baseUrl}/kuaishou`, appKey: 'ks1', appSecret: 'app-secret-1', signSecret: 'sign-secret-1', accessToken: 'ks-token-1', now: () => new Date(1763773500000) });
  });
  afterAll(async () => server.stop());

  it('GETs the cursor list on the method path with a signed query and follows the cursor', async () => {
    server.reply({ body: JSON.stringify({ result: 1, data: { cursor: 'c2', orderList: [ORDER] } }) }, { body: JSON.stringify({ result: 1, data: { cursor: 'nomore', orderList: [] } }) });
    const adapter = new KuaishouAdapter(client);
    const q = { start: new Date(1763700000000), end: new Date(1763773500000) };
    const first = await adapter.listOrders(q);
    const req = server.last();
    expect(req.method).toBe('GET');
    expect(req.path).toBe('/kuaishou/open/order/cursor/list');
    expect(req.query).toMatchObject({ appkey: 'ks1', method: 'open.order.cursor.list', version: '1', signMethod: 'HMAC_SHA256', timestamp: '1763773500000', access_token: 'ks-token-1' });
    expect(JSON.parse(req.query.param)).toMatchObject({ queryType: 2, orderViewStatus: 1, cursor: '', beginTime: 1763700000000 });
    const { sign, ...rest } = req.query;
    expect(sign).toBe(signKs(rest, 'sign-secret-1', 'HMAC_SHA256'));
    expect(first).toMatchObject({ hasNext: true, nextCursor: 'c2' });
    const second = await adapter.listOrders({ ...q, cursor: 'c2' });
    expect(JSON.parse(server.last().query.param)).toMatchObject({ cursor: 'c2' });
    expect(second).toMatchObject({ hasNext: false, nextCursor: null });
  });

  it('POSTs an appended note with a flag and refuses notes over 200 chars', async () => {
    server.reply({ body: JSON.stringify({ result: 1, data: true }) });
    const adapter = new KuaishouAdapter(client);
    const res = await adapter.writeRemark({ orderId: '2614567890123456', text: '已催件 kf01 2026-11-22', flag: 'grey' });
    expect(server.last().method).toBe('POST');
    expect(server.last().path).toBe('/kuaishou/open/seller/order/note/add');
    expect(JSON.parse(server.last().form.param)).toMatchObject({ orderId: '2614567890123456', note: '已催件 kf01 2026-11-22', flag: 6 });
    expect(res.mode).toBe('append');
    const e = await adapter.writeRemark({ orderId: '1', text: '字'.repeat(201) }).catch((x: unknown) => x);
    expect((e as PlatformError).code).toBe('INVALID_REQUEST');
  });

  it('takes an error body its codes do not name as TRANSIENT when it comes with a 5xx, as a refusal with a 200', async () => {
    const unnamed = JSON.stringify({ result: 500, error_msg: '服务暂不可用' });
    server.reply({ status: 503, body: unnamed }, { body: unnamed });
    const adapter = new KuaishouAdapter(client);
    const during = (await adapter.writeRemark({ orderId: '2614567890123456', text: '已催件 kf01 2026-11-22' }).catch((x: unknown) => x)) as PlatformError;
    expect(during).toMatchObject({ code: 'TRANSIENT', rawCode: '500', httpStatus: 503 });
    const refused = (await adapter.writeRemark({ orderId: '2614567890123456', text: '已催件 kf01 2026-11-22' }).catch((x: unknown) => x)) as PlatformError;
    expect(refused).toMatchObject({ code: 'PERMANENT', rawCode: '500', httpStatus: 200 });
  });

  it('rotates the refresh token and maps a discarded one to AUTH_REVOKED', async () => {
    server.reply(
      { body: JSON.stringify({ result: 1, access_token: 'ks-token-2', expires_in: 172800, refresh_token: 'r-2', refresh_token_expires_in: 15552000, open_id: 'open-9' }) },
      { body: JSON.stringify({ result: 100200102, error: 'access_denied', error_msg: 'refreshToken.discarded' }) },
    );
    const t = await client.refresh('r-1');
    expect(server.last().path).toBe('/kuaishou/oauth2/refresh_token');
    expect(server.last().form).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'r-1', app_id: 'ks1' });
    expect(t).toMatchObject({ accessToken: 'ks-token-2', refreshToken: 'r-2', ownerId: 'open-9' });
    const e = (await client.refresh('r-1').catch((x: unknown) => x)) as PlatformError;
    expect(e.code).toBe('AUTH_REVOKED');
    expect(e.message).not.toContain('app-secret-1');
  });
});
