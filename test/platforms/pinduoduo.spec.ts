import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { PlatformError } from '../../src/platforms/errors.js';
import { OrderStatus, type PlatformEvent } from '../../src/platforms/ports/canonical.types.js';
import { PinduoduoAdapter } from '../../src/platforms/pinduoduo/pinduoduo.adapter.js';
import { PinduoduoClient } from '../../src/platforms/pinduoduo/pinduoduo.client.js';
import { translatePddError } from '../../src/platforms/pinduoduo/pinduoduo.errors.js';
import { mapPddOrder } from '../../src/platforms/pinduoduo/pinduoduo.mapper.js';
import { PddMessageClient, pddAckFrame } from '../../src/platforms/pinduoduo/pinduoduo.push.js';
import { pddWsPath, signPdd } from '../../src/platforms/pinduoduo/pinduoduo.sign.js';
import { parseLosslessJson } from '../../src/platforms/shared/lossless-json.util.js';
import { FakePlatformServer } from './support/fake-platform.server.js';

const OFFICIAL = {
  access_token: 'asd78172s8ds9a921j9qqwda12312w1w21211',
  client_id: '1',
  data_type: 'XML',
  order_status: '1',
  page: '1',
  page_size: '10',
  timestamp: '1480411125',
  type: 'pdd.order.number.list.get',
};

describe('PDD signing vectors (§7)', () => {
  it('matches the official MD5 example and its JSON variant', () => {
    expect(signPdd(OFFICIAL, 'testSecret')).toBe('E4DE3ED21002510DED352819E7AE6775');
    expect(signPdd({ ...OFFICIAL, data_type: 'JSON' }, 'testSecret')).toBe('92A61361F6F8FDECCF611A19D1CE9F16');
  });
  it('builds the WebSocket digest path', () => {
    expect(pddWsPath('app', 'secret', 1700000000000)).toBe('/message/app/1700000000000/OTgxODMwNDI2NWZiN2NiNzA2NzIxOTI0ZjJlMDMxMjE%3D');
  });
});

describe('PDD error translation', () => {
  it.each([
    [10019, 'AUTH_EXPIRED'],
    [52101, 'RATE_LIMITED'],
    [70031, 'RATE_LIMITED'],
    [52102, 'TRANSIENT'],
    [52103, 'TRANSIENT'],
    [20004, 'INVALID_REQUEST'],
    [50001, 'PERMANENT'],
    [60000, 'TRANSIENT'],
  ])('%d → %s', (code, expected) => {
    expect(translatePddError({ error_code: code, error_msg: 'x' }).code).toBe(expected);
  });
  it('gives rate limits the configured wait', () => {
    expect(translatePddError({ error_code: 70031, error_msg: '调用过于频繁' }, 2500).retryAfterMs).toBe(2500);
  });
});

const ORDER = {
  order_sn: '231122-123456789012345',
  order_status: 1,
  refund_status: 1,
  confirm_status: 1,
  created_time: '2026-11-22 09:00:00',
  confirm_time: '2026-11-22 09:00:30',
  updated_at: '2026-11-22 09:10:00',
  goods_amount: 59.8,
  pay_amount: 49.9,
  postage: 0,
  province: '浙江省',
  city: '杭州市',
  town: '西湖区',
  receiver_name: '~AgAAAAE2n0k=~abc~1~',
  receiver_phone: '$7AnwZJ1e6BZc$AAAAAADkt0hgZkt6KLklIDxVp+F1wzHsRsPUw0s19fk=$2$$',
  address: '~AgAAAAE2n0kaddr~def~1~',
  remark: '补发单号:中通 78812345678,系统,2026-11-23',
  remark_tag: 1,
  buyer_memo: '不要放驿站',
  tracking_number: '78812345678',
  logistics_id: 115,
  shipping_time: '2026-11-22 15:00:00',
  item_list: [{ goods_id: 1001, sku_id: 2002, goods_name: '保温杯', goods_spec: '白色 500ml', goods_count: 2, goods_price: 29.9, outer_id: 'CUP-W500' }],
};

describe('PDD mapper', () => {
  it('maps an order keeping receiver ciphertext and converting yuan to fen', () => {
    const o = mapPddOrder(ORDER, { '115': { code: 'ZTO', name: '中通快递' } });
    expect(o).toMatchObject({ orderId: '231122-123456789012345', status: OrderStatus.AWAITING_SHIPMENT, paymentFen: 4990, totalFen: 5980, flag: 'red', province: '浙江省' });
    expect(o.receiver).toMatchObject({ mobile: ORDER.receiver_phone, name: ORDER.receiver_name, form: 'cipher', district: '西湖区' });
    expect(o.lines[0]).toMatchObject({ skuId: '2002', quantity: 2, priceFen: 2990, outerSkuId: 'CUP-W500' });
    expect(o.shipments[0]).toMatchObject({ carrierCode: 'ZTO', carrierName: '中通快递', trackingNo: '78812345678' });
    expect(o.modifiedAt.toISOString()).toBe('2026-11-22T01:10:00.000Z');
  });
  it.each([
    [{ order_status: 2 }, OrderStatus.SHIPPED],
    [{ order_status: 3 }, OrderStatus.DELIVERED],
    [{ refund_status: 4 }, OrderStatus.CLOSED],
    [{ confirm_status: 2 }, OrderStatus.CANCELLED],
    [{ confirm_status: 0 }, OrderStatus.UNPAID],
  ])('status %j → %s', (patch, status) => {
    expect(mapPddOrder({ ...ORDER, ...patch }).status).toBe(status);
  });
});

describe('PDD client and adapter over HTTP', () => {
  const server = new FakePlatformServer();
  let client: PinduoduoClient;
  beforeAll(async () => {
    await server.start();
    client = new PinduoduoClient({
      routerUrl: `${server.baseUrl}/pinduoduo/api/router`,
      oauthTokenUrl: `${server.baseUrl}/pinduoduo/oauth/token`,
      clientId: 'cid',
      clientSecret: 'csecret',
      accessToken: 'tok-live-1',
      now: () => new Date(1_700_000_000_000),
    });
  });
  afterAll(async () => server.stop());

  it('signs unix-second requests and walks increment pages from the last back', async () => {
    const page = (sns: string[], extra: string) =>
      JSON.stringify({ order_sn_increment_get_response: { order_sn_list: sns.map((s) => ({ ...ORDER, order_sn: s })) } }).replace('{"order_sn_list"', `{${extra}"order_sn_list"`);
    server.reply({ body: page(['a'], '"total_count":150,') }, { body: page(['b', 'c'], '"has_next":false,') }, { body: page(['d'], '"has_next":true,') });
    const adapter = new PinduoduoAdapter(client);
    const q = { start: new Date(1_699_999_000_000), end: new Date(1_699_999_900_000) };
    const first = await adapter.listOrders(q);
    expect(first.orders.map((o) => o.orderId)).toEqual(['b', 'c']);
    expect(first.nextCursor).toBe('page:1');
    const second = await adapter.listOrders({ ...q, cursor: first.nextCursor ?? undefined });
    expect(second).toMatchObject({ hasNext: false, nextCursor: null });
    const pages = server.seen.slice(-3).map((r) => `${r.form.page}/${r.form.use_has_next}`);
    expect(pages).toEqual(['1/false', '2/true', '1/true']);
    const { sign, ...rest } = server.last().form;
    expect(server.last().form).toMatchObject({ type: 'pdd.order.number.list.increment.get', client_id: 'cid', access_token: 'tok-live-1', timestamp: '1700000000', start_updated_at: '1699999000', end_updated_at: '1699999900' });
    expect(sign).toBe(signPdd(rest, 'csecret'));
  });

  it('reads PDD server time as Beijing time without a token', async () => {
    server.reply({ body: JSON.stringify({ time_get_response: { time: '2026-11-22 10:00:00' } }) });
    expect((await client.serverTime()).toISOString()).toBe('2026-11-22T02:00:00.000Z');
    expect(server.last().form.type).toBe('pdd.time.get');
    expect(server.last().form).not.toHaveProperty('access_token');
  });

  it('refuses windows over 30 minutes', async () => {
    const e = await new PinduoduoAdapter(client).listOrders({ start: new Date(0), end: new Date(31 * 60_000) }).catch((x: unknown) => x);
    expect((e as PlatformError).code).toBe('INVALID_REQUEST');
  });

  it('sends tag and tag_name together when flagging', async () => {
    server.reply({ body: JSON.stringify({ response: { success: true } }) });
    const res = await new PinduoduoAdapter(client).writeRemark({ orderId: 'sn1', text: '已催件 kf01 2026-11-22', flag: 'blue' });
    expect(server.last().form).toMatchObject({ type: 'pdd.order.note.update', order_sn: 'sn1', tag: '4', tag_name: '蓝旗' });
    expect(res.flag).toBe('blue');
  });

  it('maps error_response 10019 to AUTH_EXPIRED without leaking the token', async () => {
    server.reply({ body: JSON.stringify({ error_response: { error_code: 10019, error_msg: 'access_token已过期 tok-live-1', request_id: 'r' } }) });
    const e = (await client.call('pdd.order.information.get', 'order_info_get_response', { order_sn: 'x' }).catch((x: unknown) => x)) as PlatformError;
    expect(e.code).toBe('AUTH_EXPIRED');
    expect(e.message).not.toContain('tok-live-1');
  });

  it('refreshes a token at the configured URL', async () => {
    server.reply({ body: JSON.stringify({ access_token: 'tok-2', expires_at: 1700086400, refresh_token: 'r2', refresh_token_expires_at: 1702592000, owner_id: 555, owner_name: '店铺' }) });
    const t = await client.refresh('r1');
    expect(server.last().path).toBe('/pinduoduo/oauth/token');
    expect(JSON.parse(server.last().body)).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'r1', client_id: 'cid' });
    expect(t).toMatchObject({ accessToken: 'tok-2', refreshToken: 'r2', ownerId: '555' });
  });
});

describe('PDD message WebSocket', () => {
  const BIG_ID = '9007199254740993';
  let wss: WebSocketServer;
  let port = 0;
  const paths: string[] = [];
  const received: string[] = [];
  let sockets: WebSocket[] = [];

  beforeAll(async () => {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    port = (wss.address() as AddressInfo).port;
    wss.on('connection', (ws, req) => {
      sockets.push(ws);
      paths.push(req.url ?? '');
      ws.on('message', (d: Buffer) => received.push(d.toString('utf8')));
    });
  });
  afterAll(async () => {
    for (const s of sockets) s.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
  });

  const waitFor = async (pred: () => boolean) => {
    while (!pred()) await new Promise((r) => setTimeout(r, 10));
  };

  it('writes the Ack with the exact int64 id', () => {
    const frame = parseLosslessJson(`{"id":${BIG_ID},"commandType":"Common","sendTime":1700000000000,"message":{"type":"pdd_trade_TradeConfirmed","mallID":100,"content":"{}"}}`) as Record<string, unknown>;
    const ack = pddAckFrame(frame, 1700000000500);
    expect(ack).toContain(`"id":${BIG_ID},`);
    expect(parseLosslessJson(ack)).toMatchObject({ commandType: 'Ack', id: BIG_ID, mallID: 100, type: 'pdd_trade_TradeConfirmed', sendTime: 1700000000000 });
  });

  it('connects on the digest path, acks only after the handler resolves, heartbeats and reconnects', async () => {
    const events: PlatformEvent[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let t = 1700000000000;
    const client = new PddMessageClient({
      wsBaseUrl: `ws://127.0.0.1:${port}/pinduoduo`,
      clientId: 'app',
      clientSecret: 'secret',
      heartbeatMs: 20,
      reconnectDelayMs: 10,
      now: () => t++,
      onEvent: async (e) => {
        events.push(e);
        await gate;
      },
    });
    await client.start();
    expect(paths[0]).toBe(`/pinduoduo${pddWsPath('app', 'secret', 1700000000000)}`);
    await waitFor(() => sockets.length === 1);
    sockets[0].send(`{"id":${BIG_ID},"commandType":"Common","sendTime":1700000000000,"message":{"type":"pdd_trade_TradeConfirmed","mallID":100,"content":"{\\"mall_id\\":100,\\"tid\\":\\"231122-123456789012345\\"}"}}`);
    await waitFor(() => events.length === 1);
    expect(events[0]).toMatchObject({ eventId: BIG_ID, kind: 'order.paid', orderId: '231122-123456789012345', shopRef: '100' });
    expect(received.some((m) => m.includes('"Ack"'))).toBe(false);
    release();
    await waitFor(() => received.some((m) => m.includes('"Ack"')));
    expect(received.find((m) => m.includes('"Ack"'))).toContain(`"id":${BIG_ID}`);
    await waitFor(() => received.some((m) => m.includes('"HeartBeat"')));

    sockets[0].terminate();
    await waitFor(() => paths.length === 2);
    expect(paths[1]).not.toBe(paths[0]);
    expect(paths[1]).toMatch(/^\/pinduoduo\/message\/app\/\d{13}\//);
    await client.stop();
    sockets = [];
  });
});
